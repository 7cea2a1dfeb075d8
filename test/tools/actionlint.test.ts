import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { toolsBin } from "../../scripts/lib/engine";
import { exportedStacks, repoRoot } from "../../scripts/lib/stacks";

const workflows = path.join(repoRoot, ".github", "workflows");
const actionlintBin = path.join(toolsBin, "actionlint");

/** actionlint's exit status; a missing binary is an error, never a pass or a "not 0". */
function actionlint(files: string[]): { status: number; output: string } {
    if (!fs.existsSync(actionlintBin)) throw new Error(`${actionlintBin} is missing: run bash scripts/setup.sh`);
    const r = spawnSync(actionlintBin, ["-color=false", ...files], { encoding: "utf8" });
    if (r.error || r.status === null) throw new Error(`actionlint did not run: ${r.error?.message ?? `signal ${r.signal}`}`);
    return { status: r.status, output: r.stdout + r.stderr };
}

const workflow = (name: string) => parse(fs.readFileSync(path.join(workflows, name), "utf8"));
type Step = { uses?: string; run?: string; with?: Record<string, unknown> };
type Job = { steps: Step[]; needs?: string; environment?: string };
const pulumiStep = (steps: Step[]) => steps.find((s) => s.uses?.startsWith("pulumi/actions@"))!;
/** The CLI version the tests run: tools/go.mod's pulumi/pkg, which scripts/tools.sh builds. */
const testedCli = /github\.com\/pulumi\/pulumi\/pkg\/v3 v(\S+)/.exec(fs.readFileSync(path.join(repoRoot, "tools", "go.mod"), "utf8"))![1];

describe("CI workflows", () => {
    const files = fs.readdirSync(workflows).map((f) => path.join(workflows, f));

    it("pass actionlint", () => {
        const r = actionlint(files);
        expect(r.status, r.output).to.equal(0);
    });

    it("fail actionlint when broken (the check can go red)", () => {
        const broken = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "actionlint-")), "broken.yml");
        fs.writeFileSync(broken, fs.readFileSync(path.join(workflows, "deploy.yml"), "utf8").replace("needs: dev", "needs: nope"));
        const r = actionlint([broken]);
        expect(r.status, r.output).to.equal(1);
        expect(r.output).to.contain("nope");
    });

    it("preview every stack on pull requests, with the diff and the policy pack, as a PR comment", () => {
        const preview = workflow("preview.yml");
        expect(preview.on).to.have.property("pull_request");
        expect(preview.jobs.preview.strategy.matrix.stack).to.deep.equal([...exportedStacks]);
        expect(pulumiStep(preview.jobs.preview.steps).with).to.deep.include({
            command: "preview",
            diff: true,
            "comment-on-pr": true,
            policyPacks: "policy/analyzer",
        });
    });

    it("deploy dev, then prod, each previewed before its up, the up in the GitHub environment named like the stack", () => {
        const deploy = workflow("deploy.yml");
        expect(deploy.on.push.branches).to.deep.equal(["main"]);
        const { dev, prod } = deploy.jobs;
        for (const job of [dev, prod]) expect(job.uses).to.equal("./.github/workflows/pulumi-up.yml");
        expect(dev.with).to.deep.equal({ stack: "dev" });
        expect(prod.with).to.deep.equal({ stack: "prod" });
        expect(prod.needs).to.equal("dev");
        const { preview, up } = workflow("pulumi-up.yml").jobs as Record<string, Job>;
        expect(pulumiStep(preview.steps).with).to.deep.include({
            command: "preview",
            "stack-name": "${{ inputs.stack }}",
            policyPacks: "policy/analyzer",
            diff: true,
        });
        expect(preview.environment, "the preview runs ungated, so the approver reads it first").to.equal(undefined);
        expect(up.needs).to.equal("preview");
        expect(up.environment).to.equal("${{ inputs.stack }}");
        expect(pulumiStep(up.steps).with).to.deep.include({ command: "up", "stack-name": "${{ inputs.stack }}", policyPacks: "policy/analyzer" });
    });

    it("bootstrap with the documented command, in the same environment and with the same kubeconfig secret as the deploy", () => {
        const job: Job = workflow("bootstrap.yml").jobs.bootstrap;
        expect(job.steps.some((s) => s.run?.startsWith("npm run bootstrap"))).to.equal(true);
        expect(job.environment).to.equal("${{ inputs.stack }}");
        const kubeconfigSecret = (steps: Step[]) => JSON.stringify(steps.find((s) => (s as { name?: string }).name === "kubeconfig"));
        expect(kubeconfigSecret(job.steps)).to.equal(kubeconfigSecret(workflow("pulumi-up.yml").jobs.up.steps));
        expect(fs.readFileSync(path.join(repoRoot, "README.md"), "utf8")).to.contain("npm run bootstrap");
    });

    it(`install the Pulumi CLI the tests run (${testedCli}) in every workflow`, () => {
        const versions = files.flatMap((file) => {
            const w = parse(fs.readFileSync(file, "utf8"));
            return Object.values(w.jobs as Record<string, Job>).flatMap((job) =>
                (job.steps ?? [])
                    .filter((s) => s.uses?.startsWith("pulumi/actions@"))
                    .map((s) => `${path.basename(file)}: ${String(s.with?.["pulumi-version"]).replace("${{ env.PULUMI_VERSION }}", w.env?.PULUMI_VERSION)}`),
            );
        });
        expect(versions.length).to.equal(4);
        for (const v of versions) expect(v).to.match(new RegExp(`: ${testedCli.replaceAll(".", "\\.")}$`));
    });
});
