import { expect } from "chai";
import { prometheusToolVersion } from "../support/prometheus-tools";
import { ExportedPaths } from "../../scripts/lib/export";
import { exportAll } from "../support/exported";
import { loadRules } from "../support/promtool";
import { exportedStacks } from "../../scripts/lib/stacks";
import { amtool, amtoolRoute as route, escalationCases, expectEveryAlertRouted, otherNamespaceAlert } from "../support/routing-cases";

describe(`routing under amtool (${prometheusToolVersion("amtool")})`, () => {
    let exported: Record<string, ExportedPaths>;
    before(() => {
        exported = exportAll();
    });

    for (const stack of exportedStacks) {
        it(`amtool check-config passes for ${stack}`, () => {
            const r = amtool(["check-config", exported[stack].alertmanager]);
            expect(r.status, r.out).to.equal(0);
            expect(r.out).to.contain("SUCCESS").and.contain("6 receivers").and.contain("2 inhibit rules");
        });

        describe(`${stack}: every tier of the escalation table`, () => {
            const cases = [...escalationCases(stack), ["other namespaces fall back to ops", otherNamespaceAlert, "ops"] as const];
            for (const [name, labels, receivers] of cases) {
                it(name, () => expect(route(exported[stack].alertmanager, labels)).to.equal(receivers));
            }
        });
    }

    for (const stack of exportedStacks) {
        it(`${stack}: routes every alert of the rule file, labelled with its environment, as the escalation table says`, () => {
            expectEveryAlertRouted(
                stack,
                exported[stack].alertmanager,
                [...loadRules(exported[stack].rules)].map(([alert, rule]) => ({ alert, labels: rule.labels! })),
            );
        });
    }

    it("reports a mismatch when asked to verify the wrong receiver (the check can go red)", () => {
        const r = amtool([
            "config",
            "routes",
            "test",
            `--config.file=${exported.prod.alertmanager}`,
            "--verify.receivers=oncall",
            "namespace=task-mcp",
            "severity=warning",
            "routing=ops",
        ]);
        expect(r.status).to.not.equal(0);
    });
});
