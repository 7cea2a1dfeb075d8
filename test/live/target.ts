/**
 * A synthetic task-mcp-http: serves the metrics contract on /metrics with a controllable error
 * ratio, latency and health, so Prometheus scrapes what the real server would expose.
 */
import { MetricsContract } from "../../components/metrics";
import { serve } from "./processes";

export interface TargetState {
    /** Share of API requests answered with 500. */
    errorRatio: number;
    /** Scrapes fail (HTTP 503), so `up` drops to 0. */
    down: boolean;
}

const requestsPerSecond = 50;
const buckets = ["0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"];
/** Cumulative share of requests at or under each bucket: p95 ~ 80 ms, p99 ~ 200 ms. */
const latencyShares = [0.7, 0.96, 0.995, 1, 1, 1, 1];

export async function startTarget(m: MetricsContract) {
    const state: TargetState = { errorRatio: 0, down: false };
    const counters = new Map<string, number>();
    let last = Date.now();
    const add = (series: string, perSecond: number, dt: number) => counters.set(series, (counters.get(series) ?? 0) + perSecond * dt);

    function advance() {
        const now = Date.now();
        const dt = (now - last) / 1000;
        last = now;
        const r = requestsPerSecond;
        add(`${m.requestsTotal}{${m.routeLabel}="/mcp",${m.statusLabel}="200"}`, r * (1 - state.errorRatio), dt);
        add(`${m.requestsTotal}{${m.routeLabel}="/mcp",${m.statusLabel}="500"}`, r * state.errorRatio, dt);
        add(`${m.requestsTotal}{${m.routeLabel}="/mcp",${m.statusLabel}="401"}`, 0.5, dt);
        add(`${m.requestsTotal}{${m.routeLabel}="/health/ready",${m.statusLabel}="200"}`, 0.2, dt);
        add(`${m.requestsTotal}{${m.routeLabel}="/health/live",${m.statusLabel}="200"}`, 0.1, dt);
        buckets.forEach((le, i) => add(`${m.requestDurationSeconds}_bucket{${m.routeLabel}="/mcp",le="${le}"}`, r * latencyShares[i], dt));
        add(`${m.requestDurationSeconds}_count{${m.routeLabel}="/mcp"}`, r, dt);
        add(`${m.requestDurationSeconds}_sum{${m.routeLabel}="/mcp"}`, r * 0.05, dt);
        add(m.streamingConnectionsTotal, 2, dt);
        add(m.streamingErrorsTotal, 0.02, dt);
        add(m.authFailuresTotal, 0.1, dt);
        add(m.rateLimitedTotal, 0.3, dt);
        add(m.cpuSecondsTotal, 0.2, dt);
    }

    function exposition(): string {
        advance();
        const gauges = [`${m.streamingConnectionsActive} 12`, `${m.residentMemoryBytes} ${150 * 2 ** 20}`, `${m.eventLoopLagSeconds} 0.012`];
        return [...[...counters].map(([series, value]) => `${series} ${value}`), ...gauges, ""].join("\n");
    }

    const server = await serve((req, res) => {
        if (req.url !== "/metrics" || state.down) {
            res.writeHead(state.down ? 503 : 404).end();
            return;
        }
        res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(exposition());
    });
    return { port: server.port, state, close: server.close };
}
