/** p95 / p99 latency and 5xx error-rate SLO alerts (prod thresholds: 200 ms, 500 ms, 1 %). */
import { PromtoolSuite } from "../support/promtool";
import { ServerProfile } from "../../components/server-profiles";
import { seriesOf } from "../support/traffic";

const at = (minutes: number) => `${minutes}m`;
const firing = [{}];

export function latencyErrorsSuite(profile: ServerProfile): PromtoolSuite {
    const { traffic, latencyHistogram } = seriesOf(profile);
    return {
        name: "latency-errors",
        tests: [
            {
                name: "p95 crosses 200 ms: warning after 10 minutes; p99 stays under 500 ms",
                // 10 % of requests between 250 and 500 ms: p95 about 375 ms, p99 about 475 ms.
                series: latencyHistogram({ "0.1": 0.9, "0.5": 0.1 }, 40),
                alerts: [
                    { at: at(10), alert: "TaskMcpLatencyP95High", firing: [] },
                    { at: at(20), alert: "TaskMcpLatencyP95High", firing },
                    { at: at(20), alert: "TaskMcpLatencyP99High", firing: [] },
                ],
            },
            {
                name: "p99 crosses 500 ms: critical after 10 minutes",
                // 3 % of requests between 0.5 and 1 s: p99 about 835 ms, p95 under 100 ms.
                series: latencyHistogram({ "0.1": 0.97, "1": 0.03 }, 40),
                alerts: [
                    { at: at(20), alert: "TaskMcpLatencyP99High", firing },
                    { at: at(20), alert: "TaskMcpLatencyP95High", firing: [] },
                ],
            },
            {
                name: "fast requests: no latency alert",
                series: latencyHistogram({ "0.05": 0.99, "0.1": 0.01 }, 40),
                alerts: [
                    { at: at(30), alert: "TaskMcpLatencyP95High", firing: [] },
                    { at: at(30), alert: "TaskMcpLatencyP99High", firing: [] },
                ],
            },
            {
                name: "no traffic: quantiles are NaN, which pages nobody",
                series: latencyHistogram({}, 40, 0),
                alerts: [
                    { at: at(30), alert: "TaskMcpLatencyP95High", firing: [] },
                    { at: at(30), alert: "TaskMcpLatencyP99High", firing: [] },
                ],
            },
            {
                name: "2% 5xx: high-error-rate warning after 5 minutes, no critical",
                series: traffic([{ minutes: 30, errorRatio: 0.02 }]),
                alerts: [
                    { at: at(3), alert: "TaskMcpHighErrorRate", firing: [] },
                    { at: at(10), alert: "TaskMcpHighErrorRate", firing },
                    { at: at(10), alert: "TaskMcpErrorRateCritical", firing: [] },
                ],
            },
            {
                name: "10% 5xx: critical as well",
                series: traffic([{ minutes: 30, errorRatio: 0.1 }]),
                alerts: [
                    { at: at(10), alert: "TaskMcpErrorRateCritical", firing },
                    { at: at(10), alert: "TaskMcpHighErrorRate", firing },
                ],
            },
            {
                name: "0.5% 5xx: within the SLO, silent",
                series: traffic([{ minutes: 30, errorRatio: 0.005 }]),
                alerts: [{ at: at(20), alert: "TaskMcpHighErrorRate", firing: [] }],
            },
        ],
    };
}
