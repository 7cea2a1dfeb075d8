/**
 * The service's metrics contract: every metric and label name that rules and dashboards read.
 * Stacks may override any entry (config key `metrics`) when the server is built with other names.
 */
export interface MetricsContract {
    /** Counter of HTTP requests, labelled by route and status code. */
    readonly requestsTotal: string;
    /** Histogram (base name, without `_bucket`) of request durations in seconds. */
    readonly requestDurationSeconds: string;
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
    /** prom-client default process metrics. */
    readonly residentMemoryBytes: string;
    readonly cpuSecondsTotal: string;
    readonly eventLoopLagSeconds: string;
}

export const defaultMetrics: MetricsContract = {
    requestsTotal: "http_requests_total",
    requestDurationSeconds: "http_request_duration_seconds",
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
