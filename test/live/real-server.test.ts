/**
 * The real task-mcp-http server on loopback, started as the Deployment starts it (test/support/server.ts),
 * scraped by real Prometheus through the targets the rendered ServiceMonitor names, with the
 * exported rules and Alertmanager routing. Two profiles:
 *   - upstream (what dev and prod deploy): probes answer, and every row of the generated
 *     compatibility table holds both ways against what the server really emits; a killed
 *     process pages ServiceDown;
 *   - upstream-otel (the fault scenario): every request answers 500, the exporter's real series
 *     (milliseconds, each request counted twice) feed the rules, and the 500s page on-call.
 */
import { expect } from "chai";
import { durationSeconds } from "../../components/duration";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { StackConfig } from "../../components/config/schema";
import { compatibilityRows } from "../../components/monitoring/compatibility";
import { monitoringContext } from "../../components/monitoring/context";
import { AlertmanagerConfig } from "../../components/monitoring/routing";
import { probeSpec } from "../../components/monitoring/probe";
import { renderedGroupSpecs } from "../../components/monitoring/rules";
import { burnRateWindows, keySlos } from "../../components/monitoring/slo";
import { sloRows, sloTable } from "../../components/contract";
import { signalsOf, verdictOf } from "../../components/monitoring/signals";
import { serverProfiles } from "../../components/server-profiles";
import { exportStack } from "../../scripts/lib/export";
import { stackConfig } from "../../scripts/lib/stacks";
import { testOut } from "../support/exported";
import {
    instantQuery,
    pointReceiversAt,
    probeScrapeConfig,
    startAlertmanager,
    startBlackbox,
    startCatcher,
    startPrometheus,
} from "../support/monitoring-stack";
import { Daemon, tempDir, waitFor } from "../support/processes";
import { call, driveTraffic, startRealServer, toolCall } from "../support/server";

const tokens = ["live-token-a", "live-token-b"];
/** Slow enough for the server's per-IP rate limit (60 a minute, then 500s), fast enough for the tests. */
const scrapeInterval = "5s";
const seconds = durationSeconds;

/**
 * The real server (behind the real proxy where the profile has one), the blackbox exporter
 * probing through the Service as the rendered Probe says, Alertmanager with a catcher, and
 * Prometheus with the profile's exported rules.
 */
