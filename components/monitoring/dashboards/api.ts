import { queries, recorded } from "../promql";
import { MonitoringContext } from "../types";
import { DashboardSpec } from "./spec";

/** API performance: traffic, errors and latency, per route. */
export function apiDashboard(ctx: MonitoringContext): DashboardSpec {
    const q = queries(ctx.server);
    const route = ctx.server.metrics.routeLabel;
    return {
        key: "api",
        description: "Task MCP HTTP API: request rate, errors and latency per route.",
        panels: [
            { title: "Requests per route", kind: "timeseries", unit: "reqps", queries: [{ expr: q.requestRate("api", "5m", route), legend: `{{${route}}}` }] },
            { title: "5xx ratio per route", kind: "timeseries", unit: "percentunit", queries: [{ expr: q.errorRatio("api", "5m", route), legend: `{{${route}}}` }] },
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
            { title: "p95 latency per route", kind: "timeseries", unit: "s", queries: [{ expr: q.latencyQuantile(0.95, "5m", route), legend: `{{${route}}}` }] },
            { title: "Health check 5xx ratio", kind: "timeseries", unit: "percentunit", queries: [{ expr: q.errorRatio("health", "5m") }] },
        ],
    };
}
