import { expect } from "chai";
import { spawnSync } from "child_process";
import { prometheusTool, prometheusToolVersion } from "../../scripts/lib/prometheus-tools";
import { ExportedPaths } from "../../scripts/lib/export";
import { exportAll } from "../support/exported";
import { loadRules } from "../../scripts/lib/promtool";

function amtool(args: string[]) {
    const result = spawnSync(prometheusTool("amtool"), args, { encoding: "utf8" });
    return { status: result.status, out: `${result.stdout}${result.stderr}`.replace(/^Warning: --config\.file flag overrides.*\n/gm, "") };
}

/** Receivers amtool resolves for an alert with these labels. */
function route(config: string, labels: Record<string, string>): string {
    const r = amtool(["config", "routes", "test", `--config.file=${config}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)]);
    expect(r.status, r.out).to.equal(0);
    return r.out.trim();
}

const ours = { namespace: "task-mcp" };

describe(`routing under amtool (${prometheusToolVersion("amtool")})`, () => {
    let exported: Record<string, ExportedPaths>;
    before(() => {
        exported = exportAll();
    });

    for (const stack of ["dev", "prod"]) {
        it(`amtool check-config passes for ${stack}`, () => {
            const r = amtool(["check-config", exported[stack].alertmanager]);
            expect(r.status, r.out).to.equal(0);
            expect(r.out).to.contain("SUCCESS").and.contain("5 receivers").and.contain("2 inhibit rules");
        });

        describe(`${stack}: every tier of the escalation table`, () => {
            const cases: Array<[string, Record<string, string>, string]> = [
                ["critical pages on-call, escalates to lead and manager, shows in Slack", { ...ours, severity: "critical", routing: "oncall", alertname: "TaskMcpServiceDown" }, "oncall,lead,manager,ops"],
                ["warnings go to Slack and the ops mailbox", { ...ours, severity: "warning", routing: "ops", alertname: "TaskMcpHighErrorRate" }, "ops"],
                ["security alerts go to the security team only", { ...ours, severity: "warning", routing: "security", alertname: "TaskMcpAuthFailureSpike" }, "security"],
                ["other namespaces fall back to ops", { namespace: "other", severity: "critical", routing: "oncall" }, "ops"],
            ];
            for (const [name, labels, receivers] of cases) {
                it(name, () => expect(route(exported[stack].alertmanager, labels)).to.equal(receivers));
            }
        });
    }

    it("routes every alert of the rule file to at least one receiver, pages criticals, and sends security to security", () => {
        for (const [alert, rule] of loadRules(exported.prod.rules)) {
            const receivers = route(exported.prod.alertmanager, { alertname: alert, ...rule.labels }).split(",");
            expect(receivers.length, alert).to.be.greaterThan(0);
            if (rule.labels!.routing === "security") expect(receivers, alert).to.deep.equal(["security"]);
            else if (rule.labels!.severity === "critical") expect(receivers, alert).to.include.members(["oncall", "lead", "manager"]);
            else expect(receivers, alert).to.deep.equal(["ops"]);
        }
    });

    it("reports a mismatch when asked to verify the wrong receiver (the check can go red)", () => {
        const r = amtool(["config", "routes", "test", `--config.file=${exported.prod.alertmanager}`, "--verify.receivers=oncall", "namespace=task-mcp", "severity=warning", "routing=ops"]);
        expect(r.status).to.not.equal(0);
    });
});
