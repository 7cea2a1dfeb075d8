/**
 * PromQL as pure functions of the metrics contract. Rules and dashboards both call these, so a
 * metric renamed in stack config changes every query at once.
 */
import { workload } from "../contract";
import { MetricsContract } from "../metrics";

/** Series of this service as the ServiceMonitor scrapes them (job = Service name). */
export const serviceSelector = `namespace="${workload.namespace}",job="${workload.name}"`;

const healthPaths = [workload.paths.liveness, workload.paths.readiness].join("|");
const nonApiPaths = `${healthPaths}|${workload.paths.metrics}`;

/** Recording-rule names: `level:metric:operations`, per the Prometheus naming convention. */
export const recorded = {
    sloErrorRatio: (window: string) => `task_mcp:slo_errors_per_request:ratio_rate${window}`,
    sloObjective: "task_mcp:slo_objective:ratio",
    sloBudgetRemaining: "task_mcp:slo_error_budget_remaining:ratio",
    errorRatio: "task_mcp:http_errors_per_request:ratio_rate5m",
    latencyQuantile: (quantile: number) => `task_mcp:http_request_duration_seconds:p${Math.round(quantile * 100)}_rate5m`,
} as const;

export type RequestClass = "api" | "health";

export function queries(m: MetricsContract) {
    const requests = (cls: RequestClass, extra = "") => {
        const route = cls === "api" ? `${m.routeLabel}!~"${nonApiPaths}"` : `${m.routeLabel}=~"${healthPaths}"`;
        return `${m.requestsTotal}{${serviceSelector},${route}${extra}}`;
    };
    const serverErrors = `,${m.statusLabel}=~"5.."`;
    const sumRate = (series: string, window: string, by = "") => `sum${by ? ` by (${by})` : ""}(rate(${series}[${window}]))`;
    /**
     * 0 (not NaN, not nothing) when there is no traffic or no error series yet: the error side
     * falls back to 0 * traffic, and the denominator is clamped away from zero.
     */
    const ratio = (errors: string, total: string, window: string, by = "") =>
        `(${sumRate(errors, window, by)} or 0 * ${sumRate(total, window, by)}) / clamp_min(${sumRate(total, window, by)}, 1e-12)`;

    return {
        requests,
        requestRate: (cls: RequestClass, window: string, by = "") => sumRate(requests(cls), window, by),
        errorRate: (cls: RequestClass, window: string, by = "") => sumRate(requests(cls, serverErrors), window, by),
        errorRatio: (cls: RequestClass, window: string, by = "") => ratio(requests(cls, serverErrors), requests(cls), window, by),
        statusRate: (window: string) => sumRate(requests("api"), window, m.statusLabel),
        latencyQuantile: (quantile: number, window: string, by = "") =>
            `histogram_quantile(${quantile}, sum by (le${by ? `, ${by}` : ""}) (rate(${m.requestDurationSeconds}_bucket{${serviceSelector},${m.routeLabel}!~"${nonApiPaths}"}[${window}])))`,
        targetsUp: `sum(up{${serviceSelector}})`,
        /** Fires as a series only when no target is up, including when every target vanished. */
        noTargetUp: `absent(up{${serviceSelector}} == 1)`,
        targetDown: `up{${serviceSelector}} == 0`,
        memoryBytes: `${m.residentMemoryBytes}{${serviceSelector}}`,
        cpuCores: (window: string) => `rate(${m.cpuSecondsTotal}{${serviceSelector}}[${window}])`,
        eventLoopLag: `${m.eventLoopLagSeconds}{${serviceSelector}}`,
        streamingActive: `sum(${m.streamingConnectionsActive}{${serviceSelector}})`,
        streamingErrorRatio: (window: string) =>
            ratio(`${m.streamingErrorsTotal}{${serviceSelector}}`, `${m.streamingConnectionsTotal}{${serviceSelector}}`, window),
        authFailureRate: (window: string) => sumRate(`${m.authFailuresTotal}{${serviceSelector}}`, window),
        rateLimitedRate: (window: string) => sumRate(`${m.rateLimitedTotal}{${serviceSelector}}`, window),
        unauthorizedRate: (window: string) => sumRate(requests("api", `,${m.statusLabel}=~"401|403"`), window, m.routeLabel),
    };
}
export type Queries = ReturnType<typeof queries>;
