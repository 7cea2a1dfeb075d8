/**
 * PromQL as pure functions of the server profile. Rules and dashboards both call these, so a
 * profile's names, units and label formats change every query at once.
 */
import { workload } from "../contract";
import { clusterMetrics } from "../metrics";
import { probePaths, ServerProfile } from "../server-profiles";

/** Series of this service as the ServiceMonitor scrapes them (job = Service name). */
export const serviceSelector = `namespace="${workload.namespace}",job="${workload.name}"`;
/** Series of this service's container as the kubelet and kube-state-metrics label them. */
export const containerSelector = `namespace="${workload.namespace}",container="${workload.name}"`;

/** Recording-rule names: `level:metric:operations`, per the Prometheus naming convention. */
export const recorded = {
    sloErrorRatio: (window: string) => `task_mcp:slo_errors_per_request:ratio_rate${window}`,
    sloObjective: "task_mcp:slo_objective:ratio",
    sloBudgetRemaining: "task_mcp:slo_error_budget_remaining:ratio",
    errorRatio: "task_mcp:http_errors_per_request:ratio_rate5m",
    /** Always in seconds, whatever unit the server's histogram uses. */
    latencyQuantile: (quantile: number) => `task_mcp:http_request_duration_seconds:p${Math.round(quantile * 100)}_rate5m`,
} as const;

export type RequestClass = "api" | "health";

/** Multiply a duration in the profile's unit by this to get seconds. */
export function toSeconds(profile: Pick<ServerProfile, "durationUnit">): number {
    return profile.durationUnit === "ms" ? 0.001 : 1;
}

export function queries(profile: ServerProfile) {
    const m = profile.metrics;
    const healthPaths = probePaths(profile).join("|");
    const nonApiPaths = [...probePaths(profile), ...new Set(profile.metricsEndpoints.map((e) => e.path))].join("|");
    const status = (code: string) => (profile.statusLabelFormat === "class" ? `,${m.statusLabel}="${code[0]}xx"` : `,${m.statusLabel}=~"${code}"`);
    const requests = (cls: RequestClass, extra = "") => {
        const route = cls === "api" ? `${m.routeLabel}!~"${nonApiPaths}"` : `${m.routeLabel}=~"${healthPaths}"`;
        return `${m.requestsTotal}{${serviceSelector},${route}${extra}}`;
    };
    const serverErrors = status("5..");
    const sumRate = (series: string, window: string, by = "") => `sum${by ? ` by (${by})` : ""}(rate(${series}[${window}]))`;
    /**
     * 0 (not NaN, not nothing) when there is no traffic or no error series yet: the error side
     * falls back to 0 * traffic, and the denominator is clamped away from zero.
     */
    const ratio = (errors: string, total: string, window: string, by = "") =>
        `(${sumRate(errors, window, by)} or 0 * ${sumRate(total, window, by)}) / clamp_min(${sumRate(total, window, by)}, 1e-12)`;
    const scale = toSeconds(profile) === 1 ? "" : ` * ${toSeconds(profile)}`;
    const c = clusterMetrics;
    const deployment = `namespace="${workload.namespace}",deployment="${workload.name}"`;
    const hpa = `namespace="${workload.namespace}",horizontalpodautoscaler="${workload.name}"`;

    return {
        requests,
        requestRate: (cls: RequestClass, window: string, by = "") => sumRate(requests(cls), window, by),
        errorRate: (cls: RequestClass, window: string, by = "") => sumRate(requests(cls, serverErrors), window, by),
        errorRatio: (cls: RequestClass, window: string, by = "") => ratio(requests(cls, serverErrors), requests(cls), window, by),
        statusRate: (window: string) => sumRate(requests("api"), window, m.statusLabel),
        /** In seconds. */
        latencyQuantile: (quantile: number, window: string, by = "") =>
            `histogram_quantile(${quantile}, sum by (le${by ? `, ${by}` : ""}) (rate(${m.requestDuration}_bucket{${serviceSelector},${m.routeLabel}!~"${nonApiPaths}"}[${window}])))${scale}`,
        targetsUp: `sum(up{${serviceSelector}})`,
        /** Fires as a series only when no target is up, including when every target vanished. */
        noTargetUp: `absent(up{${serviceSelector}} == 1)`,
        targetDown: `up{${serviceSelector}} == 0`,
        // The app's own process metrics, where the profile has them.
        processMemoryBytes: `${m.residentMemoryBytes}{${serviceSelector}}`,
        processCpuCores: (window: string) => `rate(${m.cpuSecondsTotal}{${serviceSelector}}[${window}])`,
        eventLoopLag: `${m.eventLoopLagSeconds}{${serviceSelector}}`,
        // What the cluster measures, whatever the app emits.
        memoryBytes: `max by (pod) (${c.memoryWorkingSetBytes.name}{${containerSelector}})`,
        cpuCores: (window: string) => `sum by (pod) (rate(${c.cpuUsageSecondsTotal.name}{${containerSelector}}[${window}]))`,
        restarts: (window: string) => `sum by (pod) (increase(${c.restartsTotal.name}{${containerSelector}}[${window}]))`,
        oomKilled: (window: string) =>
            `(sum by (pod) (increase(${c.restartsTotal.name}{${containerSelector}}[${window}])) > 0) and on (pod) (max by (pod) (${c.lastTerminatedReason.name}{${containerSelector},reason="OOMKilled"}) == 1)`,
        replicasAvailable: `sum(${c.deploymentReplicasAvailable.name}{${deployment}})`,
        replicasDesired: `sum(${c.deploymentReplicasDesired.name}{${deployment}})`,
        hpaCurrent: `sum(${c.hpaCurrentReplicas.name}{${hpa}})`,
        hpaMax: `sum(${c.hpaMaxReplicas.name}{${hpa}})`,
        streamingActive: `sum(${m.streamingConnectionsActive}{${serviceSelector}})`,
        streamingErrorRatio: (window: string) =>
            ratio(`${m.streamingErrorsTotal}{${serviceSelector}}`, `${m.streamingConnectionsTotal}{${serviceSelector}}`, window),
        authFailureRate: (window: string) => sumRate(`${m.authFailuresTotal}{${serviceSelector}}`, window),
        rateLimitedRate: (window: string) => sumRate(`${m.rateLimitedTotal}{${serviceSelector}}`, window),
        unauthorizedRate: (window: string) =>
            sumRate(requests("api", profile.statusLabelFormat === "class" ? status("4..") : `,${m.statusLabel}=~"401|403"`), window, m.routeLabel),
    };
}
