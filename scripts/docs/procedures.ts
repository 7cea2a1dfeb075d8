/**
 * The guide's maintenance, alerting and procedures pages: a hand-written part for judgement
 * (scripts/docs/pages/<path>) and generated parts for every fact the code holds, per stack where
 * the stacks differ, with commands that use the contract's names.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { emergencyContacts, guideCommands, Runbook, workload } from "../../components/contract";
import { secretKeys, StackConfig } from "../../components/config/schema";
import { cpuCores, memoryBytes } from "../../components/config/quantity";
import { monitoringContext } from "../../components/monitoring/context";
import { buildAlertmanagerConfig, placeholderSecrets } from "../../components/monitoring/routing";
import { compatibilityRows } from "../../components/monitoring/compatibility";
import { alertLabels, oneOf, outageAlerts, renderMatcher } from "../../components/monitoring/conventions";
import { ruleGroupSpecs } from "../../components/monitoring/rules";
import { deploymentSpec, hpaSpec, pdbSpec, workloadSettings } from "../../components/workload";
import { exportedStacks, repoRoot, stackConfig } from "../lib/stacks";
import { code, generatedNote, responseTime } from "./markdown";
import { accessSection, acknowledgeCommand, amUrl, chooseStack, emergencySection, fence, policyFlag, whoIsTold } from "./oncall";
import { canFireText } from "./server";

const ns = workload.namespace;

/** The first command of each runbook's diagnosis, for the alert-response table. */
const topPods = `kubectl top pods -n ${ns} -l ${workload.appLabel}=${workload.name}`;
const firstCommand: Record<Runbook, string> = {
    "service-downtime": guideCommands.status,
    "high-error-rate": guideCommands.logs,
    "performance-degradation": topPods,
    "memory-issues": topPods,
    "cpu-issues": `kubectl get hpa ${workload.name} -n ${ns}`,
    "streaming-issues": guideCommands.logs,
    "security-incidents": guideCommands.logs,
    "slo-violations": guideCommands.status,
    watchdog: `kubectl get prometheus,alertmanager -n ${stackConfig("prod").monitoring.namespace}`,
};

/** Where each page's commands are run for real, on the local cluster or against live Alertmanager. */
const provenBy: Record<string, string[]> = {
    "maintenance/scheduled-maintenance.md": [
        "`test/live/routing.test.ts`: the amtool silence above, created, listed and expired; windows muting all but security and a total outage's page",
    ],
    "maintenance/emergency-maintenance.md": [
        "`test/engine/token.test.ts`: `authTokenRotation` replacing the generated token and rolling the pods",
        "`test/cluster/procedures.test.ts`: a config change applied and rolled back",
    ],
    "maintenance/system-updates.md": ["`test/cluster/procedures.test.ts`: an image bump previewed as one field and rolled out never below the desired pods"],
    "maintenance/backup-recovery.md": [
        "`test/cluster/procedures.test.ts`: the state exported, the namespace deleted, the export imported into a fresh backend, refresh finding the loss, up restoring the same objects",
    ],
    "alerting/alert-response.md": [
        "`test/tools/amtool.test.ts`: every alert routed to these receivers; `test/live/routing.test.ts`: escalation and acknowledgement",
    ],
    "procedures/deployment.md": [
        "`test/cluster/procedures.test.ts`: a config change previewed as exactly its field, applied, and rolled back by reverting config",
        "`test/tools/actionlint.test.ts`: the workflows' shape",
    ],
    "procedures/scaling.md": [
        "`test/cluster/procedures.test.ts`: the HPA applied with the stack's bounds",
        "`test/cluster/cluster.test.ts`: `kubectl scale` and `rollout restart` not undone by the next preview",
    ],
    "procedures/disaster-recovery.md": [
        "`test/cluster/procedures.test.ts`: a restore from the export into a fresh backend",
        "`test/cluster/cluster.test.ts`: an update killed halfway, recovered",
    ],
    "procedures/capacity-planning.md": [
        "`test/unit/service.test.ts` and `test/engine/checkers.test.ts`: the requests and limits rendered, under limits the policies and kube-score accept",
    ],
};

