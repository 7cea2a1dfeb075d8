/**
 * The program under the real Pulumi engine (CLI built from Go modules, file backend,
 * passphrase secrets, Kubernetes provider in render mode). No cluster, no account.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { dashboards, workload } from "../../components/contract";
import { placeholderToken, renderedFiles, stateResources, stepRecorder, testStack, TestStack } from "../support/test-stack";

const manifest = (s: TestStack, file: string) => parse(fs.readFileSync(path.join(s.manifests, file), "utf8"));

describe("engine: the local render stack", function () {
    this.timeout(600_000);
    let s: TestStack;
    before(async () => {
        s = await testStack("local");
    });
    after(() => s?.cleanup());

    it("previews, then applies, rendering every contract object", async () => {
        const preview = await s.stack.preview();
        expect(preview.changeSummary.create).to.be.greaterThan(15);
        let output = "";
        const up = await s.stack.up({ onOutput: (o) => (output += o) });
        expect(up.summary.result).to.equal("succeeded");
        // The plugins are the versions the SDKs ask for: no "expected to have version" warning.
        expect(output)
            .to.contain("Resources:")
            .and.not.match(/resource plugin \w+ is expected to have version/);
        const files = renderedFiles(s.manifests);
        const expected = [
            `1-manifest/v1-namespace-default-${workload.namespace}.yaml`,
            `1-manifest/apps_v1-deployment-${workload.namespace}-${workload.name}.yaml`,
            `1-manifest/v1-service-${workload.namespace}-${workload.name}.yaml`,
            `1-manifest/v1-serviceaccount-${workload.namespace}-${workload.name}.yaml`,
            `1-manifest/autoscaling_v2-horizontalpodautoscaler-${workload.namespace}-${workload.name}.yaml`,
            `1-manifest/policy_v1-poddisruptionbudget-${workload.namespace}-${workload.name}.yaml`,
            `1-manifest/networking.k8s.io_v1-networkpolicy-${workload.namespace}-${workload.name}.yaml`,
            `1-manifest/v1-secret-${workload.namespace}-${workload.name}-auth.yaml`,
            `1-manifest/monitoring.coreos.com_v1-servicemonitor-${workload.namespace}-${workload.name}.yaml`,
            `1-manifest/monitoring.coreos.com_v1-prometheusrule-${workload.namespace}-${workload.name}.yaml`,
            `1-manifest/monitoring.coreos.com_v1-probe-${workload.namespace}-${workload.name}.yaml`,
            `1-manifest/v1-configmap-${workload.namespace}-${workload.name}-proxy.yaml`,
            "1-manifest/v1-secret-monitoring-alertmanager-task-mcp.yaml",
            ...Object.values(dashboards).map((d) => `1-manifest/v1-configmap-monitoring-${d.uid}-dashboard.yaml`),
        ];
        expect(files).to.include.members(expected);
        const deployment = manifest(s, `1-manifest/apps_v1-deployment-${workload.namespace}-${workload.name}.yaml`);
        expect(deployment.spec).to.not.have.property("replicas");
        // The guide's port is the proxy's, a native sidecar in front of the app.
        const proxy = deployment.spec.template.spec.initContainers[0];
        expect([proxy.restartPolicy, proxy.ports[0].containerPort]).to.deep.equal(["Always", workload.port]);
    });

    it("renders the custom resources with their namespace", () => {
        for (const kind of ["servicemonitor", "prometheusrule", "probe"]) {
            const cr = manifest(s, `1-manifest/monitoring.coreos.com_v1-${kind}-${workload.namespace}-${workload.name}.yaml`);
            expect(cr.metadata.namespace, kind).to.equal(workload.namespace);
        }
    });

    it("reports no changes on a second up (idempotent)", async () => {
        const recorder = stepRecorder();
        const up = await s.stack.up({ onEvent: recorder.onEvent });
        expect(Object.keys(up.summary.resourceChanges ?? {})).to.deep.equal(["same"]);
        expect(recorder.steps.filter((st) => st.op !== "same")).to.deep.equal([]);
    });

    it("never writes a secret's plain value to the state file", () => {
        const state = fs.readFileSync(s.stateFile, "utf8");
        expect(state).to.not.contain(placeholderToken.secure);
        expect(state).to.contain('"ciphertext"');
    });

    it("destroys to an empty stack", async () => {
        await s.stack.destroy();
        expect(await stateResources(s)).to.deep.equal([]);
    });
});

describe("engine: preview diffs and bad config", function () {
    this.timeout(600_000);

    async function diffAfter(patch: Record<string, unknown>) {
        const s = await testStack("dev");
        try {
            await s.stack.up();
            for (const [key, value] of Object.entries(patch))
                await s.stack.setConfig(`task-mcp:${key}`, { value: typeof value === "string" ? value : JSON.stringify(value) });
            const recorder = stepRecorder();
            await s.stack.preview({ onEvent: recorder.onEvent, diff: true });
            return recorder.steps.filter((st) => st.op !== "same");
        } finally {
            s.cleanup();
        }
    }

    it("changing the image tag updates only the Deployment's image and version label", async () => {
        const changed = await diffAfter({ image: "ghcr.io/fission-ai/task-mcp-http:1.4.3" });
        expect(changed.map((st) => `${st.op} ${st.name}`)).to.deep.equal(["update task-mcp-svc-deployment"]);
        expect(changed[0].diffs).to.deep.equal(['spec.template.metadata.labels["app.kubernetes.io/version"]', "spec.template.spec.containers[0].image"]);
    });

    it("changing replicas.max updates only the HPA", async () => {
        const changed = await diffAfter({ replicas: { min: 1, max: 5 } });
        expect(changed.map((st) => `${st.op} ${st.name}`)).to.deep.equal(["update task-mcp-svc-hpa"]);
        expect(changed[0].diffs).to.deep.equal(["spec.maxReplicas"]);
    });

    it("a bad config value fails the preview with the program's message and creates nothing", async () => {
        const s = await testStack("dev", { replicas: { min: 0, max: 3 } });
        try {
            let output = "";
            const error = await s.stack.up({ onOutput: (o) => (output += o) }).then(
                () => undefined,
                (e: Error) => e,
            );
            expect(error, "up must fail").to.not.equal(undefined);
            // The engine indents the message's second line; the words are the program's.
            expect(output).to.match(/error: Invalid config for stack "dev":\n\s+task-mcp:replicas\.min = 0; allowed: an integer from 1 to 100\n/);
            expect((await stateResources(s)).filter((r) => r.type !== "pulumi:pulumi:Stack")).to.deep.equal([]);
            expect(renderedFiles(s.manifests)).to.deep.equal([]);
        } finally {
            s.cleanup();
        }
    });
});

describe("engine: prod in render mode", function () {
    this.timeout(600_000);
    const webhook = "https://hooks.slack.invalid/placeholder-webhook-for-the-state-test";
    const password = "placeholder-smtp-password-for-the-state-test";
    let s: TestStack;
    before(async () => {
        s = await testStack("prod", { slackWebhookUrl: { secure: webhook }, smtpPassword: { secure: password } });
    });
    after(() => s?.cleanup());

    it("applies with its Slack and SMTP secrets kept out of the state in plain text", async () => {
        const up = await s.stack.up();
        expect(up.summary.result).to.equal("succeeded");
        const state = fs.readFileSync(s.stateFile, "utf8");
        for (const secret of [webhook, password, placeholderToken.secure]) expect(state).to.not.contain(secret);
        const outputs = await s.stack.outputs();
        expect(outputs.authTokens.secret).to.equal(true);
    });

    it("protects the namespace: destroy refuses until it is unprotected", async () => {
        const resources = await stateResources(s);
        expect(resources.find((r) => r.type === "kubernetes:core/v1:Namespace")!.protect).to.equal(true);
        const error = await s.stack.destroy().then(
            () => undefined,
            (e: Error) => e,
        );
        expect(String(error)).to.match(/protected/i);
    });
});
