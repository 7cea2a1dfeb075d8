/**
 * The four dashboards of the guide. Shared defaults (uid, title, tags, refresh, datasource
 * variable, links between them, layout) are applied here in one pass, so none can be forgotten.
 */
import {
    DashboardBuilder,
    DashboardLinkBuilder,
    DashboardLinkType,
    DatasourceVariableBuilder,
    ThresholdsConfigBuilder,
    ThresholdsMode,
} from "@grafana/grafana-foundation-sdk/dashboard";
import type { Dashboard } from "@grafana/grafana-foundation-sdk/dashboard";
import { DataqueryBuilder } from "@grafana/grafana-foundation-sdk/prometheus";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import { dashboards as dashboardNames } from "../../contract";
import { MonitoringContext } from "../context";
import { apiDashboard } from "./api";
import { infrastructureDashboard } from "./infrastructure";
import { overviewDashboard } from "./overview";
import { securityDashboard } from "./security";
import { DashboardSpec, PanelSpec } from "./spec";

export type { DashboardSpec, PanelSpec, QuerySpec } from "./spec";
export type { Dashboard };

export const dashboardTag = "task-mcp";
const datasource = { type: "prometheus", uid: "${datasource}" };

export function dashboardSpecs(ctx: MonitoringContext): DashboardSpec[] {
    return [overviewDashboard(ctx), apiDashboard(ctx), infrastructureDashboard(ctx), securityDashboard(ctx)];
}

function thresholds(panel: PanelSpec) {
    const steps =
        panel.redBelow !== undefined
            ? [
                  { value: null, color: "red" },
                  { value: panel.redBelow, color: "green" },
              ]
            : [{ value: null, color: "green" }, ...(panel.redAbove !== undefined ? [{ value: panel.redAbove, color: "red" }] : [])];
    return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps);
}

function panelBuilder(panel: PanelSpec, index: number) {
    const width = panel.kind === "stat" ? 4 : 12;
    const height = panel.kind === "stat" ? 4 : 8;
    const perRow = 24 / width;
    const builder = panel.kind === "stat" ? new stat.PanelBuilder() : new timeseries.PanelBuilder();
    builder
        .title(panel.title)
        .description(panel.description ?? panel.title)
        .unit(panel.unit)
        .datasource(datasource)
        .thresholds(thresholds(panel))
        .gridPos({ x: (index % perRow) * width, y: Math.floor(index / perRow) * height, w: width, h: height });
    panel.queries.forEach((query, i) => {
        builder.withTarget(
            new DataqueryBuilder()
                .expr(query.expr)
                .legendFormat(query.legend ?? "__auto")
                .refId(String.fromCharCode(65 + i))
                .datasource(datasource),
        );
    });
    return builder;
}

/** Grafana dashboard JSON for one spec. */
export function buildDashboard(spec: DashboardSpec): Dashboard {
    const names = dashboardNames[spec.key];
    const builder = new DashboardBuilder(names.title)
        .uid(names.uid)
        .description(spec.description)
        .tags([dashboardTag])
        .refresh("30s")
        .time({ from: "now-6h", to: "now" })
        .timezone("utc")
        .readonly()
        .withVariable(new DatasourceVariableBuilder("datasource").label("Data source").type("prometheus"))
        .link(new DashboardLinkBuilder("Task MCP").type(DashboardLinkType.Dashboards).tags([dashboardTag]).asDropdown(true).keepTime(true));
    // Stats first, in rows of six; time series below them, two per row.
    const stats = spec.panels.filter((p) => p.kind === "stat");
    const series = spec.panels.filter((p) => p.kind === "timeseries");
    stats.forEach((panel, i) => builder.withPanel(panelBuilder(panel, i)));
    const offset = Math.ceil(stats.length / 6) * 4;
    series.forEach((panel, i) => {
        const built = panelBuilder(panel, i);
        const pos = built.build().gridPos!;
        builder.withPanel(built.gridPos({ ...pos, y: pos.y + offset }));
    });
    return builder.build();
}

/** Every dashboard, keyed by uid. */
export function buildDashboards(ctx: MonitoringContext): Record<string, Dashboard> {
    return Object.fromEntries(dashboardSpecs(ctx).map((spec) => [dashboardNames[spec.key].uid, buildDashboard(spec)]));
}
