/** docs/operations/README.md: the guide's own page, every name from the code that deploys the service. */
import { code, generatedNote, responseTime, runbookTitle } from "./markdown";
import { dashboards, emergencyContacts, runbooks, support, workload } from "../../components/contract";
import { StackConfig } from "../../components/config/schema";
import { monitoringContext } from "../../components/monitoring/context";
import { keySlos } from "../../components/monitoring/slo";
import { procedurePages } from "./procedures";
import { commandsBlock } from "./runbook-page";

export function operationsReadme(config: StackConfig): string {
    const contacts = (Object.keys(emergencyContacts) as Array<keyof typeof emergencyContacts>).map((role) => {
        const c = emergencyContacts[role];
        const email = role === "security" ? config.alerting.contacts.security : config.alerting.contacts[role];
        return `| ${c.title} | ${code(email)} | ${responseTime(c.responseMinutes)} |`;
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
        // The guide lists them by name alone: the title without its "Task MCP / " folder.
        ...Object.values(dashboards).map((d) => `- **${d.title.replace(/^.* \/ /, "")}**: Grafana Dashboard \`${d.uid}\``),
        "",
        "### Key SLOs",
        "",
        "| Metric | Target | Error Budget |",
        "| --- | --- | --- |",
        ...keySlos(monitoringContext(config)).map(
            (s) => `| ${s.title} | ${s.target} | ${s.budgetMinutes === undefined ? "-" : `${s.budgetMinutes} minutes/month`} |`,
        ),
        "",
        "Details: [SLOs](slos.md).",
        "",
        "### Runbooks",
        "",
        ...runbooks.map((r) => `- [${runbookTitle(r)}](runbooks/${r}.md)`),
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
