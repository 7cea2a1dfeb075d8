import { queries } from "../promql";
import { MonitoringContext } from "../context";
import { RuleGroupSpec } from "../rule-spec";

/** Streaming (SSE) connections that end in errors. */
export function streamingIssuesGroup(ctx: MonitoringContext): RuleGroupSpec {
    return {
        name: "task-mcp-streaming-issues",
        alerts: [
            {
                alert: "TaskMcpStreamingErrors",
                expr: `${queries(ctx.server).streamingErrorRatio("10m")} > 0.05`,
                for: "10m",
                severity: "warning",
                runbook: "streaming-issues",
                dashboard: "infrastructure",
                needs: ["streamingErrorsTotal", "streamingConnectionsTotal"],
                summary: "More than 5% of streaming connections fail",
                description: "More than 5% of streaming connections ended in an error over 10 minutes.",
            },
        ],
    };
}
