import { queries } from "../promql";
import { MonitoringContext, RuleGroupSpec } from "../types";

/** Resident memory against the configured limit, before the kernel OOM-kills the pod. */
export function memoryIssuesGroup(ctx: MonitoringContext): RuleGroupSpec {
    const usage = `${queries(ctx.metrics).memoryBytes} / ${ctx.limits.memoryBytes}`;
    return {
        name: "task-mcp-memory-issues",
        alerts: [
            {
                alert: "TaskMcpMemoryHigh",
                expr: `${usage} > 0.85`,
                for: "10m",
                severity: "warning",
                runbook: "memory-issues",
                dashboard: "infrastructure",
                summary: "Task MCP pod memory above 85% of its limit",
                description: "{{ $labels.instance }} has used more than 85% of its memory limit for 10 minutes.",
            },
            {
                alert: "TaskMcpMemoryCritical",
                expr: `${usage} > 0.95`,
                for: "2m",
                severity: "critical",
                runbook: "memory-issues",
                dashboard: "infrastructure",
                summary: "Task MCP pod about to be OOM-killed",
                description: "{{ $labels.instance }} uses more than 95% of its memory limit.",
            },
        ],
    };
}
