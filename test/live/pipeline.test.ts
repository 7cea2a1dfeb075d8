/**
 * End to end on loopback: synthetic target speaking the guide's contract -> Prometheus (dev's
 * rules with the guide profile) -> Alertmanager
 * (exported dev routing, receivers pointed at a webhook catcher). Proves every dashboard query
 * returns data, and that an outage pages on-call, inhibits its symptoms and resolves.
 */
import { expect } from "chai";
import * as fs from "fs";
import { parse } from "yaml";
import { AlertmanagerConfig } from "../../components/monitoring/routing";
import { ExportedPaths } from "../../scripts/lib/export";
import * as path from "path";
import { exportStack } from "../../scripts/lib/export";
import { stackConfig } from "../../scripts/lib/stacks";
import { testOut } from "../support/exported";
import {
    alertmanagerAlerts,
    instantQuery,
    pointReceiversAt,
    probeScrapeConfig,
    startAlertmanager,
    startBlackbox,
    startCatcher,
    startPrometheus,
} from "../support/monitoring-stack";
import { probeSpec } from "../../components/monitoring/probe";
import { Daemon, tempDir, waitFor } from "../support/processes";
import { startTarget } from "./target";

describe("live: target -> Prometheus -> Alertmanager -> receivers", function () {
    this.timeout(240_000);
    const dir = tempDir("pipeline");
    let dev: ExportedPaths;
    let target: Awaited<ReturnType<typeof startTarget>>;
    let catcher: Awaited<ReturnType<typeof startCatcher>>;
    let prometheus: { url: string; daemon: Daemon };
    let alertmanager: { url: string; daemon: Daemon };
    let blackbox: { address: string; daemon: Daemon };

    before(async () => {
        const config = stackConfig("dev", { server: { profile: "guide" } });
        dev = exportStack(config, path.join(testOut, "dev-guide"));
        target = await startTarget(config.server);
        catcher = await startCatcher();
        const routing = parse(fs.readFileSync(dev.alertmanager, "utf8")) as AlertmanagerConfig;
        alertmanager = await startAlertmanager(pointReceiversAt(routing, catcher.url), dir);
        blackbox = await startBlackbox(config.monitoring.blackboxExporter.module, dir);
        const probe = probeScrapeConfig(
            probeSpec(config, config.monitoring.blackboxExporter),
            blackbox.address,
            `http://127.0.0.1:${target.port}${config.server.probes.readiness}`,
        );
        prometheus = await startPrometheus(dev.rules, [{ endpoint: "http", port: target.port, path: "/metrics" }], alertmanager.url, dir, "1s", [probe]);
    });

    after(async function () {
        if (this.currentTest?.state === "failed") console.log(`logs kept in ${dir}`);
        await Promise.all([prometheus?.daemon.stop(), alertmanager?.daemon.stop(), blackbox?.daemon.stop()]);
        await Promise.all([target?.close(), catcher?.close()]);
        if (this.currentTest?.state !== "failed") fs.rmSync(dir, { recursive: true, force: true });
    });

    async function panelsWithoutData(): Promise<string[]> {
        const empty: string[] = [];
        for (const file of dev.dashboards) {
            const dashboard = JSON.parse(fs.readFileSync(file, "utf8"));
            for (const panel of dashboard.panels) {
                for (const t of panel.targets) {
                    const result = await instantQuery(prometheus.url, t.expr);
                    if (result.length === 0 || result.some((r) => Number.isNaN(Number(r.value[1])))) empty.push(`${dashboard.uid} / ${panel.title}: ${t.expr}`);
                }
            }
        }
        return empty;
    }

    it("returns data for every panel query of every dashboard", async () => {
        // Rule groups start at different offsets: give each a few evaluations before judging.
        let empty = await panelsWithoutData();
        const deadline = Date.now() + 60_000;
        while (empty.length > 0 && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 1000));
            empty = await panelsWithoutData();
        }
        expect(empty).to.deep.equal([]);
    });

    it("finds no data for a misspelt metric (the check above can go red)", async () => {
        expect(await instantQuery(prometheus.url, 'sum(rate(http_request_total{job="task-mcp-http"}[5m]))')).to.deep.equal([]);
    });

    it("pages on-call when every request fails", async () => {
        target.state.errorRatio = 1;
        const page = await waitFor(
            "a page for the API availability burn",
            async () =>
                catcher.notifications.find((n) => n.receiver === "oncall" && n.status === "firing" && n.alertnames.includes("TaskMcpApiAvailabilityFastBurn")),
            90_000,
        );
        expect(page.receiver).to.equal("oncall");
        expect(catcher.notifications.filter((n) => n.receiver === "security")).to.deep.equal([]);
    });

    it("pages TaskMcpServiceDown when the target stops answering, and inhibits its symptoms", async () => {
        target.state.down = true;
        await waitFor(
            "the service-down page",
            async () => catcher.notifications.find((n) => n.receiver === "oncall" && n.alertnames.includes("TaskMcpServiceDown")),
            150_000,
        );
        const symptom = await waitFor(
            "the burn alert marked inhibited",
            async () =>
                (await alertmanagerAlerts(alertmanager.url)).find(
                    (a) => a.labels.alertname === "TaskMcpApiAvailabilityFastBurn" && a.status.inhibitedBy.length > 0,
                ),
            30_000,
        );
        expect(symptom.status.state).to.equal("suppressed");
    });

    it("resolves the service-down alert when the target recovers", async () => {
        target.state.down = false;
        target.state.errorRatio = 0;
        await waitFor(
            "TaskMcpServiceDown to leave Alertmanager's active alerts",
            async () => ((await alertmanagerAlerts(alertmanager.url)).some((a) => a.labels.alertname === "TaskMcpServiceDown") ? undefined : true),
            60_000,
        );
        const up = await instantQuery(prometheus.url, 'up{job="task-mcp-http"}');
        expect(up.map((r) => r.value[1])).to.deep.equal(["1"]);
    });
});
