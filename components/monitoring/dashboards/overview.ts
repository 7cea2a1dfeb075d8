import { queries, recorded } from "../promql";
import { keySlos } from "../slo";
import { alertLabels } from "../conventions";
import { MonitoringContext } from "../context";
import { DashboardSpec } from "./spec";

/** Each series of an SLO's recorded rules is named by its `slo` label. */
const sloLegend = `{{${alertLabels.slo}}}`;

/** The first screen in an incident: is it up, is it within its SLOs, how much budget is left. */
export function overviewDashboard(ctx: MonitoringContext): DashboardSpec {
    const q = queries(ctx.server);
    return {
        key: "overview",
        description: "Task MCP HTTP server: availability, SLOs and error budget at a glance.",
        panels: [
            { title: "Targets up", kind: "stat", unit: "none", queries: [{ expr: q.targetsUp }], redBelow: 1 },
            { title: "Request rate", kind: "stat", unit: "reqps", queries: [{ expr: q.requestRate("5m") }] },
            // One stat per Key SLO that has one (components/monitoring/slo.ts).
            ...keySlos(ctx).flatMap((slo) => (slo.overview ? [slo.overview] : [])),
            {
                title: "Error budget remaining (30d)",
                kind: "stat",
                unit: "percentunit",
                queries: [{ expr: recorded.sloBudgetRemaining, legend: sloLegend }],
                redBelow: 0,
            },
            {
                title: "SLO error ratio vs objective (1h)",
                kind: "timeseries",
                unit: "percentunit",
                queries: [
                    { expr: recorded.sloErrorRatio("1h"), legend: `${sloLegend} errors` },
                    { expr: `1 - ${recorded.sloObjective}`, legend: `${sloLegend} budget` },
                ],
            },
            { title: "Requests by status", kind: "timeseries", unit: "reqps", queries: [{ expr: q.statusRate("5m"), legend: `{{${q.signals.statusLabel}}}` }] },
        ],
    };
}
