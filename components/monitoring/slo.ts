/**
 * SLO specs (one per row of the guide's "Key SLOs" table) and the rule groups they generate.
 * Availability SLOs get multi-window, multi-burn-rate alerts as in the SRE workbook's
 * "Alerting on SLOs": page when the 30-day budget would be gone in ~2 or ~5 days, ticket when
 * in ~10 or ~30 days. Both windows must burn, so an alert also stops soon after the burn does.
 */
import { sloConfigKey, sloPeriodDays, SloRow, sloRows, sloTable } from "../contract";
import { queries, recorded } from "./promql";
import { RequestSource, SignalKey } from "../server-profiles";
import type { PanelSpec } from "./dashboards/spec";
import { AlertSpec, RecordingRule, RuleGroupSpec } from "./rule-spec";
import { MonitoringContext } from "./context";
import { alertLabels, equals, renderMatcher, Severity } from "./conventions";

export interface BurnRateWindow {
    readonly severity: Severity;
    readonly longWindow: string;
    readonly shortWindow: string;
    /** Multiple of the sustainable error rate (1x spends exactly the budget in 30 days). */
    readonly factor: number;
}

/** The SRE workbook's table for a 30-day budget. */
export const burnRateWindows: readonly BurnRateWindow[] = [
    { severity: "critical", longWindow: "1h", shortWindow: "5m", factor: 14.4 },
    { severity: "critical", longWindow: "6h", shortWindow: "30m", factor: 6 },
    { severity: "warning", longWindow: "1d", shortWindow: "2h", factor: 3 },
    { severity: "warning", longWindow: "3d", shortWindow: "6h", factor: 1 },
];

/** Where an SLI is measured: where the profile measures requests (the server or the proxy), or the probe through the Service. */
export type SliSource = RequestSource | "probe";

export interface AvailabilitySlo {
    /** Value of the `slo` label on every series and alert of this SLO. */
    readonly id: string;
    readonly title: string;
    /** Alert name stem: `<stem>FastBurn`, `<stem>SlowBurn`. */
    readonly alertStem: string;
    readonly objectivePercent: number;
    readonly source: SliSource;
    /** The SLI's error ratio over a window (0 to 1). */
    readonly errorRatio: (window: string) => string;
}

type RowOf<K extends string> = { [R in SloRow]: (typeof sloTable)[R] extends { kind: K } ? R : never }[SloRow];
type AvailabilityRow = RowOf<"availability">;
type LatencyRow = RowOf<"latency">;

/** An availability row of the SLO table with this stack's objective and this server's SLI query. */
export function availabilitySlo(row: AvailabilityRow, ctx: MonitoringContext): AvailabilitySlo {
    const spec = sloTable[row];
    const q = queries(ctx.server);
    const byProbe = spec.sli === "probe";
    return {
        id: spec.id,
        title: spec.title,
        alertStem: spec.alertStem,
        objectivePercent: ctx.slo[sloConfigKey(row)],
        source: byProbe ? "probe" : ctx.server.requestSource,
        // Requests: the share of API responses that are 5xx (a 4xx is the client's doing, not an
        // outage). The probe: the share of probes through the Service that failed.
        errorRatio: (w) => (byProbe ? q.probeErrorRatio(w) : q.errorRatio(w)),
    };
}

/** Allowed error budget in minutes over the SLO period ("43.2 minutes/month" for 99.9 %). */
export function errorBudgetMinutes(objectivePercent: number): number {
    return Number((((100 - objectivePercent) / 100) * sloPeriodDays * 24 * 60).toFixed(2));
}

/** The error budget as a ratio (0.001 for 99.9 %), without float noise (1 - 0.999 is 0.0010000000000000009). */
export const budgetRatio = (objectivePercent: number) => Number((1 - objectivePercent / 100).toPrecision(12));

/** The error ratio at which `burnRate` spends the budget that many times faster than sustainable. */
export const burnRateErrorRatio = (burnRate: number, objectivePercent: number) => Number((burnRate * budgetRatio(objectivePercent)).toPrecision(12));

/** `{slo="<id>"}`: the selector of one SLO's recorded series. */
const sloSelector = (slo: AvailabilitySlo) => `{${renderMatcher(equals(alertLabels.slo, slo.id))}}`;

/**
 * Inclusive (`>=`): a burn of exactly the factor for a whole long window spends exactly the
 * budget share the SRE workbook pages or tickets on (2 % in 1h, 5 % in 6h, 10 % in 3d).
 */
function burnCondition(slo: AvailabilitySlo, w: BurnRateWindow): string {
    const threshold = burnRateErrorRatio(w.factor, slo.objectivePercent);
    const sel = sloSelector(slo);
    return `(${recorded.sloErrorRatio(w.longWindow)}${sel} >= ${threshold} and ${recorded.sloErrorRatio(w.shortWindow)}${sel} >= ${threshold})`;
}

