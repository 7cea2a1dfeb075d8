/**
 * Every dashboard panel and every alert, with the signals it reads and whether the profile's
 * server can feed it. docs/server-compatibility.md is this table; the live suite proves each
 * row against the real server.
 */
import { dashboards } from "../contract";
import { MetricKey } from "../metrics";
import { emits, SignalKey } from "../server-profiles";
import { dashboardSpecs } from "./dashboards";
import { isRendered, ruleGroupSpecs } from "./rules";
import { QuerySpec } from "./dashboards/spec";
import { signalsOf, Verdict, verdictOf } from "./signals";
import { MonitoringContext } from "./context";

export interface CompatibilityRow {
    readonly kind: "panel" | "alert";
    /** Dashboard title for a panel, runbook for an alert. */
    readonly where: string;
    readonly name: string;
    readonly queries: readonly QuerySpec[];
    /** Metric names it reads, recording rules resolved to their sources. */
    readonly metrics: readonly string[];
    readonly verdict: Verdict;
    /** Alerts: whether the program renders it (it does not where it could never fire). */
    readonly rendered?: boolean;
    /** Where it has no data: what watches the same failure instead. */
    readonly coveredBy: string[];
}

/**
 * What watches a failure where the server does not emit the signal for it: the proxy (where the
 * profile has one), the probe and the cluster measure from outside the app, and some failures
 * stay unseen.
 */
export function coverage(ctx: MonitoringContext): Partial<Record<SignalKey, string>> {
    const proxy = ctx.server.requestSource === "proxy";
    const counted = proxy ? "at the proxy" : "in the server's request metrics";
    const asServerError = `burns API availability and the error rate ${counted}, indistinguishable from server errors`;
    return {
        requestsTotal: "the proxy in the pod (`server.requestSource: proxy`) counts every response by status",
        requestDuration: "the proxy in the pod (`server.requestSource: proxy`) measures time to first byte",
        ...(proxy ? { streamingConnectionsActive: "open streams count in the proxy's requests in flight (Infrastructure dashboard)" } : {}),
        streamingConnectionsTotal: `a stream that fails to open is a 5xx ${counted} (API availability, error rate); an error inside a 200 stream is seen by nothing`,
        streamingErrorsTotal: `a stream that fails to open is a 5xx ${counted} (API availability, error rate); an error inside a 200 stream is seen by nothing`,
        authFailuresTotal: `a bad token is answered 500, so a flood of them ${asServerError}`,
        unauthorizedResponses: `a bad token is answered 500, so a flood of them ${asServerError}`,
        rateLimitedTotal: `a limited request is answered 500, so it ${asServerError}`,
        residentMemoryBytes: "the kubelet's container memory (TaskMcpMemoryHigh, TaskMcpMemoryCritical, TaskMcpOOMKilled)",
        cpuSecondsTotal: "the kubelet's container CPU (TaskMcpCpuHigh)",
        eventLoopLagSeconds: "the kubelet's container CPU (TaskMcpCpuHigh) and the latency SLOs (a blocked loop is slow first bytes)",
    };
}

/** The worst verdict of several queries: none, then cluster, then data. */
function combine(verdicts: Verdict[]): Verdict {
    const none = verdicts.filter((v) => v.kind === "none");
    if (none.length > 0) return { kind: "none", reasons: [...new Set(none.flatMap((v) => v.reasons))] };
    const cluster = verdicts.filter((v) => v.kind === "cluster");
    if (cluster.length > 0) return { kind: "cluster", exporters: [...new Set(cluster.flatMap((v) => v.exporters))] };
    return { kind: "data", sources: [...new Set(verdicts.flatMap((v) => (v.kind === "data" ? v.sources : [])))] };
}

export function compatibilityRows(ctx: MonitoringContext): CompatibilityRow[] {
    const covers = coverage(ctx);
    const m = ctx.server.metrics;
    const row = (
        kind: CompatibilityRow["kind"],
        where: string,
        name: string,
        queries: readonly QuerySpec[],
        extra: Partial<CompatibilityRow> = {},
    ): CompatibilityRow => {
        const signals = queries.flatMap((q) => signalsOf(q.expr, ctx));
        const metrics = [...new Set(signals.filter((s) => s.source !== "prometheus" || s.metric === "up").map((s) => s.metric))];
        const verdict = combine(queries.map((q) => verdictOf(q.expr, ctx, q.needs)));
        // The signals it lacks, by key: the missing metrics it reads and the responses it needs.
        const lacking = [
            ...(Object.keys(m) as MetricKey[]).filter((k) => signals.some((s) => s.missing !== undefined && s.metric === m[k])),
            ...queries.flatMap((q) => q.needs ?? []).filter((n) => !emits(ctx.server, n)),
        ];
        const coveredBy = verdict.kind === "none" ? [...new Set(lacking.flatMap((k) => (covers[k] ? [covers[k]!] : [])))] : [];
        return { kind, where, name, queries, metrics, verdict, coveredBy, ...extra };
    };
    const panels = dashboardSpecs(ctx).flatMap((d) => d.panels.map((p) => row("panel", dashboards[d.key].title, p.title, p.queries)));
    const alerts = ruleGroupSpecs(ctx).flatMap((g) =>
        g.alerts.map((a) => row("alert", a.runbook, a.alert, [{ expr: a.expr }], { rendered: isRendered(ctx, g, a) })),
    );
    return [...panels, ...alerts];
}
