/**
 * The alert conventions: the labels every alert carries, the escalation table's routing rule,
 * and typed Alertmanager matchers on those labels. rules.ts writes the labels, routing.ts and
 * alertmanager-config.ts match on them, the docs and tests read them: a label name is spelt here
 * and nowhere else, and a matcher is rendered to Alertmanager's text form in one place.
 */
import { Runbook } from "../contract";

/** The label names. `alertname` is Prometheus' own; the rest are set by rules.ts on every alert. */
export const alertLabels = {
    alertname: "alertname",
    severity: "severity",
    /** Who is told first (`Routing`). */
    routing: "routing",
    runbook: "runbook",
    /** The operator's AlertmanagerConfig matches on it; absent() results carry none, so rules.ts sets it. */
    namespace: "namespace",
    /** Which stack's alert it is: in every notification's title, and its own group. */
    environment: "environment",
    /** The SLO an alert or recorded series belongs to (`KeySlo`'s id). */
    slo: "slo",
    /** A burn-rate alert's speed: `fast` pages, `slow` tickets. */
    burn: "burn",
    /** `outage="total"` (`totalOutage`). */
    outage: "outage",
} as const;
export type AlertLabel = (typeof alertLabels)[keyof typeof alertLabels];

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
export const totalOutage = { label: alertLabels.outage, value: "total" } as const;

/** The always-firing alert that proves the pipeline works (kube-prometheus' name). */
export const watchdogAlert = "Watchdog";

/** The alerts that say the whole service is down; while one fires, routing.ts mutes the outage's symptoms. */
export const outageAlerts = { serviceDown: "TaskMcpServiceDown", noReadyPods: "TaskMcpNoReadyPods" } as const;

/** What the routing rule reads of an alert. */
export interface Routable {
    readonly severity: Severity;
    readonly runbook: Runbook;
    /** Set only where the rule below does not decide it (the Watchdog). */
    readonly routing?: Routing;
}

/** The escalation table's rule: security alerts to the security team, criticals page on-call, the rest to ops. */
export function routingOf(alert: Routable): Routing {
    return alert.routing ?? (alert.runbook === "security-incidents" ? "security" : alert.severity === "critical" ? "oncall" : "ops");
}

export type MatchType = "=" | "!=" | "=~" | "!~";

/** An Alertmanager matcher, in the shape the AlertmanagerConfig CRD takes. */
export interface Matcher {
    readonly name: AlertLabel;
    readonly matchType: MatchType;
    readonly value: string;
}

export const equals = (name: AlertLabel, value: string): Matcher => ({ name, matchType: "=", value });
export const notEquals = (name: AlertLabel, value: string): Matcher => ({ name, matchType: "!=", value });
/** Any of `values`, as one anchored regex (`a|b`); the values are our own names, free of regex syntax. */
export const oneOf = (name: AlertLabel, values: readonly string[]): Matcher => ({ name, matchType: "=~", value: values.join("|") });

/** Alertmanager's text form, `name="value"`: the value quoted and escaped as its parser reads it. */
export function renderMatcher(m: Matcher): string {
    return `${m.name}${m.matchType}${JSON.stringify(m.value)}`;
}

/** Whether an alert with `labels` satisfies every matcher, as Alertmanager decides it (an absent label is ""; regexes are anchored). */
export function matchesAll(matchers: readonly Matcher[], labels: Readonly<Record<string, string>>): boolean {
    return matchers.every((m) => {
        const actual = labels[m.name] ?? "";
        const equal = m.matchType.includes("~") ? new RegExp(`^(?:${m.value})$`).test(actual) : actual === m.value;
        return m.matchType.startsWith("!") ? !equal : equal;
    });
}