function page(file: string, title: string, sources: string, generated: string[]): string {
    const handWritten = fs.readFileSync(path.join(__dirname, "pages", file), "utf8").trimEnd();
    const proof = ["## Exercised by", "", ...(provenBy[file] ?? []).map((p) => `- ${p}`)];
    return [`# ${title}`, "", generatedNote(`scripts/docs/pages/${file}, ${sources}`), "", handWritten, "", ...generated, "", ...proof, ""].join("\n");
}

const perStack = (render: (config: StackConfig, stack: string) => string[]) =>
    exportedStacks.flatMap((stack) => [`### Stack \`${stack}\``, "", ...render(stackConfig(stack), stack), ""]);

function scheduledMaintenance(): string {
    return page("maintenance/scheduled-maintenance.md", "Scheduled maintenance", "the stack configs and components/monitoring/routing.ts", [
        "## Windows",
        "",
        ...perStack((config) => {
            const routes = buildAlertmanagerConfig(config.alerting, placeholderSecrets).route.routes!;
            const muted = routes.filter((r) => r.mute_time_intervals).map((r) => code(r.receiver));
            const windows = config.alerting.maintenanceWindows.map(
                (w) => `- ${code(w.name)}: ${w.weekdays.join(", ")} ${w.startTime}-${w.endTime} ${w.location}`,
            );
            return windows.length === 0
                ? ["No window: every route notifies at all times."]
                : [...windows, "", `Muted routes: ${[...new Set(muted)].join(", ")}; never muted: security, and on-call's page for a total outage.`];
        }),
        ...accessSection(stackConfig("prod"), "Commands"),
        "",
        "A silence for the work (it expires by itself; amtool prints its id), listed, and expired when the",
        "work is done:",
        "",
        ...fence([
            `SILENCE=$(amtool silence add ${amUrl} ${alertLabels.namespace}=${ns} ${renderMatcher(oneOf(alertLabels.alertname, [outageAlerts.serviceDown, "TaskMcpInstanceDown", outageAlerts.noReadyPods]))} --duration=2h --comment="node drain, ticket OPS-123")`,
            `amtool silence query ${amUrl} ${alertLabels.namespace}=${ns}`,
            `amtool silence expire ${amUrl} "$SILENCE"`,
        ]),
        "",
        "A recurring window is stack config (`alerting.maintenanceWindows`), changed by pull request.",
    ]);
}

function emergencyMaintenance(): string {
    return page("maintenance/emergency-maintenance.md", "Emergency maintenance", "components/contract.ts", [
        "## Who to call",
        "",
        "| role | contact | responds within |",
        "| --- | --- | --- |",
        ...Object.values(emergencyContacts).map((c) => `| ${c.title} | ${code(c.email)} | ${responseTime(c.responseMinutes)} |`),
        "",
        ...accessSection(stackConfig("prod"), "Access"),
        "",
        "Silence only what the work sets off (here, a restart of every pod), with an expiry:",
        "",
        ...fence([acknowledgeCommand("TaskMcpInstanceDown", "30m", "emergency restart, incident INC-1")]),
        "",
        ...emergencySection(),
        "",
        "A token that may have leaked, through the same path: without `authTokens` in the stack (dev and",
        "prod as committed) the token is generated, and a new `authTokenRotation` label replaces it and",
        "rolls the pods; a stack that sets `authTokens` sets the new list with `pulumi config set --secret",
        "authTokens`.",
        "",
        ...fence([
            `pulumi config set authTokenRotation "$(date +%Y-%m-%d-%H%M)" --plaintext --stack "$STACK"`,
            `pulumi preview --diff --stack "$STACK" ${policyFlag}`,
        ]),
    ]);
}

/** A Markdown table with a first column `stack` and one row per deployed stack. */
function stackTable(columns: readonly string[], cells: (stack: string) => readonly string[]): string[] {
    return [
        `| stack | ${columns.join(" | ")} |`,
        `|${" --- |".repeat(columns.length + 1)}`,
        ...exportedStacks.map((stack) => `| ${stack} | ${cells(stack).join(" | ")} |`),
    ];
}

