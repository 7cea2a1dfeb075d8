/** docs/operations/runbooks/<runbook>.md: the hand-written body between generated access, alerts, emergency path and reference. */
import { generatedNote, runbookTitle } from "./markdown";
import { dashboards, guideCommands, Runbook } from "../../components/contract";
import { serverCommands, ServerProfile } from "../../components/server-profiles";
import { StackConfig } from "../../components/config/schema";
import { monitoringContext } from "../../components/monitoring/context";
import { dashboardSpecs } from "../../components/monitoring/dashboards";
import { ruleGroupSpecs } from "../../components/monitoring/rules";
import { routingOf } from "../../components/monitoring/conventions";
import { AlertSpec } from "../../components/monitoring/rule-spec";
import { compatibilityRows } from "../../components/monitoring/compatibility";
import { canFireText } from "./server";
import { accessSection, acknowledgeCommand, emergencySection, escalationLines, fence } from "./oncall";

/** The guide's kubectl commands and the curl commands that work against the deployed server. */
export function commandsBlock(server: ServerProfile): string {
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
    const alerts = ruleGroupSpecs(ctx)
        .flatMap((g) => g.alerts)
        .filter((a) => a.runbook === runbook);
    const rows = compatibilityRows(ctx).filter((r) => r.kind === "alert");
    const canFire = (a: AlertSpec) =>
        canFireText(
            rows.find((r) => r.name === a.alert)!,
            config.server.name,
        );
    const specs = dashboardSpecs(ctx);
    const boards = [...new Set(alerts.map((a) => a.dashboard).filter((d) => d !== undefined))].map((key) => {
        const spec = specs.find((s) => s.key === key)!;
        return `- \`${dashboards[key].uid}\` (${dashboards[key].title}): ${spec.panels.map((p) => `"${p.title}"`).join(", ")}`;
    });
    return [
        `# Runbook: ${runbookTitle(runbook)}`,
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
