/**
 * Multi-window, multi-burn-rate alerts of the availability SLOs (prod: 99.9 % API, 99.95 % health).
 * Every scenario has enough healthy history to fill the longest window, then a burn from the
 * minute `onset`. Expected minutes are what promtool's evaluation gives; the comment beside each
 * states the analytic time it must be close to (see docs/alerting-benchmark.md).
 */
import { sloTable } from "../../components/contract";
import { monitoringSchema } from "../../components/config/schema";
import { durationSeconds } from "../../components/duration";
import { PromtoolSuite, PromtoolTest } from "../support/promtool";
import { ServerProfile } from "../../components/server-profiles";
import { errorRatioFor, probeSeries, seriesOf } from "../support/traffic";
import { probeJob } from "../../components/monitoring/probe";

const api = sloTable.availability.objectivePercent;
/** The Probe's default interval: one sample per probe, as Prometheus stores them. */
const probeInterval = durationSeconds(monitoringSchema.parse({}).blackboxExporter.interval);
const at = (minutes: number) => `${minutes}m`;
const burning = [{}];
/** `alert` silent at minute `silent`, firing at minute `firing`: when it starts, to the evaluation. */
const silentThenFiring = (alert: string, silent: number, firing: number) => [
    { at: at(silent), alert, firing: [] },
    { at: at(firing), alert, firing: burning },
];

const onset = 6 * 60;
const burn = (rate: number, minutes: number, objective: number = api) => [
    { minutes: onset, errorRatio: 0 },
    { minutes, errorRatio: errorRatioFor(rate, objective) },
];

/**
 * Health Check Availability (99.95 %) from the probe through the Service, one sample per probe.
 * At a 10 s interval the 1h window holds 360 probes and the fast page needs 14.4 x 0.05 % =
 * 0.72 % of them failed: 3 probes. One or two lost probes never page; three in a row (30 s of
 * no Ready pod) do, while the 5m window still holds them.
 */
const lost = (probes: number) => [
    { minutes: onset, failing: false },
    { minutes: (probes * probeInterval) / 60, failing: true },
    { minutes: 60, failing: false },
];
const probeTests: PromtoolTest[] = [
    {
        name: "no Ready pod behind the Service: the health SLO pages at the next evaluation, the API SLO does not",
        interval: `${probeInterval}s`,
        series: [
            probeSeries(
                [
                    { minutes: onset, failing: false },
                    { minutes: 30, failing: true },
                ],
                probeInterval,
            ),
        ],
        alerts: [
            // At onset the 1h window holds one failed probe of 360 (0.28 %); a minute later, seven.
            ...silentThenFiring("TaskMcpHealthAvailabilityFastBurn", onset, onset + 1),
            // Only 6.5 h of history: the 1d window already holds enough of the outage.
            { at: at(onset + 3), alert: "TaskMcpHealthAvailabilitySlowBurn", firing: burning },
            { at: at(onset + 3), alert: "TaskMcpApiAvailabilityFastBurn", firing: [] },
            { at: at(onset + 3), alert: "TaskMcpHealthProbeMissing", firing: [] },
        ],
    },
    {
        name: "one lost probe never pages, nor opens a ticket",
        interval: `${probeInterval}s`,
        series: [probeSeries(lost(1), probeInterval)],
        alerts: [1, 3, 30].flatMap((m) => [
            { at: at(onset + m), alert: "TaskMcpHealthAvailabilityFastBurn", firing: [] },
            { at: at(onset + m), alert: "TaskMcpHealthAvailabilitySlowBurn", firing: [] },
        ]),
    },
    {
        name: "two lost probes in an hour (0.56 %) stay silent",
        interval: `${probeInterval}s`,
        series: [probeSeries(lost(2), probeInterval)],
        alerts: [{ at: at(onset + 1), alert: "TaskMcpHealthAvailabilityFastBurn", firing: [] }],
    },
    {
        name: "the smallest outage that pages: three lost probes in a row (30 s), until they leave the 5m window",
        interval: `${probeInterval}s`,
        series: [probeSeries(lost(3), probeInterval)],
        alerts: [
            { at: at(onset + 1), alert: "TaskMcpHealthAvailabilityFastBurn", firing: burning },
            { at: at(onset + 7), alert: "TaskMcpHealthAvailabilityFastBurn", firing: [] },
        ],
    },
    {
        name: "no probe results at all for 10 minutes: a warning that the health SLO is blind",
        interval: `${probeInterval}s`,
        // Probes for 20 minutes, then none (the exporter gone, or the Probe not picked up).
        series: [
            { ...probeSeries([{ minutes: 20, failing: false }], probeInterval), values: `1x${(20 * 60) / probeInterval - 1} _x${(40 * 60) / probeInterval}` },
        ],
        alerts: [
            { at: at(20), alert: "TaskMcpHealthProbeMissing", firing: [] },
            // Absent once the 5m lookback passes (25m), then its 10m `for`.
            // absent() keeps the selector's equality matchers as labels.
            { at: at(40), alert: "TaskMcpHealthProbeMissing", firing: [{ job: probeJob }] },
            { at: at(40), alert: "TaskMcpHealthAvailabilityFastBurn", firing: [] },
        ],
    },
];

