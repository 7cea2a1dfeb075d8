/**
 * What every runbook page shares, generated so it reads the same on each: getting access from an
 * engineer's machine, acknowledging an alert, who an alert reaches on each stack, and the one
 * path for an emergency change. Every command here runs in test/cluster/commands.test.ts.
 */
import { guideCommands, workload } from "../../components/contract";
import { StackConfig } from "../../components/config/schema";
import { alertLabels, routingOf } from "../../components/monitoring/conventions";
import { heartbeatInterval, maintenanceIntervalName, responseTimes } from "../../components/monitoring/routing";
import { AlertSpec } from "../../components/monitoring/rule-spec";
import { serverCommands } from "../../components/server-profiles";
import { alertmanagerService } from "../lib/kube-prometheus-stack";
import { exportedStacks, stackConfig, stackSecretKeys } from "../lib/stacks";
import { code } from "./markdown";

const ns = workload.namespace;
export const policyFlag = "--policy-pack policy/analyzer";
export const fence = (lines: string[]) => ["```bash", ...lines, "```"];

/** The first line of a page's commands that name `$STACK` without the access block before them. */
export const chooseStack = stackLine("the stack you work on");
function stackLine(what: string): string {
    return `export STACK=prod   # ${what}: prod or dev`;
}

/** `$ALERTMANAGER_URL`, set by the access block, is how every amtool command reaches Alertmanager. */
export const amUrl = '--alertmanager.url="$ALERTMANAGER_URL"';

/** Port-forwards to the Service and to Alertmanager, and the variables every later command uses. */
export function accessSection(config: StackConfig, heading = "Get access"): string[] {
    const am = alertmanagerService(config.monitoring);
    return [
        `## ${heading}`,
        "",
        "From your machine, with kubectl pointed at the cluster the alert's `environment` label names. The",
        "image is distroless and the namespace Pod Security `restricted`: there is nothing to exec into and",
        "no curl pod to run, so the Service and Alertmanager come to you through port-forwards (stop them",
        "with `kill %1 %2` when you are done).",
        "",
        ...fence([
            stackLine("the alert's environment label"),
            "kubectl config current-context   # must be the cluster of $STACK",
            serverCommands(config.server)["port-forward"],
            `kubectl port-forward svc/${am.name} ${am.port} -n ${config.monitoring.namespace} &`,
            `export ALERTMANAGER_URL=http://127.0.0.1:${am.port}`,
        ]),
    ];
}

/** Acknowledging is silencing: the escalation routes never fire for a silenced alert. */
export function acknowledgeCommand(alert: string, duration = "1h", comment = "acknowledged by $USER: investigating"): string {
    return `amtool silence add ${amUrl} ${alertLabels.alertname}=${alert} ${alertLabels.namespace}=${ns} --duration=${duration} --comment="${comment}"`;
}

/**
 * Who `alert` reaches on `stack`, and when, as its routing and secrets on that stack say. Every
 * "page" is an e-mail to the contact: point it at a paging service's e-mail integration.
 */
export function whoIsTold(alert: AlertSpec, stack: string): string {
    const { alerting } = stackConfig(stack);
    const windows = alerting.maintenanceWindows.map((w) => code(maintenanceIntervalName(w)));
    const muted = windows.length === 0 ? "" : `; muted during ${windows.join(", ")}`;
    const slack = stackSecretKeys(stack).includes("slackWebhookUrl") ? " and Slack" : " (no Slack: this stack sets no `slackWebhookUrl`)";
    switch (routingOf(alert)) {
        case "deadmansswitch":
            return `the dead man's switch, every ${heartbeatInterval}${stackSecretKeys(stack).includes("deadMansSwitchUrl") ? "" : " (this stack sets no `deadMansSwitchUrl` yet: nobody hears the heartbeat stop)"}; never muted`;
        case "security":
            return `the security team by e-mail${slack}, again every ${responseTimes.security}; never muted`;
        case "ops":
            return `the ops mailbox${slack}${muted}`;
        case "oncall": {
            const escalation = alerting.escalateToManager
                ? `the lead after ${responseTimes.lead} and the manager after ${responseTimes.manager}`
                : `the lead after ${responseTimes.lead} (never the manager)`;
            const outage = alert.totalOutage ? "; a total outage: on-call is paged even in a maintenance window, the lead is not" : muted;
            return `on-call by e-mail at once, again every ${responseTimes.oncall}; unless acknowledged, ${escalation}; the ops mailbox${slack}${outage}`;
        }
    }
}

/** One bullet per stack: who is told, and when. */
export function escalationLines(alert: AlertSpec): string[] {
    return exportedStacks.map((stack) => `  - ${code(stack)}: ${whoIsTold(alert, stack)}.`);
}

/**
 * The one emergency-change path, the same on every page: roll back, make the config say what now
 * runs in a pull request, let CI apply it. By hand only when CI cannot run, and then merged.
 */
export function emergencySection(): string[] {
    const deployment = `deployment/${workload.name}`;
    return [
        "## Emergency changes: one path",
        "",
        "1. Stop the harm: roll back to the previous ReplicaSet.",
        "2. Make the config say what now runs, in a pull request (or the next deploy rolls forward",
        "   again): the image the rollback left, set in `Pulumi.$STACK.yaml`. If the bad change was not",
        "   the image, the pull request reverts the one that made it (`git revert`) instead.",
        "3. CI previews the pull request (the diff must be that one change) and, once merged, deploys",
        "   it: dev first, then prod after its environment's approval. Deploys queue one at a time, so",
        "   an earlier run still waiting for prod's approval holds the fix: approve or cancel it.",
        "",
        ...fence([
            `kubectl rollout undo ${deployment} -n ${ns}`,
            `kubectl rollout status ${deployment} -n ${ns} --timeout=5m`,
            `IMAGE=$(kubectl get ${deployment} -n ${ns} -o jsonpath='{.spec.template.spec.containers[?(@.name=="${workload.name}")].image}')`,
            'pulumi config set image "$IMAGE" --stack "$STACK"   # in a branch: commit Pulumi.$STACK.yaml, open the pull request',
        ]),
        "",
        "Only when CI cannot run: the same change by hand, from that branch, then merge the branch at once",
        "so that main says what runs:",
        "",
        ...fence([`pulumi preview --diff --stack "$STACK" ${policyFlag}`, `pulumi up --yes --stack "$STACK" ${policyFlag}   # what the preview above showed`]),
        "",
        "`kubectl scale` and `kubectl rollout restart` need no follow-up: the program does not own the",
        `replica count (the HPA does) or the restart annotation. Quick reference: ${code(guideCommands.restart)}.`,
    ];
}
