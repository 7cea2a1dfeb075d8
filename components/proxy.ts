/**
 * The request-measuring proxy: Caddy as a native sidecar in front of the app, for servers whose
 * own request metrics are missing (profile `requestSource: "proxy"`). Every name Caddy defines
 * (metric and label names, its server names) lives here, and `proxyConfig` builds its JSON config
 * as plain data, so the program's ConfigMap and the live tests' Caddy run the same file.
 */
import { workload } from "./contract";

/** Caddy's HTTP metrics (modules/caddyhttp/metrics.go), labelled {server, handler, code, method}. */
export const proxyMetrics = {
    /** Whole round trip: the one histogram whose `_count` has every response, 502s included. */
    requestDuration: "caddy_http_request_duration_seconds",
    /** Time to first byte: latency of streams too, but it misses responses Caddy writes itself (502). */
    responseDuration: "caddy_http_response_duration_seconds",
    requestsInFlight: "caddy_http_requests_in_flight",
    statusLabel: "code",
    serverLabel: "server",
    methodLabel: "method",
} as const;

/** Caddy's servers (the `server` label): clients, the health probe, and its own metrics. */
export const proxyServers = { api: "api", health: "health", metrics: "metrics" } as const;

/** Container name of the sidecar, and the names of the ports the pod exposes for it. */
export const proxyContainer = "proxy";
export const proxyPortNames = { health: "proxy-health", metrics: "proxy-metrics" } as const;
/** The app's own port, once the proxy holds the guide's HTTP port. */
export const appPortName = "app";
/** Where the proxy's ConfigMap is mounted, and its one file there. */
export const proxyConfigDir = "/etc/task-mcp-proxy";
export const proxyConfigFile = `${proxyConfigDir}/caddy.json`;

export interface ProxySettings {
    /** Port the app listens on behind the proxy (PORT). */
    readonly appPort: number;
    /** The proxy listener the health probe goes through, so probes never dilute the API's SLIs. */
    readonly healthPort: number;
    /** The proxy's own /metrics. */
    readonly metricsPort: number;
}

const reverseProxy = (appPort: number) => ({
    handler: "reverse_proxy",
    upstreams: [{ dial: `127.0.0.1:${appPort}` }],
    // Flush every write: SSE and NDJSON tool output must reach the client as it is written.
    flush_interval: -1,
});

/**
 * Caddy's JSON config: the guide's port and the health port proxy to the app, a third listener
 * serves metrics. The admin API is off (nothing may reconfigure it) and nothing is persisted (the
 * root filesystem is read-only).
 */
export function proxyConfig(p: ProxySettings) {
    const server = (port: number, handle: object[]) => ({ listen: [`:${port}`], routes: [{ handle }], automatic_https: { disable: true } });
    return {
        admin: { disabled: true, config: { persist: false } },
        logging: { logs: { default: { level: "WARN" } } },
        apps: {
            http: {
                metrics: {},
                servers: {
                    [proxyServers.api]: server(workload.port, [reverseProxy(p.appPort)]),
                    [proxyServers.health]: server(p.healthPort, [reverseProxy(p.appPort)]),
                    [proxyServers.metrics]: server(p.metricsPort, [{ handler: "metrics" }]),
                },
            },
        },
    };
}

/** The proxy's config file, as its ConfigMap holds it. */
export function proxyConfigText(p: ProxySettings): string {
    return `${JSON.stringify(proxyConfig(p), null, 2)}\n`;
}
