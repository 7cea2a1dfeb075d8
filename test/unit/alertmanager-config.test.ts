import { expect } from "chai";
import { buildAlertmanagerConfigSpec } from "../../components/monitoring/alertmanager-config";
import { Matcher, renderMatcher } from "../../components/monitoring/conventions";
import { buildAlertmanagerConfig, placeholderSecrets } from "../../components/monitoring/routing";
import { fixtureStackConfig } from "../support/fixtures";

const refs = {
    slackWebhookUrl: { name: "task-mcp-http-alerting", key: "slack-webhook-url" },
    smtpPassword: { name: "task-mcp-http-alerting", key: "smtp-password" },
};

/** The CRD's camelCase keys back to alertmanager.yaml's snake_case, matchers rendered: to compare the two trees field by field. */
function asYaml(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(asYaml);
    if (typeof value !== "object" || value === null) return value;
    if ("matchType" in value) return renderMatcher(value as Matcher);
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), asYaml(v)]));
}

describe("AlertmanagerConfig builder (shared-platform mode)", () => {
    const prod = fixtureStackConfig("prod");
    const yaml = buildAlertmanagerConfig(prod.alerting, placeholderSecrets);
    const spec = buildAlertmanagerConfigSpec(prod.alerting, refs);

    it("is the routing tree of routing.ts, route for route and matcher for matcher", () => {
        expect(asYaml(spec.route)).to.deep.equal(yaml.route);
        expect(
            spec.inhibitRules.map((r) => ({
                source_matchers: r.sourceMatch.map(renderMatcher),
                target_matchers: r.targetMatch.map(renderMatcher),
                equal: r.equal,
            })),
        ).to.deep.equal(yaml.inhibit_rules);
        expect(spec.receivers.map((r) => r.name)).to.deep.equal(yaml.receivers.map((r) => r.name));
        expect(spec.muteTimeIntervals!.map((i) => i.name)).to.deep.equal(yaml.time_intervals!.map((i) => i.name));
        expect(spec.muteTimeIntervals![0].timeIntervals).to.deep.equal([{ weekdays: ["sunday"], times: [{ startTime: "02:00", endTime: "04:00" }] }]);
    });

    it("holds credentials only as Secret references, with the SMTP settings on each e-mail config", () => {
        const text = JSON.stringify(spec);
        expect(text)
            .to.not.contain(placeholderSecrets.slackWebhookUrl)
            .and.not.contain(placeholderSecrets.smtpPassword)
            .and.not.contain("from-a-secret-reference");
        for (const receiver of spec.receivers) {
            for (const email of receiver.emailConfigs ?? []) {
                expect(email).to.deep.include({
                    smarthost: prod.alerting.smtp.smarthost,
                    from: prod.alerting.smtp.from,
                    requireTLS: true,
                    authPassword: refs.smtpPassword,
                });
            }
        }
        const slack = spec.receivers.filter((r) => r.slackConfigs).map((r) => r.name);
        expect(slack).to.deep.equal(["ops", "security"]);
        expect(spec.receivers.find((r) => r.name === "ops")!.slackConfigs![0]).to.deep.include({
            apiURL: refs.slackWebhookUrl,
            channel: prod.alerting.slackChannel,
        });
    });

    it("leaves Slack and SMTP authentication out when their Secrets are not given", () => {
        const bare = buildAlertmanagerConfigSpec(prod.alerting, {});
        expect(bare.receivers.some((r) => r.slackConfigs)).to.equal(false);
        expect(bare.receivers.flatMap((r) => r.emailConfigs ?? []).some((e) => "authPassword" in e)).to.equal(false);
        expect(bare.receivers.some((r) => r.webhookConfigs)).to.equal(false);
    });

    it("refuses a maintenance window outside UTC: AlertmanagerConfig time intervals have no time zone", () => {
        const berlin = { ...prod.alerting, maintenanceWindows: [{ ...prod.alerting.maintenanceWindows[0], location: "Europe/Berlin" }] };
        expect(() => buildAlertmanagerConfigSpec(berlin, refs)).to.throw(/UTC only, not Europe\/Berlin/);
    });
});