export function pageSuite(profile: ServerProfile): PromtoolSuite {
    const { traffic } = seriesOf(profile);
    return {
        name: "slo-burn-page",
        tests: [
            {
                // The first failed requests are in the sample at onset + 1 minute.
                name: "100% outage pages at the first evaluation that sees it",
                series: traffic(burn(1000, 60)),
                alerts: [
                    ...silentThenFiring("TaskMcpApiAvailabilityFastBurn", onset, onset + 1),
                    { at: at(onset + 1), alert: "TaskMcpHealthAvailabilityFastBurn", firing: [] },
                    { at: at(onset + 1), alert: "TaskMcpHealthAvailabilitySlowBurn", firing: [] },
                ],
            },
            {
                // 1h window: 15 * 0.1% * t/60 >= 14.4 * 0.1%  =>  t >= 57.6 min
                name: "15x burn pages after 58 minutes",
                series: traffic(burn(15, 120)),
                alerts: silentThenFiring("TaskMcpApiAvailabilityFastBurn", onset + 57, onset + 58),
            },
            {
                // 6h window: 7 * t/360 >= 6  =>  t >= 308.6 min; the 1h window never reaches 14.4x
                name: "7x burn pages through the 6h window after 309 minutes",
                series: traffic(burn(7, 360)),
                alerts: silentThenFiring("TaskMcpApiAvailabilityFastBurn", onset + 308, onset + 309),
            },
            {
                // The boundary: exactly 6x for the whole 6h window spends 5 % of the 30-day budget,
                // the workbook's page. Prometheus 3's windows are left-open, so the 6h window is all
                // burn once the sample at onset is its first: minute 360. With `>` it never pages.
                name: "exactly 6x for 6 hours pages when the 6h window is full",
                series: traffic(burn(6, 400)),
                alerts: silentThenFiring("TaskMcpApiAvailabilityFastBurn", onset + 359, onset + 360),
            },
            {
                name: "0.5x burn (within budget) never pages",
                series: traffic(burn(0.5, 400)),
                alerts: [{ at: at(onset + 400), alert: "TaskMcpApiAvailabilityFastBurn", firing: [] }],
            },
            {
                name: "3x burn never pages",
                series: traffic(burn(3, 360)),
                alerts: [{ at: at(onset + 360), alert: "TaskMcpApiAvailabilityFastBurn", firing: [] }],
            },
            {
                // Both pairs need their short window burning: the page ends once the 30m window clears.
                name: "a page resolves about 30 minutes after a 10-minute outage ends",
                series: traffic([...burn(1000, 10), { minutes: 60, errorRatio: 0 }]),
                alerts: [
                    { at: at(onset + 9), alert: "TaskMcpApiAvailabilityFastBurn", firing: burning },
                    { at: at(onset + 35), alert: "TaskMcpApiAvailabilityFastBurn", firing: burning },
                    { at: at(onset + 42), alert: "TaskMcpApiAvailabilityFastBurn", firing: [] },
                ],
            },
            ...probeTests,
            {
                name: "zero traffic: error ratio 0 (not NaN, not missing), budget intact, nothing fires",
                series: traffic([{ minutes: 120, errorRatio: 0, perMinute: 0 }]),
                alerts: [
                    { at: at(120), alert: "TaskMcpApiAvailabilityFastBurn", firing: [] },
                    { at: at(120), alert: "TaskMcpApiAvailabilitySlowBurn", firing: [] },
                ],
                exprs: [
                    {
                        at: at(120),
                        expr: 'task_mcp:slo_errors_per_request:ratio_rate5m{slo="api-availability"}',
                        samples: [{ labels: 'task_mcp:slo_errors_per_request:ratio_rate5m{slo="api-availability"}', value: 0 }],
                    },
                    {
                        at: at(120),
                        expr: 'task_mcp:slo_error_budget_remaining:ratio{slo="api-availability"}',
                        samples: [{ labels: 'task_mcp:slo_error_budget_remaining:ratio{slo="api-availability"}', value: 1 }],
                    },
                ],
            },
        ],
    };
}

