import { expect } from "chai";
import { equals, matchesAll, notEquals, oneOf, renderMatcher, routingOf } from "../../components/monitoring/conventions";

describe("alert conventions", () => {
    it("renders matchers in Alertmanager's text form, values quoted and escaped", () => {
        expect([equals("severity", "critical"), notEquals("outage", "total"), oneOf("runbook", ["a", "b"])].map(renderMatcher)).to.deep.equal([
            'severity="critical"',
            'outage!="total"',
            'runbook=~"a|b"',
        ]);
        expect(renderMatcher(equals("slo", 'say "hi" \\ bye'))).to.equal('slo="say \\"hi\\" \\\\ bye"');
    });

    it("matches as Alertmanager does: an absent label is empty, a regex is anchored", () => {
        expect(matchesAll([notEquals("outage", "total")], {})).to.equal(true);
        expect(matchesAll([equals("outage", "")], {})).to.equal(true);
        expect(matchesAll([oneOf("runbook", ["cpu-issues"])], { runbook: "cpu-issues-2" })).to.equal(false);
        expect(matchesAll([oneOf("runbook", ["cpu-issues", "memory-issues"])], { runbook: "memory-issues" })).to.equal(true);
        expect(matchesAll([equals("severity", "critical"), equals("routing", "oncall")], { severity: "critical", routing: "ops" })).to.equal(false);
    });

    it("routes by the escalation table: security to security, criticals to on-call, the rest to ops", () => {
        expect(routingOf({ severity: "critical", runbook: "security-incidents" })).to.equal("security");
        expect(routingOf({ severity: "critical", runbook: "service-downtime" })).to.equal("oncall");
        expect(routingOf({ severity: "warning", runbook: "service-downtime" })).to.equal("ops");
        expect(routingOf({ severity: "none", runbook: "watchdog", routing: "deadmansswitch" })).to.equal("deadmansswitch");
    });
});
