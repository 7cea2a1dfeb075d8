/** Synthetic series of the metrics contract, shared by the promtool suites and the burn-rate benchmark. */
import { defaultMetrics as m } from "../../components/metrics";
import { counter, Series, series } from "../support/promtool";

export const apiRoute = "/mcp";
export const healthRoute = "/health/ready";
export const requestsPerMinute = 1000;

/** A stretch of traffic: `minutes` long, failing with 5xx at `errorRatio` (0 to 1). */
export interface Phase {
    readonly minutes: number;
    readonly errorRatio: number;
    /** @default requestsPerMinute */
    readonly perMinute?: number;
}

/** 200 and 500 counters for `route` through the phases, sampled every `step` minutes. */
export function traffic(phases: readonly Phase[], step = 1, route = apiRoute): Series[] {
    const seg = (ok: boolean) =>
        phases.map((p) => {
            const r = (p.perMinute ?? requestsPerMinute) * step;
            return { perStep: ok ? r * (1 - p.errorRatio) : r * p.errorRatio, steps: p.minutes / step };
        });
    return [series(m.requestsTotal, { route, status: "200" }, counter(seg(true))), series(m.requestsTotal, { route, status: "500" }, counter(seg(false)))];
}

/** Error ratio that burns a budget `burnRate` times faster than sustainable. */
export function errorRatioFor(burnRate: number, objectivePercent: number): number {
    return Math.min(1, burnRate * (1 - objectivePercent / 100));
}

/** A histogram whose requests fall in the given buckets (upper bound -> share of requests). */
export function latencyHistogram(shares: Record<string, number>, minutes: number, perMinute = requestsPerMinute): Series[] {
    const bounds = ["0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"];
    let cumulative = 0;
    return bounds.map((le) => {
        cumulative += shares[le] ?? 0;
        return series(`${m.requestDurationSeconds}_bucket`, { route: apiRoute, le }, counter([{ perStep: perMinute * cumulative, steps: minutes }]));
    });
}
