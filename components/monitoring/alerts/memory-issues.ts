import { queries } from "../promql";
import { MonitoringContext } from "../context";
import { RuleGroupSpec } from "../rule-spec";

/**
 * Container memory (the kubelet's working set, what the OOM killer judges) against the
 * configured limit, before the kernel kills the pod; and the kills themselves.
 */
export function memoryIssuesGroup(ctx: MonitoringContext): RuleGroupSpec {
    const q = queries(ctx.server);
    const usage = `${q.memoryBytes} / ${ctx.limits.memoryBytes}`;
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
                description: "{{ $labels.pod }} has used more than 85% of its memory limit for 10 minutes.",
            },
            {
                alert: "TaskMcpMemoryCritical",
                expr: `${usage} > 0.95`,
                for: "2m",
                severity: "critical",
                runbook: "memory-issues",
                dashboard: "infrastructure",
                summary: "Task MCP pod about to be OOM-killed",
                description: "{{ $labels.pod }} uses more than 95% of its memory limit.",
            },
            {
                alert: "TaskMcpOOMKilled",
                expr: q.oomKilled("15m"),
                severity: "warning",
                runbook: "memory-issues",
                dashboard: "infrastructure",
                summary: "A Task MCP container was OOM-killed",
                description:
                    "Container {{ $labels.container }} of {{ $labels.pod }} restarted in the last 15 minutes after the kernel killed it for exceeding its memory limit.",
            },
        ],
    };
}
