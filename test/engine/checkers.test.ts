/**
 * kube-score and kubeconform on the manifests the real engine renders for dev and prod.
 * kube-score: no CRITICAL, no WARNING; the checks ignored are listed below, each with its reason
 * (docs/hardening.md). kubeconform: every object valid against the offline schemas, strictly.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { toolsBin, toolsRoot } from "../../scripts/lib/engine";
import { renderedFiles, testStack, TestStack } from "../support/test-stack";
import { exportedStacks, stackFile } from "../../scripts/lib/stacks";

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

function kubeconform(files: string[]) {
    const location = path.join(toolsRoot, "schemas", "{{ .ResourceKind }}{{ .KindSuffix }}.json");
    const r = spawnSync(path.join(toolsBin, "kubeconform"), ["-strict", "-summary", "-schema-location", location, ...files], { encoding: "utf8" });
    return { status: r.status, output: r.stdout + r.stderr };
}

describe("kube-score and kubeconform on rendered manifests", function () {
    this.timeout(600_000);
    const rendered: Record<string, TestStack> = {};
    before(async () => {
        for (const stack of exportedStacks) {
            rendered[stack] = await testStack(stack);
            await rendered[stack].stack.up();
        }
        // Shared-platform mode, with credentials: the AlertmanagerConfig and its Secret instead of the whole-config Secret.
        const monitoring = stackFile("prod").config!["task-mcp:monitoring"] as Record<string, unknown>;
        rendered.shared = await testStack("prod", {
            monitoring: { ...monitoring, sharedAlertmanager: true },
            slackWebhookUrl: { secure: "https://hooks.slack.invalid/placeholder" },
            smtpPassword: { secure: "placeholder-smtp-password" },
        });
        await rendered.shared.stack.up();
    });
    after(() => Object.values(rendered).forEach((s) => s.cleanup()));

    const manifests = (s: TestStack) => renderedFiles(s.manifests).map((f) => path.join(s.manifests, f));

    for (const stack of exportedStacks) {
        it(`finds nothing critical or warning in ${stack}`, () => {
            const { findings, output } = kubeScore(manifests(rendered[stack]), kubeScoreIgnores[stack] ?? {});
            expect(findings, output).to.deep.equal([]);
            expect(output).to.contain("[OK] task-mcp-http/task-mcp apps/v1/Deployment");
        });
    }

    for (const stack of exportedStacks) {
        it(`validates every ${stack} object strictly against the Kubernetes and prometheus-operator schemas`, () => {
            const files = manifests(rendered[stack]);
            const { status, output } = kubeconform(files);
            expect(status, output).to.equal(0);
            expect(output).to.contain(`Valid: ${files.length}, Invalid: 0, Errors: 0, Skipped: 0`);
        });
    }

    it("validates the shared-platform mode's AlertmanagerConfig strictly against the prometheus-operator's CRD schema", () => {
        const files = manifests(rendered.shared);
        const amc = files.filter((f) => /kind: AlertmanagerConfig\b/.test(fs.readFileSync(f, "utf8")));
        expect(amc, "one rendered AlertmanagerConfig").to.have.length(1);
        const { status, output } = kubeconform(files);
        expect(status, output).to.equal(0);
        expect(output).to.contain(`Valid: ${files.length}, Invalid: 0, Errors: 0, Skipped: 0`);
        // The check can go red: a field the CRD does not know, where a typo would put it.
        const broken = path.join(rendered.shared.dir, "broken-amc.yaml");
        fs.writeFileSync(broken, fs.readFileSync(amc[0], "utf8").replace("groupWait:", "group_wait:"));
        const bad = kubeconform([broken]);
        expect(bad.status, bad.output).to.not.equal(0);
        expect(bad.output).to.contain("AlertmanagerConfig");
    });

    it("rejects an unknown field in a Deployment and in a ServiceMonitor (the check can go red)", () => {
        const broken = ["apps_v1-deployment", "monitoring.coreos.com_v1-servicemonitor"].map((kind) => {
            const file = manifests(rendered.prod).find((f) => f.includes(kind))!;
            const object = parse(fs.readFileSync(file, "utf8"));
            object.spec.unknownField = 1;
            const out = path.join(rendered.prod.dir, `broken-${kind}.yaml`);
            fs.writeFileSync(out, stringify(object));
            return out;
        });
        const { status, output } = kubeconform(broken);
        expect(status).to.not.equal(0);
        expect(output).to.contain("Invalid: 2").and.contain("'unknownField' not allowed");
    });

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
