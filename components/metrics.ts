/**
 * The service's metrics contract: every metric and label name that rules and dashboards read
 * from the server itself. A server profile (components/server-profiles.ts) supplies the names a
 * real server emits and says which of them it does not emit at all.
 */
export interface MetricsContract {
    /** Counter of HTTP requests, labelled by route and status. */
    readonly requestsTotal: string;
    /** Histogram (base name, without `_bucket`) of request durations, in the profile's `durationUnit`. */
    readonly requestDuration: string;
    readonly routeLabel: string;
    readonly statusLabel: string;
    /** Gauge of open streaming (SSE) connections. */
    readonly streamingConnectionsActive: string;
    /** Counter of streaming connections opened. */
    readonly streamingConnectionsTotal: string;
    /** Counter of streaming connections that ended in an error. */
    readonly streamingErrorsTotal: string;
    /** Counter of rejected authentication attempts (bad or missing bearer token). */
    readonly authFailuresTotal: string;
    /** Counter of requests rejected by the rate limiter. */
    readonly rateLimitedTotal: string;
    /** prom-client default process metrics: extra panels where a server has them. */
    readonly residentMemoryBytes: string;
    readonly cpuSecondsTotal: string;
    readonly eventLoopLagSeconds: string;
}
export type MetricKey = keyof MetricsContract;

/** The names the operations guide documents. */
export const guideMetrics: MetricsContract = {
    requestsTotal: "http_requests_total",
    requestDuration: "http_request_duration_seconds",
    routeLabel: "route",
    statusLabel: "status",
    streamingConnectionsActive: "task_mcp_streaming_connections_active",
    streamingConnectionsTotal: "task_mcp_streaming_connections_total",
    streamingErrorsTotal: "task_mcp_streaming_errors_total",
    authFailuresTotal: "task_mcp_auth_failures_total",
    rateLimitedTotal: "task_mcp_rate_limited_total",
    residentMemoryBytes: "process_resident_memory_bytes",
    cpuSecondsTotal: "process_cpu_seconds_total",
    eventLoopLagSeconds: "nodejs_eventloop_lag_seconds",
};

/** Label keys of the contract (the rest are metric names). */
export const labelKeys: readonly MetricKey[] = ["routeLabel", "statusLabel"];

/** App process metrics: their panels and alerts exist only where a profile has them. */
export const processMetricKeys: readonly MetricKey[] = ["residentMemoryBytes", "cpuSecondsTotal", "eventLoopLagSeconds"];

/**
 * What every kube-prometheus-stack cluster already scrapes, whatever the app emits: the kubelet's
 * cAdvisor (`container_*`) and kube-state-metrics (`kube_*`). Memory, CPU, restarts and scaling
 * signals come from these, not from the app.
 */
export const clusterMetrics = {
    memoryWorkingSetBytes: { name: "container_memory_working_set_bytes", source: "kubelet (cAdvisor)" },
    cpuUsageSecondsTotal: { name: "container_cpu_usage_seconds_total", source: "kubelet (cAdvisor)" },
    restartsTotal: { name: "kube_pod_container_status_restarts_total", source: "kube-state-metrics" },
    lastTerminatedReason: { name: "kube_pod_container_status_last_terminated_reason", source: "kube-state-metrics" },
    /** The same for init containers, where a native sidecar (the proxy) is counted. */
    initRestartsTotal: { name: "kube_pod_init_container_status_restarts_total", source: "kube-state-metrics" },
    initLastTerminatedReason: { name: "kube_pod_init_container_status_last_terminated_reason", source: "kube-state-metrics" },
    deploymentReplicasAvailable: { name: "kube_deployment_status_replicas_available", source: "kube-state-metrics" },
    deploymentReplicasReady: { name: "kube_deployment_status_replicas_ready", source: "kube-state-metrics" },
    deploymentReplicasDesired: { name: "kube_deployment_spec_replicas", source: "kube-state-metrics" },
    hpaCurrentReplicas: { name: "kube_horizontalpodautoscaler_status_current_replicas", source: "kube-state-metrics" },
    hpaMaxReplicas: { name: "kube_horizontalpodautoscaler_spec_max_replicas", source: "kube-state-metrics" },
    /** Every kubelet probe's result, by probe_type and result (kube-prometheus-stack scrapes /metrics/probes). */
    probesTotal: { name: "prober_probe_total", source: "kubelet (/metrics/probes)" },
} as const;
