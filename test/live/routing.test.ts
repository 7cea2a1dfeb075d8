/**
 * Alertmanager alone, with the routing builder's tree at scaled-down response times: the lead
 * and the manager hear of a critical alert only if it is still firing and not silenced
 * (acknowledged) when their time comes; maintenance windows mute everything but security.
 */
import { expect } from "chai";
import * as fs from "fs";
import { workload } from "../../components/contract";
import { buildAlertmanagerConfig } from "../../components/monitoring/routing";
import { stackConfig } from "../../scripts/lib/stacks";
import { pointReceiversAt, startAlertmanager, startCatcher } from "./monitoring-stack";
import { postJson, tempDir } from "./processes";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alert(alertname: string, labels: Record<string, string>, endsInSeconds?: number) {
    return {
        labels: { alertname, namespace: workload.namespace, ...labels },
        annotations: { summary: alertname },
        startsAt: new Date().toISOString(),
        ...(endsInSeconds ? { endsAt: new Date(Date.now() + endsInSeconds * 1000).toISOString() } : {}),
    };
}

const critical = { severity: "critical", routing: "oncall", runbook: "service-downtime" };

async function withAlertmanager(stackPatch: Record<string, unknown>, timings: Parameters<typeof buildAlertmanagerConfig>[2], scenario: (url: string) => Promise<void>) {
    const dir = tempDir("routing");
    const catcher = await startCatcher();
    const config = buildAlertmanagerConfig(stackConfig("dev", stackPatch).alerting, {}, timings);
    const am = await startAlertmanager(pointReceiversAt(config, catcher.url), dir);
    try {
        await scenario(am.url);
        return catcher.notifications;
    } finally {
        await am.daemon.stop();
        await catcher.close();
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

describe("live: Alertmanager escalation and maintenance", function () {
    this.timeout(120_000);

    it("escalates an unacknowledged critical alert on-call -> lead -> manager, and never an acknowledged or resolved one", async () => {
        const t0 = Date.now();
        const notifications = await withAlertmanager({}, { oncall: "1m", lead: "20s", manager: "30s", security: "1m" }, async (url) => {
            await postJson(`${url}/api/v2/alerts`, [
                alert("Unacknowledged", critical),
                alert("Acknowledged", critical),
                alert("ResolvedQuickly", critical, 4),
            ]);
            await sleep(13_000); // on-call has been paged (group_wait 10s)
            await postJson(`${url}/api/v2/silences`, {
                matchers: [{ name: "alertname", value: "Acknowledged", isRegex: false, isEqual: true }],
                startsAt: new Date().toISOString(),
                endsAt: new Date(Date.now() + 3600_000).toISOString(),
                createdBy: "oncall@company.com",
                comment: "ack",
            });
            await sleep(25_000);
        });
        const firstTo = (receiver: string, name: string) => notifications.find((n) => n.receiver === receiver && n.status === "firing" && n.alertnames.includes(name));
        const oncall = firstTo("oncall", "Unacknowledged")!;
        const lead = firstTo("lead", "Unacknowledged")!;
        const manager = firstTo("manager", "Unacknowledged")!;
        expect([oncall, lead, manager].every(Boolean), JSON.stringify(notifications)).to.equal(true);
        expect(oncall.at - t0).to.be.below(lead.at - t0);
        expect(lead.at - t0).to.be.within(19_000, 30_000);
        expect(manager.at - t0).to.be.within(29_000, 40_000);
        expect(firstTo("oncall", "Acknowledged"), "acknowledged alert still pages on-call first").to.not.equal(undefined);
        expect(firstTo("lead", "Acknowledged")).to.equal(undefined);
        expect(firstTo("manager", "Acknowledged")).to.equal(undefined);
        expect(notifications.filter((n) => n.alertnames.includes("ResolvedQuickly"))).to.deep.equal([]);
    });

    it("mutes everything but security during a maintenance window", async () => {
        const always = { name: "always", weekdays: ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"], startTime: "00:00", endTime: "24:00" };
        const notifications = await withAlertmanager({ alerting: { maintenanceWindows: [always] } }, undefined, async (url) => {
            await postJson(`${url}/api/v2/alerts`, [
                alert("PageDuringMaintenance", critical),
                alert("WarningDuringMaintenance", { severity: "warning", routing: "ops", runbook: "cpu-issues" }),
                alert("AttackDuringMaintenance", { severity: "warning", routing: "security", runbook: "security-incidents" }),
            ]);
            await sleep(35_000); // past every group_wait of the unmuted routes
        });
        expect(notifications.map((n) => `${n.receiver}:${n.alertnames.join(",")}`)).to.deep.equal(["security:AttackDuringMaintenance"]);
    });
});
