import { StackConfig } from "../config/schema";
import { cpuCores, memoryBytes } from "../config/quantity";
import { defaultMetrics } from "../metrics";
import { MonitoringContext } from "./types";

/** The plain data the rule and dashboard builders need, derived from a validated stack config. */
export function monitoringContext(config: StackConfig): MonitoringContext {
    return {
        metrics: { ...defaultMetrics, ...dropUndefined(config.metrics) },
        slo: config.slo,
        limits: { memoryBytes: memoryBytes(config.resources.limits.memory), cpuCores: cpuCores(config.resources.limits.cpu) },
        security: config.alerting.security,
        runbookBaseUrl: config.monitoring.runbookBaseUrl.replace(/\/+$/, ""),
        grafanaBaseUrl: config.monitoring.grafanaBaseUrl.replace(/\/+$/, ""),
    };
}

function dropUndefined<T extends object>(value: T): Partial<T> {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