const day = 24 * 60;
const ticketOnset = 3 * day;
const slowBurn = (rate: number, minutes: number) => [
    { minutes: ticketOnset, errorRatio: 0 },
    { minutes, errorRatio: errorRatioFor(rate, api) },
];

/** Tickets need three days of history: sampled and evaluated every 5 minutes to stay fast. */
export function ticketSuite(profile: ServerProfile): PromtoolSuite {
    const { traffic } = seriesOf(profile);
    return {
        name: "slo-burn-ticket",
        evaluationInterval: "5m",
        tests: [
            {
                // 1d window: 4 * t/1440 >= 3  =>  t >= 1080 min
                name: "4x burn opens a ticket after 18 hours and never pages",
                interval: "5m",
                series: traffic(slowBurn(4, 1.5 * day), 5),
                alerts: [
                    ...silentThenFiring("TaskMcpApiAvailabilitySlowBurn", ticketOnset + 1075, ticketOnset + 1080),
                    { at: at(ticketOnset + 1.5 * day), alert: "TaskMcpApiAvailabilityFastBurn", firing: [] },
                ],
            },
            {
                // 1d window: 3 * t/1440 >= 3  =>  t >= 1440 min (the 3d window reaches 1x at 1440 too)
                name: "3x burn opens a ticket after a day",
                interval: "5m",
                series: traffic(slowBurn(3, 1.5 * day), 5),
                alerts: silentThenFiring("TaskMcpApiAvailabilitySlowBurn", ticketOnset + 1435, ticketOnset + 1440),
            },
            {
                // The boundary: exactly 1x for the whole 3d window spends 10 % of the budget, the
                // workbook's ticket. With `>` it never opens one.
                name: "exactly 1x for 3 days opens a ticket when the 3d window is full",
                interval: "5m",
                series: traffic(slowBurn(1, 3 * day + 60), 5),
                alerts: [
                    ...silentThenFiring("TaskMcpApiAvailabilitySlowBurn", ticketOnset + 3 * day - 5, ticketOnset + 3 * day),
                    { at: at(ticketOnset + 3 * day), alert: "TaskMcpApiAvailabilityFastBurn", firing: [] },
                ],
            },
            {
                name: "0.5x burn (within budget) stays silent for three days",
                interval: "5m",
                series: traffic(slowBurn(0.5, 3 * day), 5),
                alerts: [
                    { at: at(ticketOnset + 3 * day), alert: "TaskMcpApiAvailabilitySlowBurn", firing: [] },
                    { at: at(ticketOnset + 3 * day), alert: "TaskMcpApiAvailabilityFastBurn", firing: [] },
                ],
            },
        ],
    };
}
