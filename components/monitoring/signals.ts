/**
 * Which signals a query reads, and whether the deployed server can feed them: the basis of the
 * generated server-compatibility table and of the live test that proves it against the real
 * server. Pure: a query and a monitoring context in, plain data out.
 */
import { clusterMetrics, labelKeys, MetricKey } from "../metrics";
import { proxyMetrics } from "../proxy";
import { emits, ResponseSignal } from "../server-profiles";
import { probeSuccess } from "./probe";
import { ruleGroupSpecs } from "./rules";
import { MonitoringContext } from "./context";
import { RecordingRule, RuleGroupSpec } from "./rule-spec";

/**
 * Who measures a signal: the server itself, the proxy in the pod, the blackbox exporter's probe
 * through the Service, Prometheus (`up`, recording rules) or the cluster's exporters; a query
 * that reads no metric at all (the Watchdog's `vector(1)`) needs only rule evaluation.
 */
export type SignalSource = "server" | "proxy" | "probe" | "prometheus" | "cluster" | "evaluation";

/** Metrics of the proxy and the probe, by the name a query reads (a histogram's `_count` too). */
const outsideApp = new Map<string, { source: SignalSource; exporter: string }>([
    ...[proxyMetrics.requestDuration, `${proxyMetrics.requestDuration}_count`, proxyMetrics.responseDuration, proxyMetrics.requestsInFlight].map(
        (name): [string, { source: SignalSource; exporter: string }] => [name, { source: "proxy", exporter: "the proxy in the pod (Caddy)" }],
    ),
    [probeSuccess, { source: "probe", exporter: "the blackbox exporter, probing through the Service" }],
]);

export interface Signal {
    readonly metric: string;
    readonly source: SignalSource;
    /** Who exports it, for the docs: "the server", "kubelet (cAdvisor)", ... */
    readonly exporter: string;
    /** Why this server never emits it; undefined when it does (or the source is not the server). */
    readonly missing?: string;
}

export type Verdict =
    /** Data, and from whom (the server, the proxy, the probe; Prometheus for `up`). */
    | { readonly kind: "data"; readonly sources: SignalSource[] }
    | { readonly kind: "cluster"; readonly exporters: string[] }
    | { readonly kind: "none"; readonly reasons: string[] };

/** Metric (and recorded-series) names in a generated query: names followed by a selector, and any `level:metric:op` name. */
export function namesIn(expr: string): string[] {
    const names = [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)(?=\{|\[)|([a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z0-9_:]+)/g)].map((m) => m[1] ?? m[2]);
    return [...new Set(names.map((n) => n.replace(/_bucket$/, "")))];
}

export function signalsOf(expr: string, ctx: MonitoringContext): Signal[] {
    const m = ctx.server.metrics;
    // A recorded name may have several rules (one per SLO, told apart by labels): a query reads
    // those whose labels its selector names, or all of them.
    const recording = new Map<string, RecordingRule[]>();
    for (const r of ruleGroupSpecs(ctx).flatMap((g) => g.recordingRules ?? [])) recording.set(r.record, [...(recording.get(r.record) ?? []), r]);
    const selected = (query: string, name: string, rules: RecordingRule[]) => {
        const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        const matchers = [...query.matchAll(new RegExp(`${escaped}\\{([^}]*)\\}`, "g"))].flatMap((m) =>
            [...m[1].matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]),
        );
        const picked = rules.filter((r) => matchers.every(([k, v]) => r.labels?.[k] === undefined || r.labels[k] === v));
        return picked.length > 0 ? picked : rules;
    };
    const serverKeys = (Object.keys(m) as MetricKey[]).filter((k) => !labelKeys.includes(k));
    const seen = new Map<string, Signal>();
    const visited = new Set<RecordingRule>();
    const visit = (query: string) => {
        for (const name of namesIn(query)) {
            const recorded = recording.get(name);
            if (recorded !== undefined) {
                seen.set(name, { metric: name, source: "prometheus", exporter: "a recording rule" });
                for (const r of selected(query, name, recorded).filter((x) => !visited.has(x))) {
                    visited.add(r);
                    visit(r.expr);
                }
                continue;
            }
            if (seen.has(name)) continue;
            const key = serverKeys.find((k) => m[k] === name);
            const cluster = Object.values(clusterMetrics).find((c) => c.name === name);
            const outside = outsideApp.get(name);
            if (outside) seen.set(name, { metric: name, ...outside });
            else if (name === "up") seen.set(name, { metric: name, source: "prometheus", exporter: "Prometheus (a scrape of each metrics endpoint)" });
            else if (key)
                seen.set(name, {
                    metric: name,
                    source: "server",
                    exporter: "the server",
                    missing: emits(ctx.server, key) ? undefined : ctx.server.unavailable[key],
                });
            else if (cluster) seen.set(name, { metric: name, source: "cluster", exporter: cluster.source });
            else throw new Error(`query reads ${name}, which neither the server profile, the cluster nor a recording rule provides: ${query}`);
        }
    };
    visit(expr);
    return [...seen.values()];
}

/** Whether a query can return data with this profile's server, and from what. */
export function verdictOf(expr: string, ctx: MonitoringContext, needs: readonly ResponseSignal[] = []): Verdict {
    const signals = signalsOf(expr, ctx);
    const missing = [
        ...signals.filter((s) => s.missing !== undefined).map((s) => `${s.metric}: ${s.missing}`),
        ...needs.filter((n) => !emits(ctx.server, n)).map((n) => `${n}: ${ctx.server.unavailable[n]}`),
    ];
    if (missing.length > 0) return { kind: "none", reasons: [...new Set(missing)] };
    const cluster = signals.filter((s) => s.source === "cluster");
    if (cluster.length > 0) return { kind: "cluster", exporters: [...new Set(cluster.map((s) => s.exporter))] };
    const sources = [...new Set(signals.filter((s) => s.source !== "prometheus" || s.metric === "up").map((s) => s.source))];
    return { kind: "data", sources: signals.length === 0 ? ["evaluation"] : sources };
}

/**
 * Rules that could never work as meant under this context's server and signal sources: every
 * recording and alerting rule of `groups` whose query reads a signal nobody emits. What the
 * program renders must have none (test/unit/dead-rules.test.ts).
 */
export function deadRules(ctx: MonitoringContext, groups: readonly RuleGroupSpec[]): Array<{ rule: string; reasons: string[] }> {
    const rules = groups.flatMap((g) => [
        ...(g.recordingRules ?? []).map((r) => ({ rule: r.record, expr: r.expr })),
        ...g.alerts.map((a) => ({ rule: a.alert, expr: a.expr })),
    ]);
    return rules.flatMap(({ rule, expr }) => {
        const verdict = verdictOf(expr, ctx);
        return verdict.kind === "none" ? [{ rule, reasons: verdict.reasons }] : [];
    });
}
