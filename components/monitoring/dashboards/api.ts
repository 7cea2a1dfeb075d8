import { queries, recorded } from "../promql";
import { MonitoringContext } from "../context";
import { DashboardSpec } from "./spec";

/** API performance: traffic, errors and latency, per route. */
export function apiDashboard(ctx: MonitoringContext): DashboardSpec {
    const q = queries(ctx.server);
    // The proxy sees no routes: its panels break down by method instead.
    const route = q.signals.breakdownLabel;
    const per = ctx.server.requestSource === "proxy" ? "method" : "route";
    return {
        key: "api",
        description: `Task MCP HTTP API: request rate, errors and latency per ${per}.`,
        panels: [
            { title: `Requests per ${per}`, kind: "timeseries", unit: "reqps", queries: [{ expr: q.requestRate("5m", route), legend: `{{${route}}}` }] },
            { title: `5xx ratio per ${per}`, kind: "timeseries", unit: "percentunit", queries: [{ expr: q.errorRatio("5m", route), legend: `{{${route}}}` }] },
            {
                title: "Latency quantiles",
                kind: "timeseries",
                unit: "s",
                queries: [
                    { expr: q.latencyQuantile(0.5, "5m"), legend: "p50" },
                    { expr: recorded.latencyQuantile(0.95), legend: "p95" },
                    { expr: recorded.latencyQuantile(0.99), legend: "p99" },
                ],
            },
            {
                title: `p95 latency per ${per}`,
                kind: "timeseries",
                unit: "s",
                queries: [{ expr: q.latencyQuantile(0.95, "5m", route), legend: `{{${route}}}` }],
            },
            {
                title: "Health checks through the Service: failed share",
                kind: "timeseries",
                unit: "percentunit",
                description: "Readiness probes of the blackbox exporter through the Service that failed, over 5 minutes.",
                queries: [{ expr: q.probeErrorRatio("5m") }],
            },
        ],
    };
}
