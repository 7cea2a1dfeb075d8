import { queries } from "../promql";
import { MonitoringContext, RuleGroupSpec } from "../types";

/** CPU near the limit means throttling; a lagging event loop is what users feel of it. */
export function cpuIssuesGroup(ctx: MonitoringContext): RuleGroupSpec {
    const q = queries(ctx.metrics);
    return {
        name: "task-mcp-cpu-issues",
        alerts: [
            {
                alert: "TaskMcpCpuHigh",
                expr: `${q.cpuCores("5m")} / ${ctx.limits.cpuCores} > 0.9`,
                for: "15m",
                severity: "warning",
                runbook: "cpu-issues",
                dashboard: "infrastructure",
                summary: "Task MCP pod CPU above 90% of its limit",
                description: "{{ $labels.instance }} has used more than 90% of its CPU limit for 15 minutes.",
            },
            {
                alert: "TaskMcpEventLoopLagHigh",
                expr: `${q.eventLoopLag} > 0.5`,
                for: "5m",
                severity: "warning",
                runbook: "cpu-issues",
                dashboard: "infrastructure",
                summary: "Task MCP event loop lag above 500 ms",
                description: "{{ $labels.instance }} event loop has lagged more than 500 ms for 5 minutes.",
            },
        ],
    };
}
