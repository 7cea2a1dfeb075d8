import { expect } from "chai";
import { emergencyContacts } from "../../components/contract";
import { buildAlertmanagerConfig, placeholderSecrets } from "../../components/monitoring/routing";
import { buildRuleGroups } from "../../components/monitoring/rules";
import { contextFor } from "../support/context";
import { fixtureStackConfig } from "../support/fixtures";

describe("routing builder", () => {
    const prod = fixtureStackConfig("prod");
    const config = buildAlertmanagerConfig(prod.alerting, placeholderSecrets);
    const routes = config.route.routes!;
    const receiver = (name: string) => config.receivers.find((r) => r.name === name)!;

    it("has a receiver for every tier of the escalation table, plus ops", () => {
        expect(config.receivers.map((r) => r.name)).to.deep.equal(["ops", "oncall", "lead", "manager", "security", "deadmansswitch"]);
        expect(receiver("oncall").email_configs).to.deep.equal([
            {
                to: "oncall@company.com",
                send_resolved: true,
                headers: { Subject: '[{{ .CommonLabels.environment | toUpper }}] {{ template "email.default.subject" . }}' },
            },
        ]);
        expect(receiver("lead").email_configs![0]).to.include({ to: "eng-lead@company.com" });
        expect(receiver("manager").email_configs![0]).to.include({ to: "eng-manager@company.com" });
        expect(receiver("security").email_configs![0]).to.include({ to: "security@company.com" });
        expect(receiver("ops").email_configs![0]).to.include({ to: "ops-team@company.com" });
        expect(receiver("ops").slack_configs![0]).to.include({ channel: "#task-mcp-operations" });
    });

    it("pages on-call at once, re-pages every 15 min, escalates to the lead at 30 min and the manager at 1 h", () => {
        const [, security, outage, oncall, lead, manager, ops] = routes;
        expect(security).to.include({ receiver: "security", repeat_interval: "30m" });
        expect(security.continue).to.equal(undefined);
        for (const page of [outage, oncall]) expect(page).to.include({ receiver: "oncall", group_wait: "10s", repeat_interval: "15m", continue: true });
        expect(lead).to.include({ receiver: "lead", group_wait: "30m", continue: true });
        expect(manager).to.include({ receiver: "manager", group_wait: "60m", continue: true });
        expect(ops.receiver).to.equal("ops");
        for (const r of [oncall, lead, manager]) expect(r.matchers).to.include('severity="critical"');
        expect(emergencyContacts.manager.responseMinutes).to.equal(60);
    });

    it("inhibits outage symptoms while the service is down, and warnings under a critical of the same runbook", () => {
        expect(config.inhibit_rules[0].source_matchers).to.include('alertname=~"TaskMcpServiceDown|TaskMcpNoReadyPods"');
        expect(config.inhibit_rules[0].target_matchers[1]).to.equal('runbook=~"high-error-rate|performance-degradation|streaming-issues|slo-violations"');
        expect(config.inhibit_rules[1].equal).to.deep.equal(["namespace", "runbook", "slo"]);
    });

    it("mutes every route during the configured maintenance windows but security and a total outage's page", () => {
        expect(config.time_intervals).to.deep.equal([
            { name: "maintenance-weekly", time_intervals: [{ weekdays: ["sunday"], times: [{ start_time: "02:00", end_time: "04:00" }], location: "UTC" }] },
        ]);
        const unmuted = routes.filter((r) => r.mute_time_intervals === undefined);
        expect(unmuted.map((r) => `${r.receiver} ${r.matchers!.join(",")}`)).to.deep.equal([
            'deadmansswitch namespace="task-mcp",routing="deadmansswitch",alertname="Watchdog"',
            'security namespace="task-mcp",routing="security"',
            'oncall namespace="task-mcp",severity="critical",routing="oncall",outage="total"',
        ]);
        for (const r of routes.filter((r) => !unmuted.includes(r))) expect(r.mute_time_intervals).to.deep.equal(["maintenance-weekly"]);
        // The muted on-call route takes exactly the alerts the unmuted one does not: no double page.
        expect(routes.filter((r) => r.receiver === "oncall").map((r) => r.matchers!.at(-1))).to.deep.equal(['outage="total"', 'outage!="total"']);
    });

    it("marks exactly the total outages: ServiceDown, no Ready pod and the availability fast burns", () => {
        const outages = buildRuleGroups(contextFor("prod"))
            .flatMap((g) => g.rules)
            .filter((r) => r.labels?.outage === "total")
            .map((r) => r.alert);
        expect(outages.sort()).to.deep.equal([
            "TaskMcpApiAvailabilityFastBurn",
            "TaskMcpHealthAvailabilityFastBurn",
            "TaskMcpNoReadyPods",
            "TaskMcpServiceDown",
        ]);
    });

    it("sends the Watchdog first, alone, every minute, to the dead man's switch, and never inhibits it", () => {
        const [heartbeat] = routes;
        expect(heartbeat).to.deep.include({ receiver: "deadmansswitch", group_wait: "0s", group_interval: "1m", repeat_interval: "1m" });
        expect(heartbeat.continue).to.equal(undefined);
        expect(heartbeat.mute_time_intervals).to.equal(undefined);
        expect(receiver("deadmansswitch").webhook_configs).to.deep.equal([{ url: placeholderSecrets.deadMansSwitchUrl, send_resolved: false }]);
        const watchdog = buildRuleGroups(contextFor("prod"))
            .flatMap((g) => g.rules)
            .find((r) => r.alert === "Watchdog")!;
        expect(watchdog.labels).to.include({ severity: "none", routing: "deadmansswitch" });
        expect(buildAlertmanagerConfig(prod.alerting, {}).receivers.find((r) => r.name === "deadmansswitch")).to.deep.equal({ name: "deadmansswitch" });
        // No inhibition can take it: each one's targets are warnings or the outage symptoms' runbooks.
        for (const rule of config.inhibit_rules) {
            const targets = rule.target_matchers.join(",");
            expect(targets.includes('severity="warning"') || (targets.includes("runbook=~") && !targets.includes(watchdog.labels!.runbook)), targets).to.equal(
                true,
            );
        }
    });

    it("escalates to the manager unless the stack says not to (dev stops at the lead)", () => {
        const stopsAtLead = buildAlertmanagerConfig(fixtureStackConfig("dev", { alerting: { escalateToManager: false } }).alerting, {});
        expect(stopsAtLead.route.routes!.map((r) => r.receiver)).to.not.include("manager");
        expect(stopsAtLead.route.routes!.map((r) => r.receiver)).to.include("lead");
        expect(routes.map((r) => r.receiver)).to.include("manager");
    });

    it("names the environment in every notification's title and groups by it", () => {
        expect(config.route.group_by).to.include("environment");
        expect(receiver("ops").slack_configs![0]).to.include({ title: '[{{ .CommonLabels.environment | toUpper }}] {{ template "slack.default.title" . }}' });
        for (const r of config.receivers)
            for (const e of (r.email_configs ?? []) as Array<{ headers: { Subject: string } }>)
                expect(e.headers.Subject, r.name).to.contain(".CommonLabels.environment");
    });

    it("has no maintenance muting when a stack declares no window", () => {
        const dev = buildAlertmanagerConfig(fixtureStackConfig("dev").alerting, {});
        expect(dev.time_intervals).to.equal(undefined);
        expect(dev.route.routes!.every((r) => r.mute_time_intervals === undefined)).to.equal(true);
    });

    it("uses the secrets it is given, and leaves Slack out when no webhook is set", () => {
        expect(config.global.slack_api_url).to.equal(placeholderSecrets.slackWebhookUrl);
        expect(config.global.smtp_auth_password).to.equal(placeholderSecrets.smtpPassword);
        const bare = buildAlertmanagerConfig(prod.alerting, {});
        expect(bare.global).to.not.have.property("slack_api_url");
        expect(bare.receivers.every((r) => r.slack_configs === undefined)).to.equal(true);
    });

    it("takes contacts and channel from stack config", () => {
        const custom = buildAlertmanagerConfig(
            fixtureStackConfig("dev", { alerting: { contacts: { oncall: "pager@example.org" }, slackChannel: "#alerts" } }).alerting,
            placeholderSecrets,
        );
        expect(custom.receivers.find((r) => r.name === "oncall")!.email_configs![0]).to.include({ to: "pager@example.org" });
        expect(custom.receivers.find((r) => r.name === "ops")!.slack_configs![0]).to.include({ channel: "#alerts" });
    });
});