function systemUpdates(): string {
    return page("maintenance/system-updates.md", "System updates", "the stack configs and components/workload.ts", [
        "## How a rollout behaves",
        "",
        ...stackTable(["image", "surge / unavailable", "PDB max unavailable", "grace period"], (stack) => {
            const config = stackConfig(stack);
            const spec = deploymentSpec(workloadSettings(config), "stable") as { strategy: { rollingUpdate: { maxSurge: string; maxUnavailable: number } } };
            const { maxSurge, maxUnavailable } = spec.strategy.rollingUpdate;
            return [`${code(config.image)}`, `${maxSurge} / ${maxUnavailable}`, `${pdbSpec().maxUnavailable}`, `${config.terminationGracePeriodSeconds} s`];
        }),
        "",
        "## Commands",
        "",
        ...fence([
            `pulumi config set image ${workload.imageRepository}:1.4.3 --stack dev   # the new release`,
            `pulumi preview --diff --stack dev ${policyFlag}   # one field: the image (and the version label)`,
        ]),
        "",
        "Commit the config change; the pull request previews every stack and the merge deploys it.",
    ]);
}

function backupRecovery(): string {
    return page("maintenance/backup-recovery.md", "Backup and recovery", "the stack configs and components/config/schema.ts", [
        "## What is where",
        "",
        "- Stack config: `Pulumi.<stack>.yaml` in this repository (stacks: " + exportedStacks.map(code).join(", ") + ").",
        "- State: the Pulumi backend the workflows log in to (`PULUMI_ACCESS_TOKEN`); local stacks keep it in `.state/`.",
        `- Secrets, encrypted in state and config: ${secretKeys.map(code).join(", ")}.`,
        "",
        "## Commands",
        "",
        "Back up, after every production update:",
        "",
        ...fence([chooseStack, 'pulumi stack export --stack "$STACK" --file "$STACK-state.json"   # keep it as safely as the secrets key']),
        "",
        "Restore into a backend that has lost the stack: create it there first, with the secrets provider",
        "it had (Pulumi Cloud's own by default, as dev and prod use; add `--secrets-provider` for",
        "another, and a passphrase stack needs `PULUMI_CONFIG_PASSPHRASE`), import, find what the",
        "cluster lost, look, put it back:",
        "",
        ...fence([
            chooseStack,
            'pulumi stack init "$STACK"   # only where the backend has no such stack',
            'pulumi stack import --stack "$STACK" --file "$STACK-state.json"',
            'pulumi refresh --yes --stack "$STACK"',
            `pulumi preview --diff --stack "$STACK" ${policyFlag}   # what up will re-create`,
            `pulumi up --yes --stack "$STACK" ${policyFlag}`,
            `pulumi preview --diff --expect-no-changes --stack "$STACK" ${policyFlag}`,
        ]),
    ]);
}

function alertResponse(): string {
    const config = stackConfig("prod");
    const ctx = monitoringContext(config);
    const rows = compatibilityRows(ctx).filter((r) => r.kind === "alert");
    const alerts = ruleGroupSpecs(ctx).flatMap((g) => g.alerts);
    return page("alerting/alert-response.md", "Alert response", "the prod rules and routing", [
        "## Every alert",
        "",
        `Every alert the program knows, and whether it can fire under the profile prod deploys (\`${config.server.name}\`): one that could`,
        "never fire is not rendered, and its row says what watches the same failure instead.",
        "",
        "| alert | severity | can it fire? | who is told on prod, and when it escalates | runbook | first command |",
        "| --- | --- | --- | --- | --- | --- |",
        ...alerts.map((a) => {
            const fire = canFireText(
                rows.find((r) => r.name === a.alert)!,
                config.server.name,
            );
            return `| ${code(a.alert)} | ${a.severity} | ${fire} | ${whoIsTold(a, "prod")} | [${a.runbook}](../runbooks/${a.runbook}.md) | ${code(firstCommand[a.runbook])} |`;
        }),
    ]);
}

function deployment(): string {
    const workflow = (name: string) => parse(fs.readFileSync(path.join(repoRoot, ".github", "workflows", name), "utf8"));
    const preview = workflow("preview.yml");
    const deploy = workflow("deploy.yml");
    const jobs = Object.entries(deploy.jobs as Record<string, { with: { stack: string }; needs?: string }>);
    return page("procedures/deployment.md", "Deployment", ".github/workflows", [
        "## The path",
        "",
        `1. Pull request: \`pulumi preview --diff\` of ${(preview.jobs.preview.strategy.matrix.stack as string[]).map(code).join(" and ")}, posted as a comment, with the policy pack.`,
        ...jobs.map(
            ([, job], i) =>
                `${i + 2}. Merge to main${job.needs ? `, after ${code(job.needs)} succeeded` : ""}: a preview of ${code(job.with.stack)} (its diff in the run's summary), then \`pulumi up\` of ${code(job.with.stack)} in the GitHub environment ${code(job.with.stack)}, whose protection rules gate it.`,
        ),
        "",
        "## Commands",
        "",
        ...fence([`pulumi preview --diff --stack dev ${policyFlag}`]),
        "",
        "To roll back a merged change, revert its pull request; the same path applies the inverse change.",
        "During an incident, [the one emergency path](../runbooks/service-downtime.md#emergency-changes-one-path)",
        "rolls back first and makes the config match after.",
    ]);
}