export function availabilitySloGroup(slo: AvailabilitySlo, ctx: MonitoringContext): RuleGroupSpec {
    const windows = [...new Set(burnRateWindows.flatMap((w) => [w.shortWindow, w.longWindow]))];
    const labels = { [alertLabels.slo]: slo.id };
    const recordingRules: RecordingRule[] = [
        // Rounded to 1e-12: a ratio of two rates is a hair off the exact value (6x over 6h gives
        // 0.005999999999999999), and the inclusive thresholds must see exactly the factor.
        ...windows.map((window) => ({ record: recorded.sloErrorRatio(window), expr: `round(${slo.errorRatio(window)}, 1e-12)`, labels })),
        { record: recorded.sloObjective, expr: `vector(${slo.objectivePercent / 100})`, labels },
        {
            record: recorded.sloBudgetRemaining,
            expr: `1 - avg_over_time(${recorded.sloErrorRatio("5m")}${sloSelector(slo)}[${sloPeriodDays}d]) / ${budgetRatio(slo.objectivePercent)}`,
            labels,
        },
    ];
    const burnAlert = (severity: Severity, speed: "Fast" | "Slow"): AlertSpec => {
        const ws = burnRateWindows.filter((w) => w.severity === severity);
        return {
            alert: `${slo.alertStem}${speed}Burn`,
            expr: ws.map((w) => burnCondition(slo, w)).join(" or "),
            severity,
            // A fast burn is what a total outage looks like to the SLO: it pages through maintenance.
            totalOutage: speed === "Fast",
            runbook: "slo-violations",
            dashboard: "overview",
            labels: { ...labels, [alertLabels.burn]: speed.toLowerCase() },
            summary: `${slo.title} SLO (${slo.objectivePercent}%) is burning its error budget ${speed === "Fast" ? "fast" : "slowly"}`,
            description:
                `${slo.title} errors over ${ws.map((w) => `${w.longWindow}/${w.shortWindow}`).join(" and ")} reach ` +
                `${ws.map((w) => `${w.factor}x`).join(" / ")} the sustainable rate; the ${errorBudgetMinutes(slo.objectivePercent)}-minute ` +
                `${sloPeriodDays}-day budget will be gone early.`,
        };
    };
    // Without the probe's series the health SLO would read nothing and never page: say so.
    const probeMissing: AlertSpec = {
        alert: "TaskMcpHealthProbeMissing",
        expr: queries(ctx.server).probeMissing,
        for: "10m",
        severity: "warning",
        runbook: "slo-violations",
        dashboard: "overview",
        summary: "No readiness probe results through the Service",
        description:
            "Prometheus has had no probe_success of the readiness probe for 10 minutes: the Health Check Availability SLO is blind (is the blackbox exporter running, and does the Probe name it?).",
    };
    return {
        name: `task-mcp-slo-${slo.id}`,
        needs: slo.source === "app" ? ["requestsTotal"] : [],
        recordingRules,
        alerts: [burnAlert("critical", "Fast"), burnAlert("warning", "Slow"), ...(slo.source === "probe" ? [probeMissing] : [])],
    };
}

/** Request SLOs measured by the app need its request metrics; the proxy's are always there. */
const requestNeeds = (ctx: MonitoringContext, ...keys: SignalKey[]): SignalKey[] => (ctx.server.requestSource === "app" ? keys : []);

export function latencySloGroup(which: LatencyRow, ctx: MonitoringContext): RuleGroupSpec {
    const row = sloTable[which];
    const thresholdMs = ctx.slo[sloConfigKey(which)];
    const record = recorded.latencyQuantile(row.quantile);
    const percentile = `p${Math.round(row.quantile * 100)}`;
    return {
        name: `task-mcp-slo-latency-${percentile}`,
        needs: requestNeeds(ctx, "requestDuration"),
        recordingRules: [{ record, expr: queries(ctx.server).latencyQuantile(row.quantile, "5m") }],
        alerts: [
            {
                alert: `TaskMcpLatency${percentile.toUpperCase()}High`,
                // NaN (no traffic) compares false, so an idle service never pages.
                expr: `${record} > ${thresholdMs / 1000}`,
                for: "10m",
                severity: row.severity,
                runbook: "performance-degradation",
                dashboard: "api",
                summary: `${row.title} above ${thresholdMs} ms`,
                description: `${percentile} request latency has been above ${thresholdMs} ms (the SLO) for 10 minutes.`,
            },
        ],
    };
}

