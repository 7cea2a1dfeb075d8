import { outageAlerts } from "../conventions";
import { queries } from "../promql";
import { MonitoringContext } from "../context";
import { RuleGroupSpec } from "../rule-spec";

/**
 * The service is down: no target answers a scrape, or one has stopped answering. Pods that
 * restart or replicas that stay unavailable come from kube-state-metrics, whatever the app emits.
 */
export function serviceDowntimeGroup(ctx: MonitoringContext): RuleGroupSpec {
    const q = queries(ctx.server);
    return {
        name: "task-mcp-service-downtime",
        alerts: [
            {
                alert: outageAlerts.serviceDown,
                // absent(... == 1) also fires when every target vanished from discovery.
                expr: q.noTargetUp,
                for: "1m",
                severity: "critical",
                totalOutage: true,
                runbook: "service-downtime",
                dashboard: "overview",
                summary: "Task MCP HTTP server is down",
                description: "No task-mcp-http target has answered a Prometheus scrape for 1 minute.",
            },
            {
                alert: outageAlerts.noReadyPods,
                // Scrapes go to pods whether or not they are Ready, so ServiceDown cannot see this;
                // the cluster's view and the probe through the Service can, each without the other.
                expr: `(${q.noReadyPods}) or (${q.probeNeverSucceeded("2m")})`,
                for: "1m",
                severity: "critical",
                totalOutage: true,
                runbook: "service-downtime",
                dashboard: "overview",
                summary: "No Task MCP pod is Ready: the Service has no endpoint",
                description:
                    "For 1 minute kube-state-metrics has counted no Ready pod of task-mcp-http, or the probe through the Service has not succeeded for 3 minutes: every client gets an error, whether or not the pods run.",
            },
            {
                alert: "TaskMcpInstanceDown",
                expr: q.targetDown,
                for: "5m",
                severity: "warning",
                runbook: "service-downtime",
                dashboard: "infrastructure",
                summary: "A Task MCP pod is not answering scrapes",
                description: "Target {{ $labels.instance }} ({{ $labels.endpoint }}) has been down for 5 minutes; the others still serve.",
            },
            {
                alert: "TaskMcpPodRestarting",
                expr: `${q.restarts("15m")} > 2`,
                severity: "warning",
                runbook: "service-downtime",
                dashboard: "infrastructure",
                summary: "A Task MCP container keeps restarting",
                description: "{{ $labels.pod }} restarted more than twice in 15 minutes (failed liveness probes, crashes or OOM kills).",
            },
            {
                alert: "TaskMcpReadinessFailing",
                // The kubelet's own count, a second view beside the probe through the Service.
                expr: `${q.readinessFailureRatio("5m")} > 0.5`,
                for: "5m",
                severity: "warning",
                runbook: "service-downtime",
                dashboard: "infrastructure",
                summary: "Task MCP pods fail their readiness probe",
                description: "For 5 minutes most of the kubelet's readiness probes of task-mcp-http failed: the pods run but get no traffic from the Service.",
            },
            {
                alert: "TaskMcpReplicasUnavailable",
                expr: `${q.replicasAvailable} < ${q.replicasDesired}`,
                for: "10m",
                severity: "warning",
                runbook: "service-downtime",
                dashboard: "infrastructure",
                summary: "Task MCP has fewer available replicas than desired",
                description: "For 10 minutes fewer pods have been Ready than the Deployment wants: pods failing readiness, unschedulable or crash-looping.",
            },
        ],
    };
}
