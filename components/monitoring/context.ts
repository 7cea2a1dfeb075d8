import { StackConfig } from "../config/schema";
import { cpuCores, memoryBytes } from "../config/quantity";
import { MonitoringContext } from "./types";

/** What a config parsed without a stack (unit tests' `{}`) is labelled; loaders set the stack's name. */
export const unnamedEnvironment = "unnamed";

/** The plain data the rule and dashboard builders need, derived from a validated stack config. */
export function monitoringContext(config: StackConfig): MonitoringContext {
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
