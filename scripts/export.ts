/**
 * `npm run export`: out/<stack>/{prometheus,alertmanager,grafana} for every committed stack.
 * `npm run export -- --update-golden` writes the same files to test/golden/<stack>/ instead: the
 * committed copies a pull request's diff shows, which test/unit/golden.test.ts holds the code to.
 */
import * as fs from "fs";
import * as path from "path";
import { exportStack, goldenDir } from "./lib/export";
import { exportedStacks, repoRoot, stackConfig } from "./lib/stacks";

const golden = process.argv.includes("--update-golden");
for (const stack of exportedStacks) {
    const dir = golden ? path.join(goldenDir, stack) : path.join(repoRoot, "out", stack);
    if (golden) fs.rmSync(dir, { recursive: true, force: true });
    const paths = exportStack(stackConfig(stack), dir);
    console.log(`${stack}: ${path.relative(repoRoot, paths.rules)}, ${path.relative(repoRoot, paths.alertmanager)}, ${paths.dashboards.length} dashboards`);
}
