/**
 * Alertmanager alone, with the routing builder's tree at scaled-down response times: the lead
 * and the manager hear of a critical alert only if it is still firing and not silenced
 * (acknowledged) when their time comes; maintenance windows mute everything but security.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import { workload } from "../../components/contract";
import { durationSeconds } from "../../components/duration";
import { AlertmanagerConfig, buildAlertmanagerConfig } from "../../components/monitoring/routing";
import { totalOutage } from "../../components/monitoring/conventions";
import { prometheusTool } from "../support/prometheus-tools";
import { stackConfig } from "../../scripts/lib/stacks";
import { pointReceiversAt, startAlertmanager, startCatcher } from "../support/monitoring-stack";
import { getJson, postJson, tempDir } from "../support/processes";

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

/** When `receiver`'s route first tells it (its group_wait, or the root's), in ms, from the config under test. */
function firstToldMs(config: AlertmanagerConfig, receiver?: string): number {
    const route = receiver ? config.route.routes!.find((r) => r.receiver === receiver)! : config.route;
    return durationSeconds(route.group_wait ?? config.route.group_wait!) * 1000;
}

async function withAlertmanager(config: AlertmanagerConfig, scenario: (url: string) => Promise<void>) {
    const dir = tempDir("routing");
    const catcher = await startCatcher();
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

    const scaled = { oncall: "1m", lead: "20s", manager: "30s", security: "1m" };

    it("escalates an unacknowledged critical alert on-call -> lead -> manager (prod), and never an acknowledged or resolved one", async () => {
        const config = buildAlertmanagerConfig(stackConfig("prod", { alerting: { maintenanceWindows: [] } }).alerting, {}, scaled);
        const [oncallWait, leadWait, managerWait] = ["oncall", "lead", "manager"].map((receiver) => firstToldMs(config, receiver));
        expect(oncallWait).to.be.below(leadWait).and.below(managerWait);
        const notifications = await withAlertmanager(config, async (url) => {
            const posted = Date.now();
            await postJson(`${url}/api/v2/alerts`, [alert("Unacknowledged", critical), alert("Acknowledged", critical), alert("ResolvedQuickly", critical, 4)]);
            // On-call acknowledges once paged, well before the lead's turn.
            await sleep(oncallWait + (leadWait - oncallWait) / 3);
            await postJson(`${url}/api/v2/silences`, {
                matchers: [{ name: "alertname", value: "Acknowledged", isRegex: false, isEqual: true }],
                startsAt: new Date().toISOString(),
                endsAt: new Date(Date.now() + 3600_000).toISOString(),
                createdBy: "oncall@company.com",
                comment: "ack",
            });
            await sleep(Math.max(0, posted + managerWait + 8_000 - Date.now()));
        });
        const firstTo = (receiver: string, name: string) =>
            notifications.find((n) => n.receiver === receiver && n.status === "firing" && n.alertnames.includes(name));
        const oncall = firstTo("oncall", "Unacknowledged")!;
        const lead = firstTo("lead", "Unacknowledged")!;
        const manager = firstTo("manager", "Unacknowledged")!;
        expect([oncall, lead, manager].every(Boolean), JSON.stringify(notifications)).to.equal(true);
        // Measured from on-call's page, so a slow start of Alertmanager does not move the window;
        // Alertmanager's group timers fire up to a few seconds late, never early.
        const after = (n: { at: number }) => n.at - oncall.at;
        expect(after(lead)).to.be.within(leadWait - oncallWait - 1_000, leadWait - oncallWait + 5_000);
        expect(after(manager)).to.be.within(managerWait - oncallWait - 1_000, managerWait - oncallWait + 5_000);
        expect(firstTo("oncall", "Acknowledged"), "acknowledged alert still pages on-call first").to.not.equal(undefined);
        expect(firstTo("lead", "Acknowledged")).to.equal(undefined);
        expect(firstTo("manager", "Acknowledged")).to.equal(undefined);
        expect(notifications.filter((n) => n.alertnames.includes("ResolvedQuickly"))).to.deep.equal([]);
    });

    it("stops a dev page at the lead: the manager never hears of it", async () => {
        const config = buildAlertmanagerConfig(stackConfig("dev").alerting, {}, scaled);
        const notifications = await withAlertmanager(config, async (url) => {
            await postJson(`${url}/api/v2/alerts`, [alert("DevPage", { ...critical, environment: "dev" })]);
            await sleep(durationSeconds(scaled.manager) * 1000 + 8_000);
        });
        const told = [...new Set(notifications.filter((n) => n.alertnames.includes("DevPage")).map((n) => n.receiver))].sort();
        expect(told).to.deep.equal(["lead", "oncall", "ops"]);
        expect(notifications.find((n) => n.receiver === "oncall")!.commonLabels.environment).to.equal("dev");
    });

    it("mutes everything during a maintenance window but security, a total outage's page to on-call, and the Watchdog's heartbeat", async () => {
        const always = {
            name: "always",
            weekdays: ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
            startTime: "00:00",
            endTime: "24:00",
        };
        const config = buildAlertmanagerConfig(stackConfig("dev", { alerting: { maintenanceWindows: [always] } }).alerting, {});
        // Without the window, on-call and ops would be told after these group_waits (the config's).
        const unmutedWaits = [firstToldMs(config, "oncall"), firstToldMs(config)];
        const notifications = await withAlertmanager(config, async (url) => {
            await postJson(`${url}/api/v2/alerts`, [
                alert("PageDuringMaintenance", critical),
                alert("OutageDuringMaintenance", { ...critical, [totalOutage.label]: totalOutage.value }),
                alert("WarningDuringMaintenance", { severity: "warning", routing: "ops", runbook: "cpu-issues" }),
                alert("AttackDuringMaintenance", { severity: "warning", routing: "security", runbook: "security-incidents" }),
                alert("Watchdog", { severity: "none", routing: "deadmansswitch", runbook: "watchdog" }),
            ]);
            await sleep(Math.max(...unmutedWaits) + 5_000); // past every group_wait of the routes a window mutes
        });
        expect(notifications.map((n) => `${n.receiver}:${n.alertnames.join(",")}`).sort()).to.deep.equal([
            "deadmansswitch:Watchdog",
            "oncall:OutageDuringMaintenance",
            "security:AttackDuringMaintenance",
        ]);
    });

    it("scheduled maintenance: amtool creates a silence that mutes the work's alert, lists it, and expires it (maintenance/scheduled-maintenance.md)", async () => {
        const config = buildAlertmanagerConfig(stackConfig("dev").alerting, {});
        const oncallWait = firstToldMs(config, "oncall");
        let silenceId = "";
        let afterExpiry: Array<{ id: string; status: { state: string } }> = [];
        const notifications = await withAlertmanager(config, async (url) => {
            const amtool = (...args: string[]) => {
                const r = spawnSync(prometheusTool("amtool"), [...args, `--alertmanager.url=${url}`], { encoding: "utf8" });
                expect(r.status, r.stderr).to.equal(0);
                return r.stdout.trim();
            };
            // The page's command, as written there (but for the URL).
            silenceId = amtool(
                "silence",
                "add",
                `namespace=${workload.namespace}`,
                'alertname=~"TaskMcpServiceDown|TaskMcpInstanceDown"',
                "--duration=2h",
                "--comment=node drain, ticket OPS-123",
            );
            expect(amtool("silence", "query", "-q", `namespace=${workload.namespace}`)).to.equal(silenceId);
            await postJson(`${url}/api/v2/alerts`, [alert("TaskMcpServiceDown", critical), alert("UnrelatedPage", critical)]);
            await sleep(oncallWait + 4_000);
            amtool("silence", "expire", silenceId);
            expect(amtool("silence", "query", "-q", `namespace=${workload.namespace}`)).to.equal("");
            afterExpiry = (await getJson(`${url}/api/v2/silences`)) as typeof afterExpiry;
        });
        expect(silenceId).to.match(/^[0-9a-f-]{36}$/);
        expect(afterExpiry.find((x) => x.id === silenceId)?.status.state).to.equal("expired");
        // Silenced while the work ran; anything else still paged.
        const paged = notifications.filter((n) => n.receiver === "oncall").flatMap((n) => n.alertnames);
        expect(paged).to.include("UnrelatedPage").and.not.include("TaskMcpServiceDown");
    });
});
