/**
 * kube-score on the manifests the real engine renders for dev and prod. No CRITICAL, no WARNING;
 * the few checks ignored are listed below, each with its reason (docs/hardening.md).
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { toolsBin } from "../../scripts/lib/engine";
import { renderedFiles, testStack, TestStack } from "./harness";

/** Checks ignored per stack, each with its one-line reason. */
export const kubeScoreIgnores: Record<string, Record<string, string>> = {
    dev: { "horizontalpodautoscaler-replicas": "dev runs one replica on purpose (cost); prod's HPA minimum is 3" },
    prod: {},
};

function kubeScore(files: string[], ignores: Record<string, string>) {
    const args = ["score", "--output-format", "ci", ...Object.keys(ignores).flatMap((t) => ["--ignore-test", t]), ...files];
    const r = spawnSync(path.join(toolsBin, "kube-score"), args, { encoding: "utf8" });
    const findings = r.stdout.split("\n").filter((l) => /^\[(CRITICAL|WARNING)\]/.test(l));
    return { findings, output: r.stdout + r.stderr };
}

describe("kube-score on rendered manifests", function () {
    this.timeout(600_000);
    const rendered: Record<string, TestStack> = {};
    before(async () => {
        for (const stack of ["dev", "prod"]) {
            rendered[stack] = await testStack(stack);
            await rendered[stack].stack.up();
        }
    });
    after(() => Object.values(rendered).forEach((s) => s.cleanup()));

    const manifests = (s: TestStack) => renderedFiles(s.manifests).map((f) => path.join(s.manifests, f));

    for (const stack of ["dev", "prod"]) {
        it(`finds nothing critical or warning in ${stack}`, () => {
            const { findings, output } = kubeScore(manifests(rendered[stack]), kubeScoreIgnores[stack]);
            expect(findings, output).to.deep.equal([]);
            expect(output).to.contain("[OK] task-mcp-http/task-mcp apps/v1/Deployment");
        });
    }

    it("reports a Deployment without limits as CRITICAL (the check can go red)", () => {
        const file = manifests(rendered.prod).find((f) => f.includes("apps_v1-deployment"))!;
        const deployment = parse(fs.readFileSync(file, "utf8"));
        delete deployment.spec.template.spec.containers[0].resources.limits;
        const broken = path.join(rendered.prod.dir, "broken-deployment.yaml");
        fs.writeFileSync(broken, stringify(deployment));
        const { findings } = kubeScore([broken], {});
        expect(findings.some((f) => f.startsWith("[CRITICAL]") && /limit/i.test(f))).to.equal(true);
    });
});
