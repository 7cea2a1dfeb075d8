/**
 * Synthetic series of what measures a server profile's requests (the server's own metrics or the
 * proxy's, with their names, label format and duration unit) and of the readiness probe through
 * the Service, shared by the promtool suites and the burn-rate benchmark.
 */
import { probeJob, probeSuccess } from "../../components/monitoring/probe";
import { requestSignals } from "../../components/monitoring/promql";
import { burnRateErrorRatio } from "../../components/monitoring/slo";
import { proxyMetrics, proxyServers } from "../../components/proxy";
import { ServerProfile } from "../../components/server-profiles";
import { counter, Series, series } from "./promtool";

export const apiRoute = "/mcp";
export const requestsPerMinute = 1000;

/** A stretch of traffic: `minutes` long, failing with 5xx at `errorRatio` (0 to 1). */
export interface Phase {
    readonly minutes: number;
    readonly errorRatio: number;
    /** @default requestsPerMinute */
    readonly perMinute?: number;
}

/** Error ratio that burns a budget `burnRate` times faster than sustainable. */
export function errorRatioFor(burnRate: number, objectivePercent: number): number {
    return Math.min(1, burnRateErrorRatio(burnRate, objectivePercent));
}

/** Bucket bounds in seconds (a subset of Caddy's, Prometheus' default buckets); written in the profile's unit. */
const boundsSeconds = ["0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"];

/** A stretch of probes through the Service: `minutes` long, each probe failing or not. */
export interface ProbePhase {
    readonly minutes: number;
    readonly failing: boolean;
}

/**
 * The blackbox exporter's `probe_success` of our Probe, one sample per probe (`intervalSeconds`
 * apart, the Probe's interval), through the phases: one lost probe is a failing phase one
 * interval long.
 */
export function probeSeries(phases: readonly ProbePhase[], intervalSeconds: number): Series {
    const values = phases
        .map((p) => ({ value: p.failing ? 0 : 1, samples: Math.round((p.minutes * 60) / intervalSeconds) }))
        .filter((p) => p.samples > 0)
        .map((p) => `${p.value}x${p.samples - 1}`)
        .join(" ");
    return { series: `${probeSuccess}{job="${probeJob}",instance="http://task-mcp-http.task-mcp.svc:3002/readyz"}`, values };
}

export function seriesOf(profile: ServerProfile) {
    const sig = requestSignals(profile);
    const code = (c: string) => (sig.statusLabelFormat === "class" ? `${c[0]}xx` : c);
    const le = (seconds: string) => (seconds === "+Inf" || sig.toSeconds === 1 ? seconds : String(Number(seconds) * Math.round(1 / sig.toSeconds)));
    // What an API request's series carry besides its status: its route, or the proxy's server, handler and method.
    const apiLabels: Record<string, string> =
        profile.requestSource === "proxy"
            ? { [proxyMetrics.serverLabel]: proxyServers.api, handler: "reverse_proxy", [proxyMetrics.methodLabel]: "POST" }
            : { [profile.metrics.routeLabel]: apiRoute };
    return {
        /** 200 and 500 counters of API requests through the phases, sampled every `step` minutes. */
        traffic(phases: readonly Phase[], step = 1): Series[] {
            const seg = (ok: boolean) =>
                phases.map((p) => {
                    const r = (p.perMinute ?? requestsPerMinute) * step;
                    return { perStep: ok ? r * (1 - p.errorRatio) : r * p.errorRatio, steps: p.minutes / step };
                });
            return [
                series(sig.requests, { ...apiLabels, [sig.statusLabel]: code("200") }, counter(seg(true))),
                series(sig.requests, { ...apiLabels, [sig.statusLabel]: code("500") }, counter(seg(false))),
            ];
        },
        /** A histogram whose requests fall in the given buckets (upper bound in seconds -> share of requests). */
        latencyHistogram(shares: Record<string, number>, minutes: number, perMinute = requestsPerMinute): Series[] {
            let cumulative = 0;
            return boundsSeconds.map((bound) => {
                cumulative += shares[bound] ?? 0;
                return series(
                    `${sig.latency}_bucket`,
                    { ...apiLabels, ...(profile.requestSource === "proxy" ? { code: "200" } : {}), le: le(bound) },
                    counter([{ perStep: perMinute * cumulative, steps: minutes }]),
                );
            });
        },
    };
}