function scaling(): string {
    return page("procedures/scaling.md", "Scaling", "the stack configs and components/workload.ts", [
        "## Bounds per stack",
        "",
        ...stackTable(["HPA min / max", "CPU target", "memory target", "scale-down window", "PDB max unavailable"], (stack) => {
            const config = stackConfig(stack);
            const hpa = hpaSpec(workloadSettings(config));
            const a = config.autoscaling;
            return [
                `${hpa.minReplicas} / ${hpa.maxReplicas}`,
                `${a.cpuUtilizationPercent} %`,
                `${a.memoryUtilizationPercent} %`,
                `${a.scaleDownStabilizationSeconds} s`,
                `${pdbSpec().maxUnavailable}`,
            ];
        }),
        "",
        "## Commands",
        "",
        ...fence([
            chooseStack,
            `kubectl get hpa ${workload.name} -n ${ns}`,
            `${guideCommands.scale}   # pulumi up does not undo it; the HPA scales back after its window`,
            `pulumi config set --path replicas.max 16 --stack "$STACK"   # a lasting change, by pull request`,
        ]),
        "",
        'Proven on the local cluster: `test/cluster/cluster.test.ts`, "is not undone by the next preview after `kubectl scale`".',
    ]);
}

function disasterRecovery(): string {
    return page("procedures/disaster-recovery.md", "Disaster recovery", "the stack configs", [
        "## Rebuild an environment",
        "",
        "With the new cluster's kubeconfig in `KUBECONFIG`: restore the state as in",
        "[backup and recovery](../maintenance/backup-recovery.md) (or skip it for a new stack), then:",
        "",
        ...fence([
            chooseStack,
            "kubectl get nodes   # the new cluster answers",
            'npm run bootstrap -- "$STACK"   # creates the stack if needed, then pulumi up',
        ]),
        "",
        ...perStack((config) => [
            `Monitoring objects go to namespace ${code(config.monitoring.namespace)}; the operator there must select ${Object.entries(
                config.monitoring.selectorLabels,
            )
                .map(([k, v]) => code(`${k}=${v}`))
                .join(", ")}.`,
        ]),
        'An update killed halfway: [engine notes, "Recovering an update that was killed"](../../engine.md).',
    ]);
}

function capacityPlanning(): string {
    return page("procedures/capacity-planning.md", "Capacity planning", "the stack configs", [
        "## Per stack",
        "",
        ...stackTable(["requests (CPU / memory)", "limits (CPU / memory)", "pods min-max", "at most, in limits"], (stack) => {
            const { resources: r, replicas } = stackConfig(stack);
            const cores = Number((cpuCores(r.limits.cpu) * replicas.max).toFixed(2));
            const gib = Number(((memoryBytes(r.limits.memory) * replicas.max) / 2 ** 30).toFixed(2));
            return [
                `${r.requests.cpu} / ${r.requests.memory}`,
                `${r.limits.cpu} / ${r.limits.memory}`,
                `${replicas.min}-${replicas.max}`,
                `${cores} cores, ${gib} GiB`,
            ];
        }),
    ]);
}

/** The pages, relative to docs/operations/. */
export function procedurePages(): Record<string, string> {
    return {
        "maintenance/scheduled-maintenance.md": scheduledMaintenance(),
        "maintenance/emergency-maintenance.md": emergencyMaintenance(),
        "maintenance/system-updates.md": systemUpdates(),
        "maintenance/backup-recovery.md": backupRecovery(),
        "alerting/alert-response.md": alertResponse(),
        "procedures/deployment.md": deployment(),
        "procedures/scaling.md": scaling(),
        "procedures/disaster-recovery.md": disasterRecovery(),
        "procedures/capacity-planning.md": capacityPlanning(),
    };
}
