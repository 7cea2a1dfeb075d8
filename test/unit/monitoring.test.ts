import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { expect } from "chai";
import { parse } from "yaml";
import { buildRuleGroups } from "../../components/monitoring/rules";
import { byType, one, ProgramRun, runProgram } from "../support/mocks";
import { contextFor } from "../support/context";
import { fixtureConfig } from "../support/fixtures";

/** A secret as the SDK serialises it for the engine (its own signature constants): the form the mocks see inputs in. */
const isWireSecret = (v: any) => v !== null && typeof v === "object" && v[rpc.specialSigKey] === rpc.specialSecretSig;

describe("TaskMcpMonitoring (prod stack)", () => {
    const webhook = "https://hooks.slack.com/services/T000/B000/very-secret";
    const password = "smtp-very-secret";
    let run: ProgramRun;
    before(async () => {
        run = await runProgram("prod", fixtureConfig("prod"), { slackWebhookUrl: webhook, smtpPassword: password });
        if (run.error) throw run.error;
    });

    it("scrapes the app's /metrics on its own port, and the proxy's, with the labels kube-prometheus-stack selects", () => {
        const sm = one(run, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor").inputs;
        expect(sm.metadata).to.deep.include({ name: "task-mcp-http", namespace: "task-mcp" });
        expect(sm.metadata.labels).to.include({ release: "kube-prometheus-stack" });
        expect(sm.spec.selector.matchLabels).to.deep.equal({ app: "task-mcp-http" });
        expect(sm.spec.endpoints).to.deep.equal([
            { port: "app", path: "/metrics", interval: "30s", scheme: "http" },
            { port: "proxy-metrics", path: "/metrics", interval: "30s", scheme: "http" },
        ]);
    });

    it("probes readiness through the Service's probe port with the platform's blackbox exporter", () => {
        const probe = one(run, "kubernetes:monitoring.coreos.com/v1:Probe").inputs;
        expect(probe.metadata.labels).to.include({ release: "kube-prometheus-stack", app: "task-mcp-http" });
        expect(probe.spec).to.deep.equal({
            jobName: "task-mcp-http-readiness",
            interval: "10s",
            module: "http_2xx",
            prober: { url: "prometheus-blackbox-exporter.monitoring.svc:9115", path: "/probe" },
            targets: { staticConfig: { static: ["http://task-mcp-http.task-mcp.svc:3002/readyz"] } },
        });
    });

    it("publishes the rule builder's groups as a PrometheusRule the operator selects", () => {
        const pr = one(run, "kubernetes:monitoring.coreos.com/v1:PrometheusRule").inputs;
        expect(pr.metadata.labels).to.include({ release: "kube-prometheus-stack" });
        expect(pr.spec.groups).to.deep.equal(buildRuleGroups(contextFor("prod")));
    });

    it("publishes one dashboard ConfigMap per uid for the Grafana sidecar", () => {
        const maps = byType(run, "kubernetes:core/v1:ConfigMap")
            .map((r) => r.inputs)
            .filter((m) => m.metadata.namespace === "monitoring");
        expect(maps.map((m) => Object.keys(m.data)[0])).to.deep.equal([
            "task-mcp-overview.json",
            "task-mcp-api.json",
            "task-mcp-infrastructure.json",
            "task-mcp-security.json",
        ]);
        for (const m of maps) {
            expect(m.metadata.namespace).to.equal("monitoring");
            expect(m.metadata.labels).to.include({ grafana_dashboard: "1" });
            const uid = Object.keys(m.data)[0].replace(/\.json$/, "");
            expect(JSON.parse(m.data[`${uid}.json`]).uid).to.equal(uid);
        }
    });

    it("keeps the Alertmanager config, with webhook and SMTP password, a secret end to end", () => {
        const secret = one(run, "kubernetes:core/v1:Secret", "alertmanager-task-mcp").inputs;
        expect(secret.metadata.namespace).to.equal("monitoring");
        expect(isWireSecret(secret.stringData)).to.equal(true);
        const config = parse(secret.stringData.value["alertmanager.yaml"]);
        expect(config.global).to.include({ slack_api_url: webhook, smtp_auth_password: password });
        expect(config.route.routes.map((r: any) => r.receiver)).to.deep.equal(["deadmansswitch", "security", "oncall", "oncall", "lead", "manager", "ops"]);
    });

    it("never exports a secret in plain text", async () => {
        const { isSecret, output } = await import("@pulumi/pulumi");
        // Every export's value, as the engine would store it: secrets stay marked, the rest is plain.
        const plain: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(run.exports)) {
            if (!(await isSecret(output(value)))) plain[name] = await (output(value) as any).promise();
        }
        expect(Object.keys(plain).length, "some exports are plain").to.be.greaterThan(0);
        expect(JSON.stringify(plain)).to.not.contain(webhook).and.not.contain(password);
        expect(await isSecret(run.exports.authTokens)).to.equal(true);
        for (const r of run.resources) {
            const text = JSON.stringify(r.inputs);
            if (text.includes(webhook) || text.includes(password)) expect(isWireSecret(r.inputs.stringData), r.name).to.equal(true);
        }
    });
});

describe("TaskMcpMonitoring with a shared Alertmanager (monitoring.sharedAlertmanager)", () => {
    const webhook = "https://hooks.slack.com/services/T000/B000/very-secret";
    const password = "smtp-very-secret";
    let run: ProgramRun;
    before(async () => {
        run = await runProgram("prod", fixtureConfig("prod", { sharedAlertmanager: true }), { slackWebhookUrl: webhook, smtpPassword: password });
        if (run.error) throw run.error;
    });

    it("declares an AlertmanagerConfig beside the service, selected as the ServiceMonitor is, instead of the whole-config Secret", () => {
        const amc = one(run, "kubernetes:monitoring.coreos.com/v1alpha1:AlertmanagerConfig").inputs;
        expect(amc.metadata).to.deep.include({ name: "task-mcp-http", namespace: "task-mcp" });
        expect(amc.metadata.labels).to.include({ release: "kube-prometheus-stack", app: "task-mcp-http" });
        expect(amc.spec.route.routes.map((r: any) => r.receiver)).to.deep.equal(["deadmansswitch", "security", "oncall", "oncall", "lead", "manager", "ops"]);
        expect(byType(run, "kubernetes:core/v1:Secret").map((s) => s.inputs.metadata.name)).to.not.include("alertmanager-task-mcp");
    });

    it("keeps webhook and SMTP password in a Secret in the service's namespace, referenced, never inline", () => {
        const credentials = one(run, "kubernetes:core/v1:Secret", "task-mcp-http-alerting").inputs;
        expect(credentials.metadata.namespace).to.equal("task-mcp");
        expect(isWireSecret(credentials.stringData)).to.equal(true);
        expect(credentials.stringData.value).to.deep.equal({ "slack-webhook-url": webhook, "smtp-password": password });
        const amc = JSON.stringify(one(run, "kubernetes:monitoring.coreos.com/v1alpha1:AlertmanagerConfig").inputs);
        expect(amc).to.not.contain(webhook).and.not.contain(password);
        const emails = (one(run, "kubernetes:monitoring.coreos.com/v1alpha1:AlertmanagerConfig").inputs.spec.receivers as any[]).flatMap(
            (r) => r.emailConfigs ?? [],
        );
        for (const e of emails) expect(e.authPassword).to.deep.equal({ name: "task-mcp-http-alerting", key: "smtp-password" });
    });
});
