/**
 * Synthetic series of a server profile's metrics (its names, label format and duration unit),
 * shared by the promtool suites and the burn-rate benchmark.
 */
import { burnRateErrorRatio } from "../../components/monitoring/slo";
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

/** Bucket bounds in seconds; written in the profile's unit. */
const boundsSeconds = ["0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"];

export function seriesOf(profile: ServerProfile) {
    const m = profile.metrics;
    const code = (c: string) => (profile.statusLabelFormat === "class" ? `${c[0]}xx` : c);
    const le = (seconds: string) => (seconds === "+Inf" || profile.durationUnit === "s" ? seconds : String(Number(seconds) * 1000));
    return {
        healthRoute: profile.probes.readiness,
        /** 200 and 500 counters for `route` through the phases, sampled every `step` minutes. */
        traffic(phases: readonly Phase[], step = 1, route = apiRoute): Series[] {
            const seg = (ok: boolean) =>
                phases.map((p) => {
                    const r = (p.perMinute ?? requestsPerMinute) * step;
                    return { perStep: ok ? r * (1 - p.errorRatio) : r * p.errorRatio, steps: p.minutes / step };
                });
            return [
                series(m.requestsTotal, { [m.routeLabel]: route, [m.statusLabel]: code("200") }, counter(seg(true))),
                series(m.requestsTotal, { [m.routeLabel]: route, [m.statusLabel]: code("500") }, counter(seg(false))),
            ];
        },
        /** A histogram whose requests fall in the given buckets (upper bound in seconds -> share of requests). */
        latencyHistogram(shares: Record<string, number>, minutes: number, perMinute = requestsPerMinute): Series[] {
            let cumulative = 0;
            return boundsSeconds.map((bound) => {
                cumulative += shares[bound] ?? 0;
                return series(`${m.requestDuration}_bucket`, { [m.routeLabel]: apiRoute, le: le(bound) }, counter([{ perStep: perMinute * cumulative, steps: minutes }]));
            });
        },
    };
}
