import { DashboardKey } from "../../contract";
import { ResponseSignal } from "../../server-profiles";

export interface QuerySpec {
    readonly expr: string;
    readonly legend?: string;
    /** Signals the query needs beyond the metric names in it (a status code, say). */
    readonly needs?: readonly ResponseSignal[];
}

/** A panel as plain data: what it shows and how, before it becomes Grafana JSON. */
export interface PanelSpec {
    readonly title: string;
    readonly kind: "timeseries" | "stat";
    /** Grafana unit id, e.g. "reqps", "percentunit", "s", "bytes". */
    readonly unit: string;
    readonly queries: readonly QuerySpec[];
    readonly description?: string;
    /** Stat panels: value from which the panel turns red. */
    readonly redAbove?: number;
    /** Stat panels: value below which the panel turns red. */
    readonly redBelow?: number;
}

export interface DashboardSpec {
    readonly key: DashboardKey;
    readonly description: string;
    readonly panels: readonly PanelSpec[];
}
