/**
 * All rule groups, and the one pass that adds what every alert must carry (severity, routing,
 * runbook, namespace, runbook_url, dashboard_url), so no alert can forget one.
 */
import { dashboards, runbookPath, runbooks, workload } from "../contract";
import { emits, SignalKey } from "../server-profiles";
import { cpuIssuesGroup, memoryIssuesGroup, securityIncidentsGroup, serviceDowntimeGroup, streamingIssuesGroup, watchdogGroup } from "./alerts";
import { sloGroups } from "./slo";
import { AlertSpec, RuleFileEntry, RuleFileGroup, RuleGroupSpec } from "./rule-spec";
import { MonitoringContext } from "./context";
import { alertLabels, routingOf, totalOutage } from "./conventions";

/** Every rule group and alert the program knows, whether or not this server can feed it. */
export function ruleGroupSpecs(ctx: MonitoringContext): RuleGroupSpec[] {
    return [
        ...sloGroups(ctx),
        serviceDowntimeGroup(ctx),
        memoryIssuesGroup(ctx),
        cpuIssuesGroup(ctx),
        streamingIssuesGroup(ctx),
        securityIncidentsGroup(ctx),
        watchdogGroup(),
    ];
}

export function runbookUrl(ctx: MonitoringContext, alert: AlertSpec): string {
    return `${ctx.runbookBaseUrl}/${runbookPath(alert.runbook)}`;
}

function toPrometheusAlert(ctx: MonitoringContext, alert: AlertSpec): RuleFileEntry {
    const annotations: Record<string, string> = {
        summary: alert.summary,
        description: alert.description,
        runbook_url: runbookUrl(ctx, alert),
    };
    if (alert.dashboard) annotations.dashboard_url = `${ctx.grafanaBaseUrl}/d/${dashboards[alert.dashboard].uid}`;
    return {
        alert: alert.alert,
        expr: alert.expr,
        ...(alert.for ? { for: alert.for } : {}),
        labels: {
            ...alert.labels,
            ...(alert.totalOutage ? { [totalOutage.label]: totalOutage.value } : {}),
            [alertLabels.severity]: alert.severity,
            [alertLabels.routing]: routingOf(alert),
            [alertLabels.runbook]: alert.runbook,
            [alertLabels.environment]: ctx.environment,
            [alertLabels.namespace]: workload.namespace,
        },
        annotations,
    };
}

/** Fails loudly when the rule set breaks the contract: duplicate names, a runbook without an alert. */
function checkCoverage(groups: RuleGroupSpec[]): void {
    const alerts = groups.flatMap((g) => g.alerts);
    const seen = new Set<string>();
    for (const a of alerts) {
        if (seen.has(a.alert)) throw new Error(`alert ${a.alert} is declared twice`);
        seen.add(a.alert);
    }
    const uncovered = runbooks.filter((rb) => !alerts.some((a) => a.runbook === rb));
    if (uncovered.length > 0) throw new Error(`runbooks without an alert: ${uncovered.join(", ")}`);
}

/** Whether this server emits every signal in `needs`: a rule that reads one it lacks could never fire. */
const fed = (ctx: MonitoringContext, needs: readonly SignalKey[] = []) => needs.every((key) => emits(ctx.server, key));

/** Whether `alert` of `group` is rendered for this server (its group's and its own `needs` met). */
export function isRendered(ctx: MonitoringContext, group: RuleGroupSpec, alert: AlertSpec): boolean {
    return fed(ctx, group.needs) && fed(ctx, alert.needs);
}

/**
 * What is rendered: the groups and alerts whose server signals the profile has. The rest could
 * never fire; docs/server-compatibility.md lists each with the reason and what covers it.
 */
export function renderedGroupSpecs(ctx: MonitoringContext): RuleGroupSpec[] {
    return ruleGroupSpecs(ctx)
        .filter((g) => fed(ctx, g.needs))
        .map((g) => ({ ...g, alerts: g.alerts.filter((a) => isRendered(ctx, g, a)) }))
        .filter((g) => g.alerts.length > 0 || (g.recordingRules ?? []).length > 0);
}

/** The rule groups in Prometheus' rule-file format. */
export function buildRuleGroups(ctx: MonitoringContext): RuleFileGroup[] {
    checkCoverage(ruleGroupSpecs(ctx));
    return renderedGroupSpecs(ctx).map((group) => ({
        name: group.name,
        rules: [
            ...(group.recordingRules ?? []).map((r) => ({ record: r.record, expr: r.expr, ...(r.labels ? { labels: { ...r.labels } } : {}) })),
            ...group.alerts.map((a) => toPrometheusAlert(ctx, a)),
        ],
    }));
}