async function startStack(config: StackConfig, name: string, workingDirectory: "writable" | "read-only" = "writable") {
    const dir = tempDir(`real-${name}`);
    const exported = exportStack(config, path.join(testOut, `real-${name}`));
    const server = await startRealServer(config, { tokens, dir, workingDirectory });
    const blackbox = await startBlackbox(config.monitoring.blackboxExporter.module, dir);
    const catcher = await startCatcher();
    const routing = parse(fs.readFileSync(exported.alertmanager, "utf8")) as AlertmanagerConfig;
    const alertmanager = await startAlertmanager(pointReceiversAt(routing, catcher.url), dir);
    const probe = probeScrapeConfig(probeSpec(config, config.monitoring.blackboxExporter), blackbox.address, server.probeUrl);
    const prometheus = await startPrometheus(exported.rules, server.targets, alertmanager.url, dir, scrapeInterval, [probe]);
    const daemons: Daemon[] = [server.daemon, ...(server.proxy ? [server.proxy] : []), blackbox.daemon, alertmanager.daemon, prometheus.daemon];
    return {
        dir,
        server,
        catcher,
        routing,
        prometheus,
        async stop(failed: boolean) {
            await Promise.all(daemons.map((d) => d.stop()));
            await catcher.close();
            if (failed) console.log(`logs kept in ${dir}`);
            else fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}
type Stack = Awaited<ReturnType<typeof startStack>>;

/** A fresh stack for one `describe`: started before its tests, stopped after (logs kept when one failed). */
function stackFor(config: StackConfig, name: string, workingDirectory?: "writable" | "read-only"): () => Stack {
    let stack: Stack | undefined;
    before(async function () {
        stack = await startStack(config, name, workingDirectory);
    });
    after(async function () {
        await stack?.stop(this.currentTest?.state === "failed");
    });
    return () => stack!;
}

/** The first notification to on-call firing `alertname` sent at or after `since`, within `timeoutMs`. */
const pageOf = (stack: Stack, alertname: string, timeoutMs: number, since = 0) =>
    waitFor(
        `a page for ${alertname}`,
        async () =>
            stack.catcher.notifications.find((n) => n.at >= since && n.receiver === "oncall" && n.status === "firing" && n.alertnames.includes(alertname)),
        timeoutMs,
    );

/**
 * How long a burn of `ratio` may take to page through the fast pair: its analytic detection time,
 * plus a scrape, an evaluation and on-call's group_wait.
 */
function pageBound(stack: Stack, ratio: number, objectivePercent: number, interval = scrapeInterval): number {
    const w = burnRateWindows[0];
    const burn = ratio / (1 - objectivePercent / 100);
    const groupWait = seconds(stack.routing.route.routes!.find((r) => r.receiver === "oncall")!.group_wait!);
    return ((w.factor * seconds(w.longWindow)) / burn + seconds(interval) * 2 + 1 + groupWait) * 1000;
}

const hasData = (result: Array<{ value: [number, string] }>) => result.length > 0 && result.some((r) => !Number.isNaN(Number(r.value[1])));

/**
 * Every server-fed row of the compatibility table, checked both ways. Panels, query by query:
 * a query the table gives data returns data, one it gives none returns none. Alerts, series by
 * series: what they read exists, or (where the table says so) does not. Returns what does not hold.
 */
async function rowsThatDoNotHold(prometheusUrl: string, config: StackConfig): Promise<string[]> {
    const ctx = monitoringContext(config);
    const wrong: string[] = [];
    const exists = async (metric: string) => hasData(await instantQuery(prometheusUrl, `count({__name__=~"${metric}(_bucket)?"})`));
    for (const row of compatibilityRows(ctx)) {
        if (row.kind === "panel") {
            for (const q of row.queries) {
                const verdict = verdictOf(q.expr, ctx, q.needs);
                if (verdict.kind === "cluster") continue; // no kubelet or kube-state-metrics here: the promtool suites cover these
                const data = hasData(await instantQuery(prometheusUrl, q.expr));
                if (data !== (verdict.kind === "data"))
                    wrong.push(
                        `${row.where} / ${row.name}: the table says ${verdict.kind === "data" ? "data" : "none"}, Prometheus has ${data ? "data" : "none"} for ${q.expr}`,
                    );
            }
            continue;
        }
        for (const s of row.queries.flatMap((q) => signalsOf(q.expr, ctx)).filter((x) => x.source === "server" || x.metric === "up")) {
            if ((await exists(s.metric)) === (s.missing !== undefined))
                wrong.push(`${row.name}: the table says ${s.missing ? "no" : "some"} ${s.metric}, the server ${s.missing ? "emits it" : "does not"}`);
        }
    }
    return wrong;
}

/** Rules need a few evaluations after the traffic: retry for up to 30 s before judging. */
async function expectRowsToHold(prometheusUrl: string, config: StackConfig): Promise<void> {
    let wrong = await rowsThatDoNotHold(prometheusUrl, config);
    for (let i = 0; wrong.length > 0 && i < 10; i++) {
        await new Promise((r) => setTimeout(r, 3000));
        wrong = await rowsThatDoNotHold(prometheusUrl, config);
    }
    expect(wrong).to.deep.equal([]);
}

describe("live: the real task-mcp-http server", function () {
    this.timeout(300_000);

    describe("profile upstream, as dev and prod deploy it (OpenTelemetry off)", () => {
        const config = stackConfig("dev");
        let stack: Stack;
        before(async function () {
            expect(config.server.name).to.equal("upstream");
            stack = await startStack(config, "upstream");
        });
        after(async function () {
            await stack?.stop(this.currentTest?.state === "failed");
        });

        it("answers the profile's startup, liveness and readiness paths with 200 on the app's port, and through the proxy", async () => {
            const { startup, liveness, readiness } = config.server.probes;
            for (const p of [startup, liveness, readiness]) expect((await call(`${stack.server.appUrl}${p}`)).status, p).to.equal(200);
            expect(stack.server.url).to.not.equal(stack.server.appUrl);
            expect((await call(`${stack.server.url}${readiness}`)).status).to.equal(200);
            expect((await call(stack.server.probeUrl)).status).to.equal(200);
        });

        it("would fail the guide profile's probes: 404", async () => {
            const { liveness, readiness } = serverProfiles.guide.probes;
            for (const p of [liveness, readiness]) expect((await call(`${stack.server.appUrl}${p}`)).status, p).to.equal(404);
        });

        it("fails readiness (503) in a working directory it cannot write, which the Deployment's emptyDir avoids", async () => {
            const dir = tempDir("real-readonly");
            const readOnly = await startRealServer(config, { tokens, dir, workingDirectory: "read-only" });
            try {
                expect((await call(`${readOnly.appUrl}${config.server.probes.liveness}`)).status).to.equal(200);
                expect((await call(`${readOnly.appUrl}${config.server.probes.readiness}`)).status).to.equal(503);
            } finally {
                await Promise.all([readOnly.daemon.stop(), readOnly.proxy?.stop()]);
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("serves authorised NDJSON and SSE calls through the proxy, and answers a bad or missing token with 500, not 401", async () => {
            expect((await toolCall(stack.server, "/mcp", tokens[0])).status).to.equal(200);
            const sse = await toolCall(stack.server, "/sse", tokens[1]);
            expect(sse.status).to.equal(200);
            expect(sse.body).to.match(/^event: /m);
            expect((await toolCall(stack.server, "/mcp", "not-a-token")).status).to.equal(500);
            expect((await toolCall(stack.server, "/mcp", undefined)).status).to.equal(500);
        });

        it("holds every row of the compatibility table: data where it says data, none where it says none", async () => {
            await driveTraffic(stack.server, config, tokens, 15);
            await expectRowsToHold(stack.prometheus.url, config);
        });

        it("feeds all five Key SLOs: each recording rule returns data, from the proxy or the probe", async () => {
            const ctx = monitoringContext(config);
            // Under this profile every request SLI is the proxy's; the probe's SLIs stay the probe's.
            expect(keySlos(ctx).map((s) => s.source)).to.deep.equal(
                sloRows.map((row) => (sloTable[row].kind === "availability" && sloTable[row].sli === "probe" ? "probe" : "proxy")),
            );
            const records = keySlos(ctx).flatMap((s) =>
                (s.group.recordingRules ?? [])
                    .filter((r) => !r.record.includes("budget"))
                    .map((r) => `${r.record}${r.labels ? `{slo="${r.labels.slo}"}` : ""}`),
            );
            const rendered = new Set(renderedGroupSpecs(ctx).map((g) => g.name));
            expect(
                keySlos(ctx).every((s) => rendered.has(s.group.name)),
                "every Key SLO group is rendered",
            ).to.equal(true);
            await driveTraffic(stack.server, config, tokens, 6);
            const empty = await waitFor(
                "every Key SLO series",
                async () => {
                    const missing: string[] = [];
                    for (const r of records) if (!hasData(await instantQuery(stack.prometheus.url, r))) missing.push(r);
                    return missing.length === 0 ? [] : undefined;
                },
                60_000,
                3000,
            );
            expect(empty).to.deep.equal([]);
        });

        it("finds the check above can fail: a profile that claims request metrics is contradicted", async () => {
            const claims = stackConfig("dev", { server: { profile: "upstream-otel" } });
            const wrong = await rowsThatDoNotHold(stack.prometheus.url, claims);
            expect(wrong.join("\n")).to.contain("the table says some http_server_requests_total, the server does not");
            expect(wrong.join("\n")).to.contain("Request rate: the table says data, Prometheus has none");
        });
    });

    describe("profile upstream, the server killed behind its proxy", () => {
        const config = stackConfig("dev");
        const stack = stackFor(config, "upstream-killed");

        it("pages on-call: the API availability burn through the proxy's 502s, and TaskMcpServiceDown", async () => {
            // Good traffic first (no bad tokens, which this server answers 500), then the kill.
            await driveTraffic(stack().server, config, tokens, 10, { badTokens: false });
            await stack().server.daemon.kill();
            const killedAt = Date.now();
            const keepCalling = driveTraffic(stack().server, config, tokens, 40, { badTokens: false });
            // The wait outlasts the bound, so a late page is measured and fails on the bound, not on the wait.
            const bound = pageBound(stack(), 1, config.slo.availabilityPercent);
            const burn = await pageOf(stack(), "TaskMcpApiAvailabilityFastBurn", 2 * bound, killedAt);
            const seen = await keepCalling;
            expect(Object.keys(seen.ndjson)).to.deep.equal(["502"]);
            const down = await pageOf(stack(), "TaskMcpServiceDown", 150_000, killedAt);
            console.log(
                `      the proxy's 502s paged on-call ${((burn.at - killedAt) / 1000).toFixed(0)} s after the kill (bound ${(bound / 1000).toFixed(0)} s); ServiceDown after ${((down.at - killedAt) / 1000).toFixed(0)} s`,
            );
            expect(burn.at - killedAt).to.be.below(bound);
        });
    });

    describe("profile upstream, a pod that runs but is never Ready (its working directory not writable)", () => {
        const config = stackConfig("dev");
        const stack = stackFor(config, "upstream-not-ready", "read-only");

        it("looks up to Prometheus, and the Health Check Availability burn pages through the probe", async () => {
            const startedAt = Date.now();
            const interval = config.monitoring.blackboxExporter.interval;
            const bound = pageBound(stack(), 1, config.slo.healthAvailabilityPercent, interval);
            const page = await pageOf(stack(), "TaskMcpHealthAvailabilityFastBurn", 2 * bound);
            const up = await instantQuery(stack().prometheus.url, `up{endpoint="app"}`);
            expect(up.map((r) => r.value[1])).to.deep.equal(["1"]);
            console.log(
                `      a never-Ready pod paged on-call ${((page.at - startedAt) / 1000).toFixed(0)} s after start (bound ${(bound / 1000).toFixed(0)} s)`,
            );
            expect(page.at - startedAt).to.be.below(bound);
            expect(stack().catcher.notifications.some((n) => n.alertnames.includes("TaskMcpServiceDown"))).to.equal(false);
        });
    });

    describe("profile upstream, the proxy killed", () => {
        const config = stackConfig("dev");
        const stack = stackFor(config, "upstream-proxy-killed");

        it("is noticed by the probe through it (the health burn pages) and by its scrape (up 0), while the app looks fine", async () => {
            await waitFor(
                "the proxy's target up",
                async () => hasData(await instantQuery(stack().prometheus.url, `up{endpoint="proxy-metrics"} == 1`)) || undefined,
                30_000,
            );
            await stack().server.proxy!.kill();
            const killedAt = Date.now();
            const page = await pageOf(stack(), "TaskMcpHealthAvailabilityFastBurn", 120_000, killedAt);
            await waitFor(
                "the proxy's target down",
                async () => hasData(await instantQuery(stack().prometheus.url, `up{endpoint="proxy-metrics"} == 0`)) || undefined,
                30_000,
            );
            expect((await instantQuery(stack().prometheus.url, `up{endpoint="app"}`)).map((r) => r.value[1])).to.deep.equal(["1"]);
            console.log(`      the killed proxy paged on-call ${((page.at - killedAt) / 1000).toFixed(0)} s after the kill`);
        });
    });

    describe("profile upstream-otel, the fault scenario (OpenTelemetry on, its default)", () => {
        const config = stackConfig("dev", { server: { profile: "upstream-otel" } });
        const stack = stackFor(config, "upstream-otel");
        let trafficFrom = 0;

        it("answers every request with 500, probes included: its pods would never become Ready", async () => {
            const { liveness, readiness } = config.server.probes;
            for (const p of [liveness, readiness]) expect((await call(`${stack().server.url}${p}`)).status, p).to.equal(500);
            expect((await toolCall(stack().server, "/mcp", tokens[0])).status).to.equal(500);
        });

        it("exports each request twice, as 200 and as 500, in milliseconds, on the ServiceMonitor's second endpoint", async () => {
            expect(stack().server.targets.map((t) => t.endpoint)).to.deep.equal(["http", "otel-metrics"]);
            trafficFrom = Date.now();
            await driveTraffic(stack().server, config, tokens, 12);
            const m = config.server.metrics;
            const byStatus = await waitFor(
                "both status codes of /mcp",
                async () => {
                    const r = await instantQuery(stack().prometheus.url, `sum by (${m.statusLabel}) (${m.requestsTotal}{${m.routeLabel}="/mcp"})`);
                    return r.length === 2 ? r : undefined;
                },
                30_000,
            );
            const counts = Object.fromEntries(byStatus.map((r) => [r.metric[m.statusLabel], Number(r.value[1])]));
            expect(counts["200"]).to.equal(counts["500"]);
            // Millisecond buckets: the exporter's bounds run to 10000. Compared as numbers:
            // Prometheus 3 stores `le` normalised ("10000.0"), Prometheus 2 as exported ("10000").
            const bounds = await instantQuery(stack().prometheus.url, `count by (le) (${m.requestDuration}_bucket)`);
            expect(bounds.map((b) => Number(b.metric.le))).to.include.members([5, 250, 10000]);
        });

        it("holds every row of the compatibility table for this profile too", async () => {
            await expectRowsToHold(stack().prometheus.url, config);
        });

        it("pages on-call for the API availability burn within the burn-rate table's bounds", async () => {
            const keepBusy = driveTraffic(stack().server, config, tokens, 60);
            // Every request is counted once as 200 and once as 500: an error ratio of one half. The
            // wait outlasts that ratio's bound, so a late page fails on the bound, not on the wait.
            const expectedRatio = 0.5;
            const page = await pageOf(stack(), "TaskMcpApiAvailabilityFastBurn", 2 * pageBound(stack(), expectedRatio, config.slo.availabilityPercent));
            await keepBusy;
            const ratio = Number(
                (await instantQuery(stack().prometheus.url, 'task_mcp:slo_errors_per_request:ratio_rate5m{slo="api-availability"}'))[0].value[1],
            );
            expect(ratio).to.be.closeTo(expectedRatio, 0.01);
            const bound = pageBound(stack(), ratio, config.slo.availabilityPercent);
            const took = page.at - trafficFrom;
            console.log(`      the 500s paged on-call ${(took / 1000).toFixed(0)} s after the first (bound ${(bound / 1000).toFixed(0)} s)`);
            expect(took).to.be.below(bound);
        });

        it("sees a bad token only as a 500 on its route: no 401/403 and no auth metric", async () => {
            const m = config.server.metrics;
            expect(await instantQuery(stack().prometheus.url, `${m.requestsTotal}{${m.statusLabel}=~"401|403"}`)).to.deep.equal([]);
            expect(await instantQuery(stack().prometheus.url, m.authFailuresTotal)).to.deep.equal([]);
        });
    });
});
