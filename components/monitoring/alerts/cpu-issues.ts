import { queries } from "../promql";
import { AlertSpec, RuleGroupSpec } from "../rule-spec";
import { MonitoringContext } from "../context";

/**
 * CPU near the limit means throttling; an HPA pinned at its maximum means no more headroom. The
 * event-loop alert is rendered only where the server exports its lag.
 */
export function cpuIssuesGroup(ctx: MonitoringContext): RuleGroupSpec {
    const q = queries(ctx.server);
    const eventLoop: AlertSpec = {
        alert: "TaskMcpEventLoopLagHigh",
        expr: `${q.eventLoopLag} > 0.5`,
        for: "5m",
        severity: "warning",
        runbook: "cpu-issues",
        dashboard: "infrastructure",
        needs: ["eventLoopLagSeconds"],
        summary: "Task MCP event loop lag above 500 ms",
        description: "{{ $labels.instance }} event loop has lagged more than 500 ms for 5 minutes.",
    };
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
                description: "{{ $labels.pod }} has used more than 90% of its CPU limit for 15 minutes.",
            },
            {
                alert: "TaskMcpHpaAtMaximum",
                expr: `${q.hpaCurrent} >= ${q.hpaMax}`,
                for: "15m",
                severity: "warning",
                runbook: "cpu-issues",
                dashboard: "infrastructure",
                summary: "Task MCP autoscaler at its maximum replicas",
                description: "The HPA has run at its maximum replica count for 15 minutes: raise replicas.max or find what uses the CPU.",
            },
            eventLoop,
        ],
    };
}
