import { emits } from "../../server-profiles";
import { queries } from "../promql";
import { MonitoringContext } from "../context";
import { DashboardSpec, PanelSpec } from "./spec";

/**
 * Pods as the cluster sees them (kubelet and kube-state-metrics: memory and CPU against limits,
 * restarts, OOM kills, replicas, the HPA), then the app's own process and streaming signals.
 */
export function infrastructureDashboard(ctx: MonitoringContext): DashboardSpec {
    const q = queries(ctx.server);
    const has = (key: Parameters<typeof emits>[1]) => emits(ctx.server, key);
    const processPanels: PanelSpec[] = [
        ...(has("residentMemoryBytes")
            ? [
                  {
                      title: "Process resident memory",
                      kind: "timeseries",
                      unit: "bytes",
                      queries: [{ expr: q.processMemoryBytes, legend: "{{instance}}" }],
                  } as const,
              ]
            : []),
        ...(has("cpuSecondsTotal")
            ? [{ title: "Process CPU", kind: "timeseries", unit: "none", queries: [{ expr: q.processCpuCores("5m"), legend: "{{instance}}" }] } as const]
            : []),
        ...(has("eventLoopLagSeconds")
            ? [{ title: "Event loop lag", kind: "timeseries", unit: "s", queries: [{ expr: q.eventLoopLag, legend: "{{instance}}" }] } as const]
            : []),
    ];
    return {
        key: "infrastructure",
        description: "Task MCP pods: scrape health, memory and CPU against limits, restarts, replicas and autoscaling, streaming connections.",
        panels: [
            { title: "Targets up", kind: "timeseries", unit: "none", queries: [{ expr: q.targetsUp }] },
            {
                title: "Memory / limit",
                kind: "timeseries",
                unit: "percentunit",
                queries: [{ expr: `${q.memoryBytes} / ${ctx.limits.memoryBytes}`, legend: "{{pod}}" }],
            },
            {
                title: "CPU / limit",
                kind: "timeseries",
                unit: "percentunit",
                queries: [{ expr: `${q.cpuCores("5m")} / ${ctx.limits.cpuCores}`, legend: "{{pod}}" }],
            },
            { title: "Readiness probes failed (kubelet)", kind: "timeseries", unit: "percentunit", queries: [{ expr: q.readinessFailureRatio("5m") }] },
            { title: "Container restarts (15m)", kind: "timeseries", unit: "none", queries: [{ expr: q.restarts("15m"), legend: "{{pod}}" }] },
            { title: "OOM kills (15m)", kind: "timeseries", unit: "none", queries: [{ expr: q.oomKilled("15m"), legend: "{{pod}}" }] },
            {
                title: "Replicas available / desired",
                kind: "timeseries",
                unit: "none",
                queries: [
                    { expr: q.replicasAvailable, legend: "available" },
                    { expr: q.replicasDesired, legend: "desired" },
                ],
            },
            {
                title: "Autoscaler replicas / maximum",
                kind: "timeseries",
                unit: "none",
                queries: [
                    { expr: q.hpaCurrent, legend: "current" },
                    { expr: q.hpaMax, legend: "maximum" },
                ],
            },
            ...processPanels,
            ...(ctx.server.requestSource === "proxy"
                ? [
                      {
                          title: "Requests in flight at the proxy (open streams included)",
                          kind: "timeseries",
                          unit: "none",
                          queries: [{ expr: q.proxyInFlight }],
                      } as const,
                  ]
                : []),
            { title: "Streaming connections", kind: "timeseries", unit: "none", queries: [{ expr: q.streamingActive }] },
            { title: "Streaming error ratio", kind: "timeseries", unit: "percentunit", queries: [{ expr: q.streamingErrorRatio("10m") }] },
        ],
    };
}
