/**
 * A synthetic task-mcp-http (and the kubelet and kube-state-metrics series about it): serves a
 * server profile's metrics on /metrics with a controllable error ratio, latency and health, so
 * the alerting pipeline can be driven on demand; its readiness path answers the blackbox
 * exporter's probe. The real server is in test/support/server.ts.
 */
import { workload } from "../../components/contract";
import { clusterMetrics as k } from "../../components/metrics";
import { ServerProfile } from "../../components/server-profiles";
import { serve } from "../support/processes";

export interface TargetState {
    /** Share of API requests answered with 500. */
    errorRatio: number;
    /** Scrapes fail (HTTP 503), so `up` drops to 0. */
    down: boolean;
}

const requestsPerSecond = 50;
const bucketsSeconds = ["0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"];
/** Cumulative share of requests at or under each bucket: p95 ~ 80 ms, p99 ~ 200 ms. */
const latencyShares = [0.7, 0.96, 0.995, 1, 1, 1, 1];

export async function startTarget(profile: ServerProfile) {
    const m = profile.metrics;
    const state: TargetState = { errorRatio: 0, down: false };
    const counters = new Map<string, number>();
    const started = Date.now();
    let last = started;
    const add = (series: string, perSecond: number, dt: number) => counters.set(series, (counters.get(series) ?? 0) + perSecond * dt);
    const code = (c: string) => (profile.statusLabelFormat === "class" ? `${c[0]}xx` : c);
    const le = (s: string) => (s === "+Inf" || profile.durationUnit === "s" ? s : String(Number(s) * 1000));
    const unit = profile.durationUnit === "ms" ? 1000 : 1;
    const pod = `container="${workload.name}",pod="${workload.name}-0"`;
    const requests = (route: string, status: string) => `${m.requestsTotal}{${m.routeLabel}="${route}",${m.statusLabel}="${code(status)}"}`;

    function advance() {
        const now = Date.now();
        const dt = (now - last) / 1000;
        last = now;
        const r = requestsPerSecond;
        add(requests("/mcp", "200"), r * (1 - state.errorRatio), dt);
        add(requests("/mcp", "500"), r * state.errorRatio, dt);
        add(requests("/mcp", "401"), 0.5, dt);
        add(requests(profile.probes.readiness, "200"), 0.2, dt);
        add(requests(profile.probes.liveness, "200"), 0.1, dt);
        bucketsSeconds.forEach((b, i) => add(`${m.requestDuration}_bucket{${m.routeLabel}="/mcp",le="${le(b)}"}`, r * latencyShares[i], dt));
        add(`${m.requestDuration}_count{${m.routeLabel}="/mcp"}`, r, dt);
        add(`${m.requestDuration}_sum{${m.routeLabel}="/mcp"}`, r * 0.05 * unit, dt);
        add(m.streamingConnectionsTotal, 2, dt);
        add(m.streamingErrorsTotal, 0.02, dt);
        add(m.authFailuresTotal, 0.1, dt);
        add(m.rateLimitedTotal, 0.3, dt);
        add(m.cpuSecondsTotal, 0.2, dt);
        add(`${k.cpuUsageSecondsTotal.name}{${pod}}`, 0.2, dt);
        // The kubelet's readiness probes of the pod (every 5 s), failing while the target is down.
        add(`${k.probesTotal.name}{${pod},probe_type="Readiness",result="successful"}`, state.down ? 0 : 0.2, dt);
        add(`${k.probesTotal.name}{${pod},probe_type="Readiness",result="failed"}`, state.down ? 0.2 : 0, dt);
    }

    function exposition(): string {
        advance();
        // One restart, by an OOM kill, 10 s in (after Prometheus has seen 0): the OOM panel has a series to show.
        const restarts = Date.now() - started > 10_000 ? 1 : 0;
        const gauges = [
            `${m.streamingConnectionsActive} 12`,
            `${m.residentMemoryBytes} ${150 * 2 ** 20}`,
            `${m.eventLoopLagSeconds} 0.012`,
            `${k.memoryWorkingSetBytes.name}{${pod}} ${150 * 2 ** 20}`,
            `${k.restartsTotal.name}{${pod}} ${restarts}`,
            `${k.lastTerminatedReason.name}{${pod},reason="OOMKilled"} 1`,
            `${k.deploymentReplicasAvailable.name}{deployment="${workload.name}"} 2`,
            `${k.deploymentReplicasDesired.name}{deployment="${workload.name}"} 2`,
            `${k.hpaCurrentReplicas.name}{horizontalpodautoscaler="${workload.name}"} 2`,
            `${k.hpaMaxReplicas.name}{horizontalpodautoscaler="${workload.name}"} 6`,
        ];
        return [...[...counters].map(([series, value]) => `${series} ${value}`), ...gauges, ""].join("\n");
    }

    const server = await serve((req, res) => {
        // The readiness path answers as the server would, for the blackbox exporter's probe.
        if (req.url === profile.probes.readiness) {
            res.writeHead(state.down ? 503 : 200).end();
            return;
        }
        if (req.url !== "/metrics" || state.down) {
            res.writeHead(state.down ? 503 : 404).end();
            return;
        }
        res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(exposition());
    });
    return { port: server.port, state, close: server.close };
}
