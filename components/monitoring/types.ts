import { DashboardKey, Runbook } from "../contract";
import { ProxyConfig, ResolvedServerProfile, SloConfig, StackConfig } from "../config/schema";
import { SignalKey } from "../server-profiles";

/** `none`: the Watchdog, which is not a problem but proof that alerts flow (kube-prometheus' convention). */
export type Severity = "critical" | "warning" | "none";

/**
 * Who is told first. `oncall` pages (and escalates); `ops` goes to Slack and the ops mailbox;
 * `security` goes to the security team; `deadmansswitch` is the Watchdog's heartbeat to an
 * outside service that pages when it stops arriving.
 */
export type Routing = "oncall" | "ops" | "security" | "deadmansswitch";

/**
 * The label that marks an alert as a total outage (the service down, or its availability budget
 * burning fast). Maintenance windows never mute it: planned work that takes the whole service
 * down is an incident, and on-call must hear of it inside the window.
 */
export const totalOutage = { label: "outage", value: "total" } as const;

/** An alert as the builders declare it; `buildRuleGroups` (rules.ts) turns it into a Prometheus rule. */
export interface AlertSpec {
    readonly alert: string;
    readonly expr: string;
    readonly for?: string;
    readonly severity: Severity;
    /** @default "oncall" for critical, "ops" for warning */
    readonly routing?: Routing;
    readonly runbook: Runbook;
    readonly dashboard?: DashboardKey;
    readonly summary: string;
    readonly description: string;
    readonly labels?: Record<string, string>;
    /** A total outage: pages on-call even inside a maintenance window (see `totalOutage`). */
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

/** Everything a rule or dashboard builder may read: plain data derived from the stack config. */
export interface MonitoringContext {
    /** The deployed server's probes, metrics endpoints, names and units. */
    readonly server: ResolvedServerProfile;
    /** The proxy in the pod (used where `server.requestSource` is "proxy"). */
    readonly proxy: ProxyConfig;
    readonly slo: SloConfig;
    /** Memory and CPU limits of one pod, so resource alerts follow the configured limits. */
    readonly limits: { readonly memoryBytes: number; readonly cpuCores: number };
    readonly security: StackConfig["alerting"]["security"];
    readonly runbookBaseUrl: string;
    readonly grafanaBaseUrl: string;
    /** The Probe's interval (the blackbox exporter's readiness probe through the Service). */
    readonly probeInterval: string;
    /** The `environment` label on every alert (the stack's name unless configured). */
    readonly environment: string;
}
