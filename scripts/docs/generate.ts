/**
 * docs/operations/ generated from the same builders and contract the program uses, so a changed
 * threshold, contact or dashboard changes the docs in the same commit (the test command fails
 * when they differ). Pure: returns path -> content; scripts/docs.ts writes it.
 */
import { code, generatedNote } from "./markdown";
import * as fs from "fs";
import * as path from "path";
import { dashboards, emergencyContacts, guideCommands, Runbook, runbooks, sloPeriodDays, support, workload } from "../../components/contract";
import { serverCommands, ServerProfile } from "../../components/server-profiles";
import { StackConfig } from "../../components/config/schema";
import { monitoringContext } from "../../components/monitoring/context";
import { dashboardSpecs } from "../../components/monitoring/dashboards";
import { buildRuleGroups, ruleGroupSpecs } from "../../components/monitoring/rules";
import { routingOf } from "../../components/monitoring/conventions";
import { AmRoute, buildAlertmanagerConfig, heartbeatInterval, placeholderSecrets } from "../../components/monitoring/routing";
import { burnRateErrorRatio, burnRateWindows, keySlos } from "../../components/monitoring/slo";
import { durationSeconds } from "../../components/duration";
import { AlertSpec } from "../../components/monitoring/rule-spec";
import { totalOutage } from "../../components/monitoring/conventions";
import { exportedStacks, stackConfig, stackSecretKeys } from "../lib/stacks";
import { procedurePages } from "./procedures";
import { canFireText, guideVsServerPage } from "./server";
import { compatibilityRows } from "../../components/monitoring/compatibility";
import { accessSection, acknowledgeCommand, emergencySection, escalationLines, fence } from "./oncall";



const title = (runbook: Runbook) => runbook.charAt(0).toUpperCase() + runbook.slice(1).replace(/-/g, " ");
/** The guide's kubectl commands and the curl commands that work against the deployed server. */
function commandsBlock(server: ServerProfile): string {
    return ["```bash", ...Object.values(guideCommands), ...Object.values(serverCommands(server)), "```"].join("\n");
}

function alertSection(alert: AlertSpec, canFire: string): string {
    return [
        `### \`${alert.alert}\``,
        "",
        `- **Meaning**: ${alert.summary}. ${alert.description}`,
        `- **Can it fire?** ${canFire}`,
        `- **Severity** \`${alert.severity}\`${alert.for ? `, after \`${alert.for}\`` : ", at once"}. **Who is told:**`,
        ...escalationLines(alert),
        ...(routingOf(alert) === "deadmansswitch"
            ? ["- **Acknowledge** in the dead man's switch's own service. Never silence `Watchdog`: that stops the heartbeat, and the switch pages.", ""]
            : ["- **Acknowledge** (silence it for an hour while you work):", "", ...fence([acknowledgeCommand(alert.alert)]), ""]),
        "```promql",
        alert.expr,
        "```",
    ].join("\n");
}

export function runbookPage(runbook: Runbook, config: StackConfig, handWritten: string): string {
    const ctx = monitoringContext(config);
    const alerts = ruleGroupSpecs(ctx).flatMap((g) => g.alerts).filter((a) => a.runbook === runbook);
    const rows = compatibilityRows(ctx).filter((r) => r.kind === "alert");
    const canFire = (a: AlertSpec) => canFireText(rows.find((r) => r.name === a.alert)!, config.server.name);
    const specs = dashboardSpecs(ctx);
    const boards = [...new Set(alerts.map((a) => a.dashboard).filter((d) => d !== undefined))].map((key) => {
        const spec = specs.find((s) => s.key === key)!;
        return `- \`${dashboards[key].uid}\` (${dashboards[key].title}): ${spec.panels.map((p) => `"${p.title}"`).join(", ")}`;
    });
    return [
        `# Runbook: ${title(runbook)}`,
        "",
        generatedNote(`scripts/docs/runbooks/${runbook}.md and the rule builders`),
        "",
        "Paged? [Get access](#get-access), acknowledge your alert (its section under",
        "[Alerts](#alerts-that-link-here-prod)), then work down Diagnosis. Changing what runs: [one path](#emergency-changes-one-path).",
        "",
        ...accessSection(config),
        "",
        handWritten.trim(),
        "",
        "## Alerts that link here (prod)",
        "",
        alerts.map((a) => alertSection(a, canFire(a))).join("\n\n"),
        "",
        ...emergencySection(),
        "",
        ...(boards.length > 0 ? ["## Dashboards to open", "", ...boards, ""] : []),
        "## Quick reference",
        "",
        commandsBlock(config.server),
        "",
    ].join("\n");
}

