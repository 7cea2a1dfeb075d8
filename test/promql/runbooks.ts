/** Alerts of the runbooks outside the SLO table: downtime, memory, CPU, streaming, security. */
import { workload } from "../../components/contract";
import { clusterMetrics as k } from "../../components/metrics";
import { proxyContainer, proxyPortNames } from "../../components/proxy";
import { appEndpointName } from "../../components/workload";
import { emits, ServerProfile } from "../../components/server-profiles";
import { counter, PromtoolSuite, PromtoolTest, series } from "../support/promtool";
import { probeSeries } from "../support/traffic";

const at = (minutes: number) => `${minutes}m`;
const memoryLimit = 512 * 2 ** 20; // prod limits.memory
const pod = (instance: string) => ({ job: "task-mcp-http", instance });
/** A series of the service's container as the kubelet and kube-state-metrics label it. */
const container = (name: string) => ({ container: workload.name, pod: name });
const perSecond = (rate: number, minutes: number) => counter([{ perStep: rate * 60, steps: minutes }]);

/** Streaming and security alerts read the profile's names; each is tested where it is rendered. */
export function runbooksSuite(profile: ServerProfile): PromtoolSuite {
    const m = profile.metrics;
    // `up` of the app's own scrape (the ServiceMonitor's endpoint label), as the rules select it.
    const app = { endpoint: appEndpointName(profile, profile.metricsEndpoints[0]) };
    const eventLoop: PromtoolTest = {
        name: "event loop lag above 500 ms for 5 minutes: warning",
        series: [series(m.eventLoopLagSeconds, { instance: "pod-a" }, "0.01x5 0.8x20")],
        alerts: [
            { at: at(8), alert: "TaskMcpEventLoopLagHigh", firing: [] },
            { at: at(15), alert: "TaskMcpEventLoopLagHigh", firing: [pod("pod-a")] },
        ],
    };
    // Rendered only where the server emits their signals (components/monitoring/rules.ts).
    const streaming: PromtoolTest[] = [
        {
            name: "10% of streaming connections fail: warning after 10 minutes; no streams: silent",
            series: [series(m.streamingConnectionsTotal, {}, perSecond(2, 40)), series(m.streamingErrorsTotal, {}, perSecond(0.2, 40))],
            alerts: [
                { at: at(8), alert: "TaskMcpStreamingErrors", firing: [] },
                { at: at(25), alert: "TaskMcpStreamingErrors", firing: [{}] },
            ],
        },
        {
            name: "no streaming traffic at all: ratio 0, silent",
            series: [series(m.streamingConnectionsTotal, {}, perSecond(0, 40))],
            alerts: [{ at: at(30), alert: "TaskMcpStreamingErrors", firing: [] }],
        },
    ];
    const authFailures: PromtoolTest[] = [
        {
            name: "auth failures at 3/s: security alert after 5 minutes; 0.5/s: silent",
            series: [series(m.authFailuresTotal, {}, perSecond(3, 30))],
            alerts: [
                { at: at(4), alert: "TaskMcpAuthFailureSpike", firing: [] },
                { at: at(12), alert: "TaskMcpAuthFailureSpike", firing: [{}] },
            ],
        },
        {
            name: "auth failures under the threshold stay silent",
            series: [series(m.authFailuresTotal, {}, perSecond(0.5, 30))],
            alerts: [{ at: at(25), alert: "TaskMcpAuthFailureSpike", firing: [] }],
        },
    ];
    const rateLimited: PromtoolTest = {
        name: "rate limiting at 20/s for 10 minutes: security alert",
        series: [series(m.rateLimitedTotal, {}, perSecond(20, 30))],
        alerts: [
            { at: at(8), alert: "TaskMcpRateLimitSurge", firing: [] },
            { at: at(20), alert: "TaskMcpRateLimitSurge", firing: [{}] },
        ],
    };
    return {
        name: "runbooks",
        tests: [
            {
                // The proxy's own scrape stays up when the app behind it is down: it must not count.
                name: "every app target down, the proxy's still up: service down pages after 1 minute",
                series: [
                    series("up", { ...app, instance: "pod-a" }, "1x10 0x20"),
                    series("up", { endpoint: proxyPortNames.metrics, instance: "pod-a" }, "1x30"),
                ],
                alerts: [
                    { at: at(10), alert: "TaskMcpServiceDown", firing: [] },
                    { at: at(13), alert: "TaskMcpServiceDown", firing: [{}] },
                ],
            },
            {
                name: "targets vanish from discovery: absent() still pages (after the 5m lookback and 1m for)",
                series: [series("up", { ...app, instance: "pod-a" }, "1x10 _x30")],
                alerts: [
                    { at: at(14), alert: "TaskMcpServiceDown", firing: [] },
                    { at: at(18), alert: "TaskMcpServiceDown", firing: [{}] },
                ],
            },
            {
                name: "one of two pods down: instance warning after 5 minutes, no page",
                series: [series("up", { ...app, instance: "pod-a" }, "1x30"), series("up", { ...app, instance: "pod-b" }, "1x5 0x25")],
                alerts: [
                    { at: at(8), alert: "TaskMcpInstanceDown", firing: [] },
                    { at: at(15), alert: "TaskMcpInstanceDown", firing: [{ ...pod("pod-b"), ...app }] },
                    { at: at(15), alert: "TaskMcpServiceDown", firing: [] },
                ],
            },
            {
                name: "memory at 90% of the limit: warning after 10 minutes; 97%: critical after 2",
                series: [
                    series(k.memoryWorkingSetBytes.name, container("pod-a"), `${0.9 * memoryLimit}x30`),
                    series(k.memoryWorkingSetBytes.name, container("pod-b"), `${0.97 * memoryLimit}x30`),
                    series(k.memoryWorkingSetBytes.name, container("pod-c"), `${0.5 * memoryLimit}x30`),
                ],
                alerts: [
                    { at: at(5), alert: "TaskMcpMemoryHigh", firing: [] },
                    { at: at(15), alert: "TaskMcpMemoryHigh", firing: [{ pod: "pod-a" }, { pod: "pod-b" }] },
                    { at: at(1), alert: "TaskMcpMemoryCritical", firing: [] },
                    { at: at(5), alert: "TaskMcpMemoryCritical", firing: [{ pod: "pod-b" }] },
                ],
            },
            {
                name: "a container OOM-killed, the app's or the proxy's: warning while the restart is within 15 minutes; other restarts: silent",
                series: [
                    series(k.restartsTotal.name, container("pod-a"), "0x10 1x30"),
                    series(k.lastTerminatedReason.name, { ...container("pod-a"), reason: "OOMKilled" }, "1x40"),
                    series(k.restartsTotal.name, container("pod-b"), "0x10 1x30"),
                    series(k.lastTerminatedReason.name, { ...container("pod-b"), reason: "Error" }, "1x40"),
                    series(k.initRestartsTotal.name, { container: proxyContainer, pod: "pod-c" }, "0x10 1x30"),
                    series(k.initLastTerminatedReason.name, { container: proxyContainer, pod: "pod-c", reason: "OOMKilled" }, "1x40"),
                ],
                alerts: [
                    { at: at(9), alert: "TaskMcpOOMKilled", firing: [] },
                    {
                        at: at(15),
                        alert: "TaskMcpOOMKilled",
                        firing: [
                            { pod: "pod-a", container: workload.name },
                            { pod: "pod-c", container: proxyContainer },
                        ],
                    },
                    { at: at(35), alert: "TaskMcpOOMKilled", firing: [] },
                ],
            },
            {
                name: "CPU at 95% of the limit for 15 minutes: warning; 50%: silent",
                series: [
                    series(k.cpuUsageSecondsTotal.name, container("pod-a"), perSecond(0.95, 40)),
                    series(k.cpuUsageSecondsTotal.name, container("pod-b"), perSecond(0.5, 40)),
                ],
                alerts: [
                    { at: at(10), alert: "TaskMcpCpuHigh", firing: [] },
                    { at: at(25), alert: "TaskMcpCpuHigh", firing: [{ pod: "pod-a" }] },
                ],
            },
            {
                name: "HPA at its maximum for 15 minutes: warning; below it: silent",
                series: [
                    series(k.hpaCurrentReplicas.name, { horizontalpodautoscaler: workload.name }, "3x10 12x30"),
                    series(k.hpaMaxReplicas.name, { horizontalpodautoscaler: workload.name }, "12x40"),
                ],
                alerts: [
                    { at: at(20), alert: "TaskMcpHpaAtMaximum", firing: [] },
                    { at: at(30), alert: "TaskMcpHpaAtMaximum", firing: [{}] },
                ],
            },
            {
                name: "no Ready pod by kube-state-metrics for 1 minute, while every scrape still answers: page; a dip to one Ready: silent",
                series: [
                    series(k.deploymentReplicasReady.name, { deployment: workload.name }, "3x5 1x3 3x1 0x20"),
                    probeSeries([{ minutes: 40, failing: false }], 60),
                ],
                alerts: [
                    { at: at(9), alert: "TaskMcpNoReadyPods", firing: [] },
                    { at: at(11), alert: "TaskMcpNoReadyPods", firing: [] },
                    { at: at(13), alert: "TaskMcpNoReadyPods", firing: [{}] },
                ],
            },
            {
                name: "no probe through the Service succeeds for 2 minutes, kube-state-metrics silent or saying Ready: page; every other probe lost: silent",
                series: [
                    probeSeries(
                        [
                            { minutes: 10, failing: false },
                            { minutes: 20, failing: true },
                        ],
                        60,
                    ),
                ],
                alerts: [
                    { at: at(10), alert: "TaskMcpNoReadyPods", firing: [] },
                    { at: at(14), alert: "TaskMcpNoReadyPods", firing: [{}] },
                ],
            },
            {
                name: "half the probes through the Service lost, one Ready pod: no total outage",
                series: [
                    { ...probeSeries([{ minutes: 30, failing: false }], 60), values: "1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0 1 0" },
                    series(k.deploymentReplicasReady.name, { deployment: workload.name }, "1x20"),
                ],
                alerts: [{ at: at(15), alert: "TaskMcpNoReadyPods", firing: [] }],
            },
            {
                name: "the Watchdog fires at every evaluation, with nothing else going on",
                series: [series(k.deploymentReplicasReady.name, { deployment: workload.name }, "3x20")],
                alerts: [
                    { at: at(0), alert: "Watchdog", firing: [{}] },
                    { at: at(15), alert: "Watchdog", firing: [{}] },
                ],
            },
            {
                name: "fewer replicas available than desired for 10 minutes: warning; a short dip: silent",
                series: [
                    series(k.deploymentReplicasAvailable.name, { deployment: workload.name }, "3x5 2x3 3x5 1x20"),
                    series(k.deploymentReplicasDesired.name, { deployment: workload.name }, "3x40"),
                ],
                alerts: [
                    { at: at(12), alert: "TaskMcpReplicasUnavailable", firing: [] },
                    { at: at(30), alert: "TaskMcpReplicasUnavailable", firing: [{}] },
                ],
            },
            {
                name: "a container restarting 3 times in 15 minutes, the app or the proxy: warning; once: silent",
                series: [
                    series(k.restartsTotal.name, container("pod-a"), "0x5 1 2 3x20"),
                    series(k.restartsTotal.name, container("pod-b"), "0x5 1x20"),
                    series(k.initRestartsTotal.name, { container: proxyContainer, pod: "pod-c" }, "0x5 1 2 3x20"),
                ],
                alerts: [
                    { at: at(4), alert: "TaskMcpPodRestarting", firing: [] },
                    { at: at(10), alert: "TaskMcpPodRestarting", firing: [{ pod: "pod-a" }, { pod: "pod-c" }] },
                ],
            },
            {
                name: "most readiness probes failing for 5 minutes (the kubelet's count): warning; a few: silent",
                series: [
                    series(k.probesTotal.name, { ...container("pod-a"), probe_type: "Readiness", result: "successful" }, perSecond(0.02, 30)),
                    series(k.probesTotal.name, { ...container("pod-a"), probe_type: "Readiness", result: "failed" }, "0x10 0+12x20"),
                    series(k.probesTotal.name, { ...container("pod-a"), probe_type: "Liveness", result: "successful" }, perSecond(0.1, 30)),
                ],
                alerts: [
                    { at: at(9), alert: "TaskMcpReadinessFailing", firing: [] },
                    { at: at(25), alert: "TaskMcpReadinessFailing", firing: [{}] },
                ],
            },
            ...(emits(profile, "eventLoopLagSeconds") ? [eventLoop] : []),
            ...(emits(profile, "streamingErrorsTotal") ? streaming : []),
            ...(emits(profile, "authFailuresTotal") ? authFailures : []),
            ...(emits(profile, "rateLimitedTotal") ? [rateLimited] : []),
        ],
    };
}
