/** docs/operations/alerting/: the routing tree and the receivers of every deployed stack. */
import { code, generatedNote, responseTime } from "./markdown";
import { emergencyContacts } from "../../components/contract";
import { monitoringContext } from "../../components/monitoring/context";
import { buildRuleGroups } from "../../components/monitoring/rules";
import { totalOutage } from "../../components/monitoring/conventions";
import { AmRoute, buildAlertmanagerConfig, heartbeatInterval, placeholderSecrets } from "../../components/monitoring/routing";
import { exportedStacks, stackConfig, stackSecretKeys } from "../lib/stacks";

function durationOf(route: AmRoute, root: AmRoute, key: "group_wait" | "repeat_interval"): string {
    return route[key] ?? root[key] ?? "";
}

/** The alerts the prod rules mark as a total outage, for the escalation page. */
function totalOutageAlertNames(): string[] {
    return buildRuleGroups(monitoringContext(stackConfig("prod")))
        .flatMap((g) => g.rules)
        .filter((r) => r.labels?.[totalOutage.label] === totalOutage.value)
        .map((r) => `\`${r.alert}\``);
}

export function escalationPage(): string {
    const outageAlertsText = totalOutageAlertNames().join(", ");
    const sections = exportedStacks.map((stack) => {
        const config = stackConfig(stack);
        // Placeholder secrets so Slack receivers show; only their channel is printed.
        const am = buildAlertmanagerConfig(config.alerting, placeholderSecrets);
        const rows = am.route.routes!.map((r) => {
            const to = am.receivers.find((x) => x.name === r.receiver)!;
            const contacts = [...(to.email_configs ?? []), ...(to.slack_configs ?? [])].map(
                (c) => (c as { to?: string; channel?: string }).to ?? (c as { channel: string }).channel,
            );
            const tells = to.webhook_configs ? "the dead man's switch (`deadMansSwitchUrl`)" : contacts.map(code).join(", ");
            return `| ${r.receiver} | ${(r.matchers ?? []).map((m) => `\`${m}\``).join(" ")} | ${tells} | ${durationOf(r, am.route, "group_wait")} | ${durationOf(r, am.route, "repeat_interval")} | ${r.continue ? "yes" : "no"} | ${r.mute_time_intervals?.join(", ") ?? "-"} |`;
        });
        const windows = config.alerting.maintenanceWindows.map((w) => `- \`${w.name}\`: ${w.weekdays.join(", ")} ${w.startTime}-${w.endTime} ${w.location}`);
        return [
            `## Stack \`${stack}\``,
            "",
            "| route to | matches | tells | first told after | repeats every | continues | muted by |",
            "| --- | --- | --- | --- | --- | --- | --- |",
            ...rows,
            "",
            "Maintenance windows:",
            "",
            ...(windows.length > 0 ? windows : ["- none"]),
        ].join("\n");
    });
    const table = Object.values(emergencyContacts).map((c) => `| ${c.title} | ${code(c.email)} | ${responseTime(c.responseMinutes)} |`);
    return [
        "# Escalation paths",
        "",
        generatedNote("components/monitoring/routing.ts and the stack configs"),
        "",
        "The guide's emergency contacts (defaults; each stack may set its own):",
        "",
        "| role | contact | response time |",
        "| --- | --- | --- |",
        ...table,
        "",
        "A page is an e-mail to the role's contact below (point it at a paging service's e-mail",
        "integration). A critical alert pages on-call at once and again every on-call response time. The lead and",
        "the manager have their own routes on the same alerts, whose `group_wait` is their response",
        "time: an alert resolved or silenced (acknowledged) before then never reaches them. A stack",
        "with `alerting.escalateToManager: false` (dev) has no manager route: its pages stop at the",
        "lead. Security alerts go only to the security team and are never muted. `TaskMcpServiceDown`",
        "inhibits the alerts of the error-rate, latency, streaming and SLO runbooks; a critical alert",
        "inhibits the warning of the same runbook. The `Watchdog` always fires and goes first, alone",
        `and never muted, to the dead man's switch, every ${heartbeatInterval}: when it stops arriving there, the`,
        "switch's own service pages ([watchdog runbook](../runbooks/watchdog.md)). Every alert carries",
        "`environment` (the stack), which every notification's title shows.",
        "",
        `Maintenance windows mute every route but two: security, and on-call's page for a total outage`,
        `(alerts labelled \`${totalOutage.label}="${totalOutage.value}"\`: ${outageAlertsText}). Planned work that takes the whole`,
        "service down is an incident, so on-call is paged inside the window; its escalation and the ops",
        "channels wait for the window to end. The service-downtime runbook says why.",
        "",
        sections.join("\n\n"),
        "",
    ].join("\n");
}

export function notificationPage(): string {
    const sections = exportedStacks.map((stack) => {
        const config = stackConfig(stack);
        const { contacts, smtp, slackChannel } = config.alerting;
        const secrets = stackSecretKeys(stack);
        const slack = secrets.includes("slackWebhookUrl")
            ? code(slackChannel)
            : `none: no \`slackWebhookUrl\` in Pulumi.${stack}.yaml (${code(slackChannel)} once set)`;
        const receivers = (["ops", "oncall", "lead", "manager", "security"] as const).filter((r) => r !== "manager" || config.alerting.escalateToManager);
        return [
            `## Stack \`${stack}\``,
            "",
            "| receiver | e-mail | Slack |",
            "| --- | --- | --- |",
            ...receivers.map((r) => `| ${r} | ${code(contacts[r])} | ${r === "ops" || r === "security" ? slack : "-"} |`),
            `| deadmansswitch | - | - (a webhook: ${secrets.includes("deadMansSwitchUrl") ? "`deadMansSwitchUrl` is set" : `none: no \`deadMansSwitchUrl\` in Pulumi.${stack}.yaml yet, so nobody notices a silent pipeline`}) |`,
            "",
            ...(config.alerting.escalateToManager ? [] : ["Pages stop at the lead here: `alerting.escalateToManager` is false.", ""]),
            `SMTP: \`${smtp.smarthost}\`, from \`${smtp.from}\`${smtp.username ? `, user \`${smtp.username}\`` : ""}.`,
            "",
            `Alertmanager configuration: Secret \`${config.monitoring.alertmanagerSecretName}\` in namespace \`${config.monitoring.namespace}\`.`,
        ].join("\n");
    });
    return [
        "# Notification configuration",
        "",
        generatedNote("components/monitoring/routing.ts and the stack configs"),
        "",
        "Secrets are stack config secrets and never appear here or in plain text in state:",
        "",
        "- `slackWebhookUrl`: the Slack incoming webhook (without it, receivers have e-mail only)",
        "- `smtpPassword`: the SMTP password",
        `- \`deadMansSwitchUrl\`: where the \`Watchdog\` heartbeat goes every ${heartbeatInterval} (a dead man's switch`,
        "  service that pages when it stops; without it the heartbeat goes nowhere)",
        "",
        "Set one with `pulumi config set --secret <key> --stack <stack>` (it prompts for the value), in a",
        "pull request. Every notification's title starts with the alert's `environment` label (the stack).",
        "",
        sections.join("\n\n"),
        "",
    ].join("\n");
}
