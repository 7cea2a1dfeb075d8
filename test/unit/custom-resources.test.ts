/**
 * Every custom resource the program renders, for each fixture stack in both alerting modes and
 * both server profiles, validated against the pinned prometheus-operator's CRD schema
 * (test/crd-schemas, hardened as kubeconform -strict is: an unknown field is an error, not a
 * field the API server silently prunes).
 */
import { expect } from "chai";
import { operatorKinds } from "../../components/monitoring/custom-resources";
import { crdValidator } from "../../scripts/lib/crd-schemas";
import { fixtureConfig, fixtureStacks } from "../support/fixtures";
import { runProgram } from "../support/mocks";

const schemaErrors = crdValidator();

const secrets = { slackWebhookUrl: "https://hooks.slack.com/services/T000/B000/unit", smtpPassword: "unit-smtp-password" };
const variants = fixtureStacks.flatMap((stack) =>
    [false, true].flatMap((sharedAlertmanager) => (["upstream", "guide"] as const).map((profile) => ({ stack, sharedAlertmanager, profile }))),
);

describe("custom resources against the pinned operator's CRD schemas", () => {
    for (const { stack, sharedAlertmanager, profile } of variants) {
        it(`${stack}, ${sharedAlertmanager ? "shared" : "whole-config"} alerting, ${profile} server: every spec valid`, async () => {
            const run = await runProgram(stack, { ...fixtureConfig(stack, { sharedAlertmanager }), server: { profile } }, secrets);
            if (run.error) throw run.error;
            const objects = run.resources
                .filter((r) => r.type.startsWith("kubernetes:monitoring.coreos.com/"))
                .map((r) => r.inputs as { apiVersion: string; kind: string });
            const { ServiceMonitor, PrometheusRule, Probe, AlertmanagerConfig } = operatorKinds;
            const expectedKinds = [ServiceMonitor.kind, PrometheusRule.kind, Probe.kind, ...(sharedAlertmanager ? [AlertmanagerConfig.kind] : [])];
            expect(objects.map((o) => o.kind).sort(), "the kinds rendered").to.deep.equal(expectedKinds.sort());
            for (const object of objects) expect(schemaErrors(object), object.kind).to.deep.equal([]);
        });
    }

    it("refuses a misspelt field, a wrong type and a missing required field (the check above can fail)", async () => {
        const run = await runProgram("prod", fixtureConfig("prod", { sharedAlertmanager: true }), secrets);
        const byKind = (kind: string): any => structuredClone(run.resources.find((r) => r.inputs.kind === kind)!.inputs);

        const monitor = byKind(operatorKinds.ServiceMonitor.kind);
        monitor.spec.endpoints[0].intervall = monitor.spec.endpoints[0].interval;
        expect(schemaErrors(monitor)).to.deep.equal(["/spec/endpoints/0: must NOT have additional properties (intervall)"]);

        const rule = byKind(operatorKinds.PrometheusRule.kind);
        rule.spec.groups[0].rules[0].for = 60;
        expect(schemaErrors(rule)).to.include("/spec/groups/0/rules/0/for: must be string");

        const routing = byKind(operatorKinds.AlertmanagerConfig.kind);
        routing.spec.route.group_wait = routing.spec.route.groupWait;
        delete routing.spec.receivers[0].name;
        expect(schemaErrors(routing)).to.have.members([
            "/spec/route: must NOT have additional properties (group_wait)",
            "/spec/receivers/0: must have required property 'name'",
        ]);
    });
});
