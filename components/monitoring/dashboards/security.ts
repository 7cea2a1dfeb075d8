import { queries } from "../promql";
import { MonitoringContext } from "../context";
import { DashboardSpec } from "./spec";

/** What the security runbook looks at: rejected tokens, rate limiting, 401/403 per route. */
export function securityDashboard(ctx: MonitoringContext): DashboardSpec {
    const q = queries(ctx.server);
    return {
        key: "security",
        description: "Task MCP security signals: authentication failures, rate limiting, 401/403 responses.",
        panels: [
            { title: "Authentication failures", kind: "timeseries", unit: "ops", queries: [{ expr: q.authFailureRate("5m") }] },
            { title: "Rate-limited requests", kind: "timeseries", unit: "reqps", queries: [{ expr: q.rateLimitedRate("5m") }] },
            {
                title: `401/403 per ${ctx.server.requestSource === "proxy" ? "method" : "route"}`,
                kind: "timeseries",
                unit: "reqps",
                queries: [{ expr: q.unauthorizedRate("5m"), legend: `{{${q.signals.breakdownLabel}}}`, needs: ["unauthorizedResponses"] }],
            },
        ],
    };
}
