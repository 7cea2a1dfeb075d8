/**
 * Rules as the builders declare them (`AlertSpec`, `RuleGroupSpec`), and the Prometheus rule-file
 * format rules.ts renders them to (`RuleFileGroup`: what promtool and the PrometheusRule CRD read).
 */
import { DashboardKey, Runbook } from "../contract";
import { SignalKey } from "../server-profiles";
import { Routing, Severity } from "./conventions";

/** An alert as the builders declare it; `buildRuleGroups` (rules.ts) turns it into a Prometheus rule. */
export interface AlertSpec {
    readonly alert: string;
    readonly expr: string;
    readonly for?: string;
    readonly severity: Severity;
    /** Only where the escalation table's rule does not decide it (the Watchdog). @default `routingOf` (conventions.ts) */
    readonly routing?: Routing;
    readonly runbook: Runbook;
    readonly dashboard?: DashboardKey;
    readonly summary: string;
    readonly description: string;
    readonly labels?: Record<string, string>;
    /** A total outage: pages on-call even inside a maintenance window (see `totalOutage` in conventions.ts). */
    readonly totalOutage?: boolean;
    /** Server signals it reads: where the server emits none of them it is not rendered (it could never fire). */
    readonly needs?: readonly SignalKey[];
}

export interface RecordingRule {
    readonly record: string;
    readonly expr: string;
    readonly labels?: Record<string, string>;
}

export interface RuleGroupSpec {
    readonly name: string;
    /** Server signals every rule of the group reads: where one is missing the group is not rendered. */
    readonly needs?: readonly SignalKey[];
    readonly recordingRules?: readonly RecordingRule[];
    readonly alerts: readonly AlertSpec[];
}

/** One rule, recording or alerting, in the Prometheus rule-file format (what promtool and the PrometheusRule CRD read). */
export interface RuleFileEntry {
    record?: string;
    alert?: string;
    expr: string;
    for?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
}
/** A group of rules in that format. */
export interface RuleFileGroup {
    name: string;
    rules: RuleFileEntry[];
}
