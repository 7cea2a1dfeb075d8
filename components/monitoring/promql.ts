/**
 * PromQL as pure functions of the server profile. Rules and dashboards both call these, so a
 * profile's names, units and label formats change every query at once.
 */
import { workload } from "../contract";
import { clusterMetrics } from "../metrics";
import { proxyContainer, proxyMetrics, proxyServers } from "../proxy";
import { appEndpointName } from "../workload";
import { probePaths, ServerProfile } from "../server-profiles";
import { probeJob, probeSuccess } from "./probe";

/** Series of this service as the ServiceMonitor scrapes them (job = Service name). */
export const serviceSelector = `namespace="${workload.namespace}",job="${workload.name}"`;
/** Series of this service's container as the kubelet and kube-state-metrics label them. */
export const containerSelector = `namespace="${workload.namespace}",container="${workload.name}"`;
/** The app's container and the proxy's beside it, for restarts and OOM kills of either. */
export const podContainersSelector = `namespace="${workload.namespace}",container=~"${workload.name}|${proxyContainer}"`;

/** Recording-rule names: `level:metric:operations`, per the Prometheus naming convention. */
export const recorded = {
    sloErrorRatio: (window: string) => `task_mcp:slo_errors_per_request:ratio_rate${window}`,
    sloObjective: "task_mcp:slo_objective:ratio",
    sloBudgetRemaining: "task_mcp:slo_error_budget_remaining:ratio",
    errorRatio: "task_mcp:http_errors_per_request:ratio_rate5m",
    /** Always in seconds, whatever unit the server's histogram uses. */
    latencyQuantile: (quantile: number) => `task_mcp:http_request_duration_seconds:p${Math.round(quantile * 100)}_rate5m`,
} as const;

/** Multiply a duration in the profile's unit by this to get seconds. */
export function toSeconds(profile: Pick<ServerProfile, "durationUnit">): number {
    return profile.durationUnit === "ms" ? 0.001 : 1;
}

/**
 * Where the API's request signals are read, by the profile's `requestSource`: the server's own
 * counter and histogram (health and metrics routes left out), or the proxy's, whose `api` server
 * sees client requests only (probes and scrapes go to the app's port or the proxy's others).
 */
export interface RequestSignals {
    /** Counter of responses with a status label (the proxy's: its round-trip histogram's `_count`). */
    readonly requests: string;
    /** Latency histogram (base name). The proxy's is time to first byte, so a stream's latency is not its length. */
    readonly latency: string;
    /** Matchers (after the service selector) for API traffic. */
    readonly api: string;
    readonly statusLabel: string;
    readonly statusLabelFormat: "code" | "class";
    /** The label per-route panels break down by (the proxy has no route: its method). */
    readonly breakdownLabel: string;
    /** Multiply the histogram's unit by this to get seconds. */
    readonly toSeconds: number;
}

export function requestSignals(profile: ServerProfile): RequestSignals {
    if (profile.requestSource === "proxy") {
        const p = proxyMetrics;
        return {
            requests: `${p.requestDuration}_count`,
            latency: p.responseDuration,
            api: `${p.serverLabel}="${proxyServers.api}"`,
            statusLabel: p.statusLabel,
            statusLabelFormat: "code",
            breakdownLabel: p.methodLabel,
            toSeconds: 1,
        };
    }
    const m = profile.metrics;
    const nonApiPaths = [...probePaths(profile), ...new Set(profile.metricsEndpoints.map((e) => e.path))].join("|");
    return {
        requests: m.requestsTotal,
        latency: m.requestDuration,
        api: `${m.routeLabel}!~"${nonApiPaths}"`,
        statusLabel: m.statusLabel,
        statusLabelFormat: profile.statusLabelFormat,
        breakdownLabel: m.routeLabel,
        toSeconds: toSeconds(profile),
    };
}

