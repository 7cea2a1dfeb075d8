import { MonitoringSettings, ProxyConfig, ResolvedServerProfile, SloConfig, StackConfig, unnamedEnvironment } from "../config/schema";
import { cpuCores, memoryBytes } from "../config/quantity";

/** Everything a rule or dashboard builder may read: plain data derived from the stack config. */
export interface MonitoringContext {
    /** The deployed server's probes, metrics endpoints, names and units. */
    readonly server: ResolvedServerProfile;
    /** The proxy in the pod (used where `server.requestSource` is "proxy"). */
    readonly proxy: ProxyConfig;
    readonly slo: SloConfig;
    /** Memory and CPU limits of one pod, so resource alerts follow the configured limits. */
    readonly limits: { readonly memoryBytes: number; readonly cpuCores: number };
    readonly security: StackConfig["alerting"]["security"];
    readonly runbookBaseUrl: string;
    readonly grafanaBaseUrl: string;
    /** The Probe's interval (the blackbox exporter's readiness probe through the Service). */
    readonly probeInterval: string;
    /** The `environment` label on every alert (the stack's name unless configured). */
    readonly environment: string;
}

/** The plain data the rule and dashboard builders need, derived from validated settings (a stack config is one). */
export function monitoringContext(config: MonitoringSettings): MonitoringContext {
    return {
        server: config.server,
        proxy: config.proxy,
        slo: config.slo,
        limits: { memoryBytes: memoryBytes(config.resources.limits.memory), cpuCores: cpuCores(config.resources.limits.cpu) },
        security: config.alerting.security,
        runbookBaseUrl: config.monitoring.runbookBaseUrl.replace(/\/+$/, ""),
        grafanaBaseUrl: config.monitoring.grafanaBaseUrl.replace(/\/+$/, ""),
        probeInterval: config.monitoring.blackboxExporter.interval,
        environment: config.environment ?? unnamedEnvironment,
    };
}
