/**
 * Every dashboard panel and every alert, with the signals it reads and whether the profile's
 * server can feed it. docs/server-compatibility.md is this table; the live suite proves each
 * row against the real server.
 */
import { dashboards } from "../contract";
import { dashboardSpecs } from "./dashboards";
import { ruleGroupSpecs } from "./rules";
import { QuerySpec } from "./dashboards/spec";
import { signalsOf, Verdict, verdictOf } from "./signals";
import { MonitoringContext } from "./types";

export interface CompatibilityRow {
    readonly kind: "panel" | "alert";
    /** Dashboard title for a panel, runbook for an alert. */
    readonly where: string;
    readonly name: string;
    readonly queries: readonly QuerySpec[];
    /** Metric names it reads, recording rules resolved to their sources. */
    readonly metrics: readonly string[];
    readonly verdict: Verdict;
}

/** The worst verdict of several queries: none, then cluster, then data. */
function combine(verdicts: Verdict[]): Verdict {
    const none = verdicts.filter((v) => v.kind === "none");
    if (none.length > 0) return { kind: "none", reasons: [...new Set(none.flatMap((v) => v.reasons))] };
    const cluster = verdicts.filter((v) => v.kind === "cluster");
    if (cluster.length > 0) return { kind: "cluster", exporters: [...new Set(cluster.flatMap((v) => v.exporters))] };
    return { kind: "data" };
}

function row(kind: CompatibilityRow["kind"], where: string, name: string, queries: readonly QuerySpec[], ctx: MonitoringContext): CompatibilityRow {
    const metrics = [...new Set(queries.flatMap((q) => signalsOf(q.expr, ctx).filter((s) => s.source !== "prometheus" || s.metric === "up").map((s) => s.metric)))];
    return { kind, where, name, queries, metrics, verdict: combine(queries.map((q) => verdictOf(q.expr, ctx, q.needs))) };
}

export function compatibilityRows(ctx: MonitoringContext): CompatibilityRow[] {
    const panels = dashboardSpecs(ctx).flatMap((d) =>
        d.panels.map((p) => row("panel", dashboards[d.key].title, p.title, p.queries, ctx)),
    );
    const alerts = ruleGroupSpecs(ctx).flatMap((g) => g.alerts.map((a) => row("alert", a.runbook, a.alert, [{ expr: a.expr }], ctx)));
    return [...panels, ...alerts];
}