export function queries(profile: ServerProfile) {
    const m = profile.metrics;
    // Scrapes of the app itself, not of the proxy beside it: `up` of these says whether the server runs.
    const appTargets = `${serviceSelector},endpoint=~"${[...new Set(profile.metricsEndpoints.map((e) => appEndpointName(profile, e)))].join("|")}"`;
    const sig = requestSignals(profile);
    const status = (code: string) => (sig.statusLabelFormat === "class" ? `,${sig.statusLabel}="${code[0]}xx"` : `,${sig.statusLabel}=~"${code}"`);
    const requests = (extra = "") => `${sig.requests}{${serviceSelector},${sig.api}${extra}}`;
    const probes = `${probeSuccess}{job="${probeJob}"}`;
    const serverErrors = status("5..");
    const sumRate = (series: string, window: string, by = "") => `sum${by ? ` by (${by})` : ""}(rate(${series}[${window}]))`;
    /**
     * 0 (not NaN, not nothing) when there is no traffic or no error series yet: the error side
     * falls back to 0 * traffic, and the denominator is clamped away from zero.
     */
    const ratio = (errors: string, total: string, window: string, by = "") =>
        `(${sumRate(errors, window, by)} or 0 * ${sumRate(total, window, by)}) / clamp_min(${sumRate(total, window, by)}, 1e-12)`;
    const scale = sig.toSeconds === 1 ? "" : ` * ${sig.toSeconds}`;
    const c = clusterMetrics;
    const restartIncrease = (window: string) =>
        `increase(${c.restartsTotal.name}{${podContainersSelector}}[${window}]) or increase(${c.initRestartsTotal.name}{${podContainersSelector}}[${window}])`;
    const deployment = `namespace="${workload.namespace}",deployment="${workload.name}"`;
    const hpa = `namespace="${workload.namespace}",horizontalpodautoscaler="${workload.name}"`;

    return {
        signals: sig,
        requests,
        requestRate: (window: string, by = "") => sumRate(requests(), window, by),
        errorRate: (window: string, by = "") => sumRate(requests(serverErrors), window, by),
        errorRatio: (window: string, by = "") => ratio(requests(serverErrors), requests(), window, by),
        statusRate: (window: string) => sumRate(requests(), window, sig.statusLabel),
        /** In seconds. */
        latencyQuantile: (quantile: number, window: string, by = "") =>
            `histogram_quantile(${quantile}, sum by (le${by ? `, ${by}` : ""}) (rate(${sig.latency}_bucket{${serviceSelector},${sig.api}}[${window}])))${scale}`,
        /** Share of failed probes through the Service (the blackbox exporter's `probe_success`). */
        probeErrorRatio: (window: string) => `1 - sum(sum_over_time(${probes}[${window}])) / sum(count_over_time(${probes}[${window}]))`,
        probeMissing: `absent(${probes})`,
        /** Not one successful probe through the Service in `window`: nothing answers there. */
        probeNeverSucceeded: (window: string) => `max(max_over_time(${probes}[${window}])) == 0`,
        proxyInFlight: `sum(${proxyMetrics.requestsInFlight}{${serviceSelector},${proxyMetrics.serverLabel}="${proxyServers.api}"})`,
        targetsUp: `sum(up{${appTargets}})`,
        /** Fires as a series only when no app target is up, including when every target vanished. */
        noTargetUp: `absent(up{${appTargets}} == 1)`,
        targetDown: `up{${serviceSelector}} == 0`,
        // The app's own process metrics, where the profile has them.
        processMemoryBytes: `${m.residentMemoryBytes}{${serviceSelector}}`,
        processCpuCores: (window: string) => `rate(${m.cpuSecondsTotal}{${serviceSelector}}[${window}])`,
        eventLoopLag: `${m.eventLoopLagSeconds}{${serviceSelector}}`,
        // What the cluster measures, whatever the app emits.
        memoryBytes: `max by (pod) (${c.memoryWorkingSetBytes.name}{${containerSelector}})`,
        cpuCores: (window: string) => `sum by (pod) (rate(${c.cpuUsageSecondsTotal.name}{${containerSelector}}[${window}]))`,
        // The proxy is a native sidecar: kube-state-metrics counts it among the init containers.
        restarts: (window: string) => `sum by (pod) (${restartIncrease(window)})`,
        oomKilled: (window: string) =>
            `(sum by (pod, container) (${restartIncrease(window)}) > 0) and on (pod, container) (max by (pod, container) (${c.lastTerminatedReason.name}{${podContainersSelector},reason="OOMKilled"} or ${c.initLastTerminatedReason.name}{${podContainersSelector},reason="OOMKilled"}) == 1)`,
        /** Share of the kubelet's readiness probes of the app container that failed: silent where no container runs. */
        readinessFailureRatio: (window: string) => {
            const probes = `${c.probesTotal.name}{${containerSelector},probe_type="Readiness"`;
            return `sum(rate(${probes},result="failed"}[${window}])) / sum(rate(${probes}}[${window}]))`;
        },
        replicasAvailable: `sum(${c.deploymentReplicasAvailable.name}{${deployment}})`,
        /** No pod Ready, by kube-state-metrics: the Service has no endpoint even if every pod runs and answers scrapes. */
        noReadyPods: `sum(${c.deploymentReplicasReady.name}{${deployment}}) == 0`,
        replicasDesired: `sum(${c.deploymentReplicasDesired.name}{${deployment}})`,
        hpaCurrent: `sum(${c.hpaCurrentReplicas.name}{${hpa}})`,
        hpaMax: `sum(${c.hpaMaxReplicas.name}{${hpa}})`,
        streamingActive: `sum(${m.streamingConnectionsActive}{${serviceSelector}})`,
        streamingErrorRatio: (window: string) =>
            ratio(`${m.streamingErrorsTotal}{${serviceSelector}}`, `${m.streamingConnectionsTotal}{${serviceSelector}}`, window),
        authFailureRate: (window: string) => sumRate(`${m.authFailuresTotal}{${serviceSelector}}`, window),
        rateLimitedRate: (window: string) => sumRate(`${m.rateLimitedTotal}{${serviceSelector}}`, window),
        unauthorizedRate: (window: string) =>
            sumRate(requests(sig.statusLabelFormat === "class" ? status("4..") : `,${sig.statusLabel}=~"401|403"`), window, sig.breakdownLabel),
    };
}
