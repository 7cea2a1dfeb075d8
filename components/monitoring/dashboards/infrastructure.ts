import { queries } from "../promql";
import { MonitoringContext } from "../types";
import { DashboardSpec } from "./spec";

/** Pods, memory and CPU against their limits, event loop, streaming connections. */
export function infrastructureDashboard(ctx: MonitoringContext): DashboardSpec {
    const q = queries(ctx.metrics);
    return {
        key: "infrastructure",
        description: "Task MCP pods: scrape health, memory and CPU against limits, event loop lag, streaming connections.",
        panels: [
            { title: "Targets up", kind: "timeseries", unit: "none", queries: [{ expr: q.targetsUp }] },
            { title: "Memory / limit", kind: "timeseries", unit: "percentunit", queries: [{ expr: `${q.memoryBytes} / ${ctx.limits.memoryBytes}`, legend: "{{instance}}" }] },
            { title: "CPU / limit", kind: "timeseries", unit: "percentunit", queries: [{ expr: `${q.cpuCores("5m")} / ${ctx.limits.cpuCores}`, legend: "{{instance}}" }] },
            { title: "Event loop lag", kind: "timeseries", unit: "s", queries: [{ expr: q.eventLoopLag, legend: "{{instance}}" }] },
            { title: "Streaming connections", kind: "timeseries", unit: "none", queries: [{ expr: q.streamingActive }] },
            { title: "Streaming error ratio", kind: "timeseries", unit: "percentunit", queries: [{ expr: q.streamingErrorRatio("10m") }] },
        ],
    };
}
