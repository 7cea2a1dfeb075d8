/**
 * What the escalation table requires of any Alertmanager config that carries our routing: the
 * exported alertmanager.yaml (test/tools/amtool.test.ts) and what the prometheus-operator
 * generates from it or from our AlertmanagerConfig (test/cluster). One list, so both modes are
 * held to the same expectations.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import { workload } from "../../components/contract";
import { stackConfig } from "../../scripts/lib/stacks";
import { prometheusTool } from "./prometheus-tools";

const ours = { namespace: workload.namespace };

/** Who a critical page reaches on `stack`: on-call and the lead always; the manager where the stack escalates that far. */
const pageReaches = (stack: string) => ["oncall", "lead", ...(stackConfig(stack).alerting.escalateToManager ? ["manager"] : []), "ops"];

/** [case, alert labels, receivers amtool must print, in order] for the routing of `stack`. */
export function escalationCases(stack: string): ReadonlyArray<readonly [string, Record<string, string>, string]> {
    return [
        [
            "critical pages on-call, escalates (to the manager where the stack says so), shows in Slack",
            { ...ours, severity: "critical", routing: "oncall", alertname: "TaskMcpServiceDown", environment: stack },
            pageReaches(stack).join(","),
        ],
        [
            "warnings go to Slack and the ops mailbox",
            { ...ours, severity: "warning", routing: "ops", alertname: "TaskMcpHighErrorRate", environment: stack },
            "ops",
        ],
        [
            "security alerts go to the security team only",
            { ...ours, severity: "warning", routing: "security", alertname: "TaskMcpAuthFailureSpike", environment: stack },
            "security",
        ],
        [
            "the Watchdog goes to the dead man's switch only",
            { ...ours, severity: "none", routing: "deadmansswitch", alertname: "Watchdog", environment: stack },
            "deadmansswitch",
        ],
    ];
}

/** An alert of another namespace: the whole config sends it to ops; a shared platform keeps it. */
export const otherNamespaceAlert = { namespace: "other", severity: "critical", routing: "oncall" };

export function amtool(args: string[]): { status: number | null; out: string } {
    const result = spawnSync(prometheusTool("amtool"), args, { encoding: "utf8" });
    return { status: result.status, out: `${result.stdout}${result.stderr}`.replace(/^Warning: --config\.file flag overrides.*\n/gm, "") };
}

/**
 * Receivers amtool resolves for an alert with these labels, comma-separated. With `ours` (the
 * operator's `<namespace>/<name>/` on an AlertmanagerConfig's receivers) only our receivers, the
 * prefix removed: the platform's own routes may take the alert too (its `Watchdog` route does).
 */
export function amtoolRoute(configFile: string, labels: Record<string, string>, ours = ""): string {
    const r = amtool(["config", "routes", "test", `--config.file=${configFile}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)]);
    expect(r.status, r.out).to.equal(0);
    const receivers = r.out.trim().split(",");
    return ours === ""
        ? receivers.join(",")
        : receivers
              .filter((x) => x.startsWith(ours))
              .map((x) => x.slice(ours.length))
              .join(",");
}

/**
 * Every alert of `stack` reaches someone: criticals page and escalate as the stack says, security
 * goes to security alone, the Watchdog to the dead man's switch alone, the rest to ops.
 */
export function expectEveryAlertRouted(
    stack: string,
    configFile: string,
    alerts: ReadonlyArray<{ alert: string; labels: Record<string, string> }>,
    ours = "",
): void {
    expect(alerts.length).to.be.greaterThan(10);
    for (const { alert, labels } of alerts) {
        expect(labels.environment, alert).to.equal(stack);
        const receivers = amtoolRoute(configFile, { alertname: alert, ...labels }, ours).split(",");
        if (labels.routing === "security") expect(receivers, alert).to.deep.equal(["security"]);
        else if (alert === "Watchdog") expect(receivers, alert).to.deep.equal(["deadmansswitch"]);
        else if (labels.severity === "critical") expect(receivers, alert).to.deep.equal(pageReaches(stack));
        else expect(receivers, alert).to.deep.equal(["ops"]);
    }
}
