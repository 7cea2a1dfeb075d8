/**
 * The exported rules, Alertmanager config and dashboards of every stack equal the committed
 * copies in test/golden/<stack>/, so a pull request shows what an alert or panel change does.
 * After an intended change: `npm run export -- --update-golden`, and review the diff.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { exportStack, filesUnder, goldenDir } from "../../scripts/lib/export";
import { exportedStacks, stackConfig } from "../../scripts/lib/stacks";

const fix = "run `npm run export -- --update-golden` and review the diff";

describe("golden exports (test/golden)", () => {
    for (const stack of exportedStacks) {
        it(`${stack}: every exported file equals its golden copy`, () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), `task-mcp-golden-${stack}-`));
            try {
                exportStack(stackConfig(stack), dir);
                const golden = path.join(goldenDir, stack);
                expect(filesUnder(dir), `files differ from test/golden/${stack}: ${fix}`).to.deep.equal(filesUnder(golden));
                for (const file of filesUnder(dir)) {
                    const same = fs.readFileSync(path.join(dir, file), "utf8") === fs.readFileSync(path.join(golden, file), "utf8");
                    expect(same, `test/golden/${stack}/${file} differs from the export: ${fix}`).to.equal(true);
                }
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    }
});
