/**
 * Server profiles: how a given build of task-mcp-http really behaves, as plain data. The
 * workload (probes, ports, env, working directory), the ServiceMonitor, the NetworkPolicy, the
 * rules, the dashboards and the docs all read the active profile, so a fixed server release is
 * a one-line change of `task-mcp:server.profile`, not a code change.
 */
import { workload } from "./contract";
import { guideMetrics, MetricKey, MetricsContract } from "./metrics";

/**
 * Signals that are not a metric name but a label value: a query that counts 401/403 responses
 * needs a server that answers authentication failures with them.
 */
export type ResponseSignal = "unauthorizedResponses";
export type SignalKey = MetricKey | ResponseSignal;

export interface MetricsEndpoint {
    /** Container and Service port name (at most 15 characters), and the ServiceMonitor's `port`. */
    readonly name: string;
    readonly port: number;
    readonly path: string;
    /** Env var the server reads this port from; the program sets it, so the port is typed once. */
    readonly portEnv?: string;
}

/**
 * Where request rate, errors and latency are measured: the server's own metrics, or the proxy
 * sidecar in front of it (components/proxy.ts), for a server whose own are missing.
 */
export const requestSources = ["app", "proxy"] as const;
export type RequestSource = (typeof requestSources)[number];

export interface ServerProfile {
    /** Probe paths on the HTTP port. */
    readonly probes: { readonly startup: string; readonly liveness: string; readonly readiness: string };
    /** What Prometheus scrapes: one ServiceMonitor endpoint, Service port and container port each. */
    readonly metricsEndpoints: readonly MetricsEndpoint[];
    readonly metrics: MetricsContract;
    /** Unit of the request-duration histogram; rules and dashboards record seconds either way. */
    readonly durationUnit: "s" | "ms";
    /** How the status label reads: `code` ("503") or `class` ("5xx"). */
    readonly statusLabelFormat: "code" | "class";
    /** Where request signals come from; with "proxy" the metric names above go unread. */
    readonly requestSource: RequestSource;
    /** Env the server needs besides PORT and AUTH_TOKENS (which the program always sets). */
    readonly env: Readonly<Record<string, string>>;
    /** A writable directory (an emptyDir) the process runs in; the root filesystem stays read-only. */
    readonly workingDirectory?: string;
    /** Container command, where the image's own entrypoint cannot be used. @default the image's */
    readonly command?: readonly string[];
    /** Signals this server never emits, each with the reason (for the docs). */
    readonly unavailable: Readonly<Partial<Record<SignalKey, string>>>;
}

/** The contract the operations guide documents. */
const guide: ServerProfile = {
    probes: { startup: "/health/live", liveness: "/health/live", readiness: "/health/ready" },
    metricsEndpoints: [{ name: workload.portName, port: workload.port, path: "/metrics" }],
    metrics: guideMetrics,
    durationUnit: "s",
    statusLabelFormat: "code",
    requestSource: "app",
    env: { NODE_ENV: "production" },
    unavailable: {},
};

/** Where the upstream image keeps the built server (its Dockerfile's WORKDIR). */
const upstreamAppDir = "/app";
const upstreamWorkingDirectory = "/var/lib/task-mcp";
const notExported = "not exported by this server (no such instrument in its source)";
const neverRecorded = "not exported: its streaming instruments exist under other names but no route ever records them";
const otelOff = "OpenTelemetry is off (OTEL_ENABLED=false), since with it on this server answers every request 500";
const handWrittenZero = "its /metrics declares process metrics under other names and always reports 0";

/**
 * The server as published (CasualClark/OpenSpec packages/task-mcp-http at 58ed30ab), run so that
 * it serves: OpenTelemetry off, so no request metrics of its own; the proxy in the pod measures
 * them instead. Its /metrics still answers, which gives Prometheus `up`.
 */
