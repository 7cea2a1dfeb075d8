import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { toolsBin } from "../../scripts/lib/engine";
import { repoRoot } from "../../scripts/lib/stacks";

const workflows = path.join(repoRoot, ".github", "workflows");
const actionlint = (files: string[]) => spawnSync(path.join(toolsBin, "actionlint"), ["-color=false", ...files], { encoding: "utf8" });

describe("CI workflows", () => {
    const files = fs.readdirSync(workflows).map((f) => path.join(workflows, f));

    it("pass actionlint", () => {
        const r = actionlint(files);
        expect(r.status, r.stdout + r.stderr).to.equal(0);
    });

    it("fail actionlint when broken (the check can go red)", () => {
        const broken = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "actionlint-")), "broken.yml");
        fs.writeFileSync(broken, fs.readFileSync(path.join(workflows, "deploy.yml"), "utf8").replace("needs: dev", "needs: nope"));
        expect(actionlint([broken]).status).to.not.equal(0);
    });

    it("preview every stack on pull requests, deploy dev then prod behind an approval, bootstrap with the documented command", () => {
        const preview = fs.readFileSync(path.join(workflows, "preview.yml"), "utf8");
        expect(preview).to.contain("pull_request").and.contain("command: preview").and.contain("diff: true").and.contain("comment-on-pr: true").and.contain("stack: [dev, prod]");
        const deploy = fs.readFileSync(path.join(workflows, "deploy.yml"), "utf8");
        expect(deploy).to.contain("branches: [main]").and.contain("environment: production").and.contain("needs: dev");
        const bootstrap = fs.readFileSync(path.join(workflows, "bootstrap.yml"), "utf8");
        expect(bootstrap).to.contain("npm run bootstrap");
        expect(fs.readFileSync(path.join(repoRoot, "README.md"), "utf8")).to.contain("npm run bootstrap");
    });
});
