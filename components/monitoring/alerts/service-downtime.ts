import { queries } from "../promql";
import { MonitoringContext, RuleGroupSpec } from "../types";

/** The service is down: no target answers a scrape, or one target has stopped answering. */
export function serviceDowntimeGroup(ctx: MonitoringContext): RuleGroupSpec {
    const q = queries(ctx.metrics);
    return {
        name: "task-mcp-service-downtime",
        alerts: [
            {
                alert: "TaskMcpServiceDown",
                // absent(... == 1) also fires when every target vanished from discovery.
                expr: q.noTargetUp,
                for: "1m",
                severity: "critical",
                runbook: "service-downtime",
                dashboard: "overview",
                summary: "Task MCP HTTP server is down",
                description: "No task-mcp-http target has answered a Prometheus scrape for 1 minute.",
            },
            {
                alert: "TaskMcpInstanceDown",
                expr: q.targetDown,
                for: "5m",
                severity: "warning",
                runbook: "service-downtime",
                dashboard: "infrastructure",
                summary: "A Task MCP pod is not answering scrapes",
                description: "Target {{ $labels.instance }} has been down for 5 minutes; the others still serve.",
            },
        ],
    };
}