const upstream: ServerProfile = {
    probes: { startup: "/healthz", liveness: "/healthz", readiness: "/readyz" },
    metricsEndpoints: [{ name: workload.portName, port: workload.port, path: "/metrics" }],
    metrics: {
        ...guideMetrics,
        requestsTotal: "http_server_requests_total",
        requestDuration: "http_server_request_duration",
        routeLabel: "http_route",
        statusLabel: "http_status_code",
    },
    durationUnit: "ms",
    statusLabelFormat: "code",
    requestSource: "proxy",
    env: { HOST: "0.0.0.0", NODE_ENV: "production", OTEL_ENABLED: "false", WORKING_DIRECTORY: upstreamWorkingDirectory },
    // /readyz fails unless the process's working directory is writable (it writes audit.log there).
    workingDirectory: upstreamWorkingDirectory,
    // The image's ENTRYPOINT is dumb-init, which its distroless runtime stage does not contain, and
    // its CMD's relative dist/index.js would resolve against the working directory.
    command: ["/nodejs/bin/node", `${upstreamAppDir}/dist/index.js`],
    unavailable: {
        requestsTotal: otelOff,
        requestDuration: otelOff,
        streamingConnectionsActive: neverRecorded,
        streamingConnectionsTotal: neverRecorded,
        streamingErrorsTotal: neverRecorded,
        authFailuresTotal: `${notExported}; a bad token is answered 500, not 401`,
        unauthorizedResponses: "it answers a missing or bad token with 500 (AUTH_ERROR), never 401 or 403",
        rateLimitedTotal: notExported,
        residentMemoryBytes: handWrittenZero,
        cpuSecondsTotal: handWrittenZero,
        eventLoopLagSeconds: notExported,
    },
};

/**
 * The same server with OpenTelemetry on (its default): request metrics from the exporter on a
 * second port, durations in milliseconds. At the pinned commit every request then answers 500,
 * so pods never become Ready: the fault scenario, and the profile for a release that fixes it.
 */
const upstreamOtel: ServerProfile = {
    ...upstream,
    metricsEndpoints: [...upstream.metricsEndpoints, { name: "otel-metrics", port: 9464, path: "/metrics", portEnv: "OTEL_PROMETHEUS_PORT" }],
    env: { ...upstream.env, OTEL_ENABLED: "true" },
    requestSource: "app",
    unavailable: Object.fromEntries(Object.entries(upstream.unavailable).filter(([key]) => key !== "requestsTotal" && key !== "requestDuration")),
};

export const serverProfiles = { upstream, "upstream-otel": upstreamOtel, guide } as const;
export type ServerProfileName = keyof typeof serverProfiles;
export const serverProfileNames = Object.keys(serverProfiles) as ServerProfileName[];

/** Default: what today's image needs to become Ready (see the README, "Server profiles"). */
export const defaultServerProfile: ServerProfileName = "upstream";

/** Signals the profile's server emits. */
export function emits(profile: ServerProfile, key: SignalKey): boolean {
    return profile.unavailable[key] === undefined;
}

/** Health routes as the server labels them: every probe path. */
export function probePaths(profile: ServerProfile): string[] {
    return [...new Set([profile.probes.startup, profile.probes.liveness, profile.probes.readiness])];
}

/**
 * The guide's curl commands as they work against this server, from an engineer's machine: the
 * image is distroless and the namespace Pod Security `restricted`, so there is nothing to exec
 * into and no curl pod to run; a port-forward of the Service's ports comes first.
 */
export function serverCommands(profile: ServerProfile): Record<string, string> {
    const ports = [...new Set([workload.port, ...profile.metricsEndpoints.map((e) => e.port)])];
    const url = (port: number, path: string) => `curl -fsS http://127.0.0.1:${port}${path}`;
    return {
        "port-forward": `kubectl port-forward svc/${workload.name} ${ports.join(" ")} -n ${workload.namespace} &`,
        live: url(workload.port, profile.probes.liveness),
        ready: url(workload.port, profile.probes.readiness),
        ...Object.fromEntries(profile.metricsEndpoints.map((e) => [`metrics (${e.name})`, url(e.port, e.path)])),
    };
}
