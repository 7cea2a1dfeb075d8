import { queries } from "../promql";
import { MonitoringContext } from "../context";
import { RuleGroupSpec } from "../rule-spec";

/** Authentication failures and rate limiting beyond normal noise: the security team's alerts. */
export function securityIncidentsGroup(ctx: MonitoringContext): RuleGroupSpec {
    const q = queries(ctx.server);
    const { authFailuresPerSecond, rateLimitedPerSecond } = ctx.security;
    return {
        name: "task-mcp-security-incidents",
        alerts: [
            {
                alert: "TaskMcpAuthFailureSpike",
                expr: `${q.authFailureRate("5m")} > ${authFailuresPerSecond}`,
                for: "5m",
                severity: "warning",
                runbook: "security-incidents",
                dashboard: "security",
                needs: ["authFailuresTotal"],
                summary: `More than ${authFailuresPerSecond} rejected bearer tokens per second`,
                description: `More than ${authFailuresPerSecond} authentication failures per second for 5 minutes: possible credential stuffing, or a revoked token still in use.`,
            },
            {
                alert: "TaskMcpRateLimitSurge",
                expr: `${q.rateLimitedRate("5m")} > ${rateLimitedPerSecond}`,
                for: "10m",
                severity: "warning",
                runbook: "security-incidents",
                dashboard: "security",
                needs: ["rateLimitedTotal"],
                summary: `More than ${rateLimitedPerSecond} rate-limited requests per second`,
                description: `More than ${rateLimitedPerSecond} requests per second rejected by the rate limiter for 10 minutes: possible abuse.`,
            },
        ],
    };
}