export function errorRateSloGroup(ctx: MonitoringContext): RuleGroupSpec {
    const threshold = ctx.slo.errorRatePercent / 100;
    const severe = Math.min(5 * threshold, 1);
    return {
        name: "task-mcp-slo-error-rate",
        needs: requestNeeds(ctx, "requestsTotal"),
        recordingRules: [{ record: recorded.errorRatio, expr: queries(ctx.server).errorRatio("5m") }],
        alerts: [
            {
                alert: "TaskMcpHighErrorRate",
                expr: `${recorded.errorRatio} > ${threshold}`,
                for: "5m",
                severity: "warning",
                runbook: "high-error-rate",
                dashboard: "api",
                summary: `HTTP 5xx ratio above ${ctx.slo.errorRatePercent}%`,
                description: `More than ${ctx.slo.errorRatePercent}% of API requests failed with 5xx over 5 minutes.`,
            },
            {
                alert: "TaskMcpErrorRateCritical",
                expr: `${recorded.errorRatio} > ${Number(severe.toPrecision(12))}`,
                for: "5m",
                severity: "critical",
                runbook: "high-error-rate",
                dashboard: "api",
                summary: `HTTP 5xx ratio above ${Number((severe * 100).toPrecision(12))}%`,
                description: `More than ${Number((severe * 100).toPrecision(12))}% of API requests failed with 5xx over 5 minutes.`,
            },
        ],
    };
}

/**
 * A Key SLO as everything downstream reads it: its row of the guide's table (contract.ts's
 * `sloTable`, where a new SLO is one entry), where its SLI is measured, the target as the docs
 * print it, and its rule group. Rules, the docs' SLO tables and the tests' expected groups all
 * read `keySlos(ctx)`.
 */
export interface KeySlo {
    readonly row: SloRow;
    readonly title: string;
    readonly source: SliSource;
    /** The target as the SLO table prints it ("99.9%", "< 200 ms"). */
    readonly target: string;
    /** Allowed error budget over the SLO period, where the SLO has one. */
    readonly budgetMinutes?: number;
    /** How the SLI is measured, for the docs (Markdown). */
    readonly sli: string;
    readonly group: RuleGroupSpec;
    /** Its stat on the Overview dashboard, where it has one of its own (availability SLOs share the budget panel). */
    readonly overview?: PanelSpec;
}

/** The SLIs in words, from the same names the queries use. */
function sliTexts(ctx: MonitoringContext) {
    const sig = queries(ctx.server).signals;
    const byProxy = ctx.server.requestSource === "proxy";
    const counted = byProxy
        ? `the proxy in the pod (\`${sig.requests}{${sig.api}}\` by \`${sig.statusLabel}\`: every response, the 502s it writes itself when the app is down included)`
        : `the server's own counter (\`${sig.requests}\` by \`${sig.statusLabel}\`, probe and metrics routes left out)`;
    const latency = (p: string) =>
        byProxy
            ? `${p} of time to first byte at the proxy (\`${sig.latency}{${sig.api}}\`): for an SSE or NDJSON stream, how soon it starts, not how long tools run`
            : `${p} of the server's request-duration histogram (\`${sig.latency}\`${sig.toSeconds === 1 ? "" : `, in ms, scaled to seconds`})`;
    return {
        requests: `share of API responses that are not 5xx, counted by ${counted}`,
        probe: `share of readiness probes (\`${ctx.server.probes.readiness}\`) through the Service that got a 2xx in time: the blackbox exporter's \`probe_success\`, one probe every ${ctx.probeInterval}`,
        latency,
        errorRate: `5xx share of API responses over 5 minutes, counted by ${counted}; a 4xx is the client's doing (a bad request, an unknown route) and does not count`,
    };
}

export function keySlos(ctx: MonitoringContext): KeySlo[] {
    const sli = sliTexts(ctx);
    const keySlo = (row: SloRow): KeySlo => {
        const spec = sloTable[row];
        const target = ctx.slo[sloConfigKey(row)];
        switch (spec.kind) {
            case "availability": {
                const slo = availabilitySlo(row as AvailabilityRow, ctx);
                return {
                    row,
                    title: spec.title,
                    source: slo.source,
                    target: `${target}%`,
                    budgetMinutes: errorBudgetMinutes(target),
                    sli: sli[spec.sli],
                    group: availabilitySloGroup(slo, ctx),
                };
            }
            case "latency": {
                const p = `p${Math.round(spec.quantile * 100)}`;
                return {
                    row,
                    title: spec.title,
                    source: ctx.server.requestSource,
                    target: `< ${target} ms`,
                    sli: sli.latency(p),
                    group: latencySloGroup(row as LatencyRow, ctx),
                    overview: {
                        title: `${p} latency`,
                        kind: "stat",
                        unit: "s",
                        queries: [{ expr: recorded.latencyQuantile(spec.quantile) }],
                        redAbove: target / 1000,
                    },
                };
            }
            case "errorRate":
                return {
                    row,
                    title: spec.title,
                    source: ctx.server.requestSource,
                    target: `< ${target}%`,
                    sli: sli.errorRate,
                    group: errorRateSloGroup(ctx),
                    overview: {
                        title: "Error ratio (5m)",
                        kind: "stat",
                        unit: "percentunit",
                        queries: [{ expr: recorded.errorRatio }],
                        redAbove: target / 100,
                    },
                };
        }
    };
    return sloRows.map(keySlo);
}

/** One group per row of the guide's SLO table. */
export function sloGroups(ctx: MonitoringContext): RuleGroupSpec[] {
    return keySlos(ctx).map((slo) => slo.group);
}