function durationOf(route: AmRoute, root: AmRoute, key: "group_wait" | "repeat_interval"): string {
    return route[key] ?? root[key] ?? "";
}

/** The alerts the prod rules mark as a total outage, for the escalation page. */
function outageAlerts(): string[] {
    return buildRuleGroups(monitoringContext(stackConfig("prod")))
        .flatMap((g) => g.rules)
        .filter((r) => r.labels?.[totalOutage.label] === totalOutage.value)
        .map((r) => `\`${r.alert}\``);
}

export function escalationPage(): string {
    const outageAlertsText = outageAlerts().join(", ");
    const sections = exportedStacks.map((stack) => {
        const config = stackConfig(stack);
        // Placeholder secrets so Slack receivers show; only their channel is printed.
        const am = buildAlertmanagerConfig(config.alerting, placeholderSecrets);
        const rows = am.route.routes!.map((r) => {
            const to = am.receivers.find((x) => x.name === r.receiver)!;
            const contacts = [...(to.email_configs ?? []), ...(to.slack_configs ?? [])].map((c) => (c as { to?: string; channel?: string }).to ?? (c as { channel: string }).channel);
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
    const table = Object.values(emergencyContacts).map((c) => `| ${c.title} | ${code(c.email)} | ${c.responseMinutes >= 60 ? `${c.responseMinutes / 60} hour` : `${c.responseMinutes} minutes`} |`);
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
        const slack = secrets.includes("slackWebhookUrl") ? code(slackChannel) : `none: no \`slackWebhookUrl\` in Pulumi.${stack}.yaml (${code(slackChannel)} once set)`;
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

export function sloPage(config: StackConfig): string {
    const ctx = monitoringContext(config);
    const slos = keySlos(ctx);
    const sourceName = { app: "the server", proxy: "the proxy in the pod", probe: "the probe through the Service" } as const;
    const probeSeconds = durationSeconds(ctx.probeInterval);
    const [fast] = burnRateWindows;
    const health = slos.find((s) => s.row === "healthAvailability")!;
    const healthObjective = ctx.slo.healthAvailabilityPercent;
    const probesPerHour = 3600 / probeSeconds;
    // Failed probes the fast pair's long window needs before it pages (the short window then holds them too).
    const pagingProbes = Math.ceil(burnRateErrorRatio(fast.factor, healthObjective) * probesPerHour - 1e-9);
    return [
        "# Service level objectives",
        "",
        generatedNote("components/monitoring/slo.ts (`keySlos`) and Pulumi.prod.yaml"),
        "",
        `Targets of the prod stack; error budgets over ${sloPeriodDays} days. Each SLI is measured where it can be:`,
        config.server.requestSource === "proxy"
            ? `the server deployed by prod (profile \`${config.server.name}\`) emits no request metrics of its own, so requests are measured by the proxy in front of it, and health from outside, through the Service.`
            : `requests by the server deployed by prod (profile \`${config.server.name}\`) itself, and health from outside, through the Service.`,
        "",
        "| SLO | target | error budget | measured by | alerts |",
        "| --- | --- | --- | --- | --- |",
        ...slos.map((s) => `| ${s.title} | ${s.target} | ${s.budgetMinutes === undefined ? "-" : `${s.budgetMinutes} minutes`} | ${sourceName[s.source]} | ${s.group.alerts.map((a) => code(a.alert)).join(", ")} |`),
        "",
        "## The SLIs",
        "",
        ...slos.map((s) => `- **${s.title}**: ${s.sli}.`),
        "",
        ...(config.server.requestSource === "proxy"
            ? [
                  "## Judging p95 < 200 ms without a 0.2 s bucket",
                  "",
                  "The proxy's histograms have Prometheus' default buckets (…, 0.1, 0.25, 0.5, …): no bound at",
                  "0.2 s. `histogram_quantile` interpolates linearly inside the bucket that holds the 95th",
                  "percentile, so a p95 between 0.1 and 0.25 s is an estimate that assumes requests spread",
                  "evenly across that bucket. The cost: a true p95 anywhere in (0.1 s, 0.25 s] can be reported",
                  "on either side of 0.2 s, so the warning may come early or late by up to that bucket's width;",
                  "below 0.1 s or above 0.25 s it is exact about which side of 0.2 s it is. p99 < 500 ms has a",
                  "bucket bound of its own (0.5) and is exact about the threshold. A bucket of our own would need",
                  "a Caddy build with other buckets (Caddy hard-codes them); the estimate was judged good enough.",
                  "",
              ]
            : []),
        "## Probes are samples",
        "",
        `The probe runs every ${ctx.probeInterval}: ${probesPerHour} probes an hour. One lost probe is`,
        `${Number(((1 / probesPerHour) * 100).toFixed(2))} % of the hour, under the ${Number((burnRateErrorRatio(fast.factor, healthObjective) * 100).toPrecision(3))} % that a`,
        `${fast.factor}x burn of a ${healthObjective} % objective needs in the ${fast.longWindow} window, so one lost probe never`,
        `pages (nor do ${pagingProbes - 1}). The smallest outage that pages is ${pagingProbes} failed probes within the`,
        `hour while the ${fast.shortWindow} window still holds one: ${pagingProbes} in a row is ${pagingProbes * probeSeconds} s with no Ready pod`,
        `behind the Service. At a 30 s interval a single lost probe would be ${Number(((30 / 3600) * 100).toFixed(2))} % of the hour and`,
        `would page. The promtool suite \`slo-burn-page\` proves each number (one, two and three lost`,
        `probes). If no probe result arrives for 10 minutes, \`${health.group.alerts.find((a) => a.alert.endsWith("ProbeMissing"))!.alert}\` warns that the SLO is blind.`,
        "",
        "## Burn-rate windows of the availability SLOs",
        "",
        "| alert | severity | long window | short window | burn rate | budget spent when it fires |",
        "| --- | --- | --- | --- | --- | --- |",
        ...burnRateWindows.map((w) => {
            const hours = durationSeconds(w.longWindow) / 3600;
            const spent = ((w.factor * hours) / (sloPeriodDays * 24)) * 100;
            return `| ${w.severity === "critical" ? "FastBurn (page)" : "SlowBurn (ticket)"} | ${w.severity} | ${w.longWindow} | ${w.shortWindow} | ${w.factor}x | ${Number(spent.toFixed(1))}% |`;
        }),
        "",
        "Measured times to page and ticket: [alerting benchmark](../alerting-benchmark.md).",
        "",
    ].join("\n");
}

export function operationsReadme(config: StackConfig): string {
    const contacts = (Object.keys(emergencyContacts) as Array<keyof typeof emergencyContacts>).map((role) => {
        const c = emergencyContacts[role];
        const email = role === "security" ? config.alerting.contacts.security : config.alerting.contacts[role];
        return `| ${c.title} | ${code(email)} | ${c.responseMinutes >= 60 ? `${c.responseMinutes / 60} hour` : `${c.responseMinutes} minutes`} |`;
    });
    return [
        "# Operations Documentation - Task MCP HTTP Server",
        "",
        generatedNote("components/contract.ts, the builders and Pulumi.prod.yaml"),
        "",
        "Operational procedures and runbooks for the Task MCP HTTP server. Every name on this page",
        "comes from the code that deploys the service, so the page cannot drift from it.",
        "",
        "## Documentation Structure",
        "",
        "```text",
        "docs/operations/",
        "├── README.md                    # This file",
        "├── slos.md                      # SLO table, budgets and burn-rate windows",
        "├── guide-vs-server.md           # What the deployed server really does differently",
        "├── runbooks/                    # Incident response runbooks",
        ...runbooks.map((r, i) => `│   ${i === runbooks.length - 1 ? "└" : "├"}── ${r}.md`),
        "└── alerting/",
        "    ├── escalation-paths.md      # Routing tree and escalation timings per stack",
        "    └── notification-config.md   # Receivers and channels per stack",
        "```",
        "",
        "## Quick Reference",
        "",
        "### Critical Commands",
        "",
        commandsBlock(config.server),
        "",
        "### Emergency Contacts",
        "",
        "| Role | Contact | Response Time |",
        "| --- | --- | --- |",
        ...contacts,
        "",
        "Escalation in detail: [escalation paths](alerting/escalation-paths.md).",
        "",
        `The deployed server (profile \`${config.server.name}\`) differs from the guide's contract: [guide vs server](guide-vs-server.md).`,
        "",
        "### Monitoring Dashboards",
        "",
        ...Object.entries({ overview: "Overview", api: "API Performance", infrastructure: "Infrastructure", security: "Security" }).map(
            ([key, label]) => `- **${label}**: Grafana Dashboard \`${dashboards[key as keyof typeof dashboards].uid}\``,
        ),
        "",
        "### Key SLOs",
        "",
        "| Metric | Target | Error Budget |",
        "| --- | --- | --- |",
        ...keySlos(monitoringContext(config)).map((s) => `| ${s.title} | ${s.target} | ${s.budgetMinutes === undefined ? "-" : `${s.budgetMinutes} minutes/month`} |`),
        "",
        "Details: [SLOs](slos.md).",
        "",
        "### Runbooks",
        "",
        ...runbooks.map((r) => `- [${title(r)}](runbooks/${r}.md)`),
        "",
        "### Maintenance, alerting and procedures",
        "",
        ...Object.keys(procedurePages()).map((file) => `- [${file.replace(/\.md$/, "")}](${file})`),
        "- [alerting/escalation-paths](alerting/escalation-paths.md), [alerting/notification-config](alerting/notification-config.md)",
        "",
        "## Support",
        "",
        `- **Slack**: ${code(config.alerting.slackChannel)}`,
        `- **Email**: ${code(config.alerting.contacts.ops)}`,
        `- **Service**: \`${workload.name}\` in namespace \`${workload.namespace}\`, port ${workload.port}`,
        `- **Defaults of the guide**: ${code(support.slackChannel)}, ${code(support.email)}`,
        "",
    ].join("\n");
}

const handWrittenDir = path.join(__dirname, "runbooks");

/** Every generated file, relative to docs/operations/. */
export function generateOperationsDocs(): Record<string, string> {
    const prod = stackConfig("prod");
    const files: Record<string, string> = {
        "README.md": operationsReadme(prod),
        "slos.md": sloPage(prod),
        "alerting/escalation-paths.md": escalationPage(),
        "alerting/notification-config.md": notificationPage(),
        "guide-vs-server.md": guideVsServerPage(prod),
        ...procedurePages(),
    };
    for (const runbook of runbooks) {
        files[`runbooks/${runbook}.md`] = runbookPage(runbook, prod, fs.readFileSync(path.join(handWrittenDir, `${runbook}.md`), "utf8"));
    }
    return files;
}

/** docs/config-errors.md: the catalogue of bad stack configs and their exact messages. */
export function configErrorsPage(cases: ReadonlyArray<{ name: string; patch: Record<string, unknown>; message: string }>): string {
    return [
        "# Bad stack config: the catalogue",
        "",
        generatedNote("scripts/lib/bad-config.ts (each case is a unit test)"),
        "",
        "Each row is a change to `Pulumi.dev.yaml` and the exact message `pulumi preview` stops with,",
        "before any resource is registered. `(removed)` means the key is deleted.",
        "",
        ...cases.flatMap((c, i) => [
            `## ${i + 1}. ${c.name}`,
            "",
            "```yaml",
            ...Object.entries(c.patch).map(([key, value]) => `task-mcp:${key}: ${value === undefined ? "(removed)" : JSON.stringify(value)}`),
            "```",
            "",
            "```text",
            c.message,
            "```",
            "",
        ]),
    ].join("\n");
}
