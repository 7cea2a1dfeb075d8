/**
 * What every alert must carry, stated by the tests instead of read from the rules under test:
 * its severity and runbook (the guide's runbooks and escalation table), its namespace and the
 * link to its runbook. Its `routing` label is the escalation rule's (`routingOf`, conventions.ts),
 * stated once there and proven by conventions.test.ts with literal cases and by the amtool suites'
 * receivers. The promtool suites build every `exp_labels` from this, so a rule with a wrong
 * severity, runbook or link, or a rule that skips the routing convention, fails them.
 */
import { Runbook, runbookPath, workload } from "../../components/contract";
import { AlertContract as Contract } from "../support/promtool";
import { alertLabels, routingOf, Severity, watchdogAlert } from "../../components/monitoring/conventions";

export interface ContractedAlert {
    readonly severity: Severity;
    readonly runbook: Runbook;
    readonly routing?: "deadmansswitch";
}

const critical = (runbook: Runbook): ContractedAlert => ({ severity: "critical", runbook });
const warning = (runbook: Runbook): ContractedAlert => ({ severity: "warning", runbook });

export const alertContract: Readonly<Record<string, ContractedAlert>> = {
    TaskMcpApiAvailabilityFastBurn: critical("slo-violations"),
    TaskMcpApiAvailabilitySlowBurn: warning("slo-violations"),
    TaskMcpHealthAvailabilityFastBurn: critical("slo-violations"),
    TaskMcpHealthAvailabilitySlowBurn: warning("slo-violations"),
    TaskMcpHealthProbeMissing: warning("slo-violations"),
    TaskMcpLatencyP95High: warning("performance-degradation"),
    TaskMcpLatencyP99High: critical("performance-degradation"),
    TaskMcpHighErrorRate: warning("high-error-rate"),
    TaskMcpErrorRateCritical: critical("high-error-rate"),
    TaskMcpServiceDown: critical("service-downtime"),
    TaskMcpNoReadyPods: critical("service-downtime"),
    TaskMcpInstanceDown: warning("service-downtime"),
    TaskMcpPodRestarting: warning("service-downtime"),
    TaskMcpReadinessFailing: warning("service-downtime"),
    TaskMcpReplicasUnavailable: warning("service-downtime"),
    TaskMcpMemoryHigh: warning("memory-issues"),
    TaskMcpMemoryCritical: critical("memory-issues"),
    TaskMcpOOMKilled: warning("memory-issues"),
    TaskMcpCpuHigh: warning("cpu-issues"),
    TaskMcpHpaAtMaximum: warning("cpu-issues"),
    TaskMcpEventLoopLagHigh: warning("cpu-issues"),
    TaskMcpStreamingErrors: warning("streaming-issues"),
    TaskMcpAuthFailureSpike: warning("security-incidents"),
    TaskMcpRateLimitSurge: warning("security-incidents"),
    [watchdogAlert]: { severity: "none", runbook: "watchdog", routing: "deadmansswitch" },
};

/** The labels the contract fixes for `alert`; throws for an alert the contract does not know. */
export function contractLabels(alert: string): Record<string, string> {
    const c = alertContract[alert];
    if (!c) throw new Error(`alert ${alert} is not in test/promql/alert-contract.ts: state its severity and runbook there`);
    return {
        [alertLabels.severity]: c.severity,
        [alertLabels.routing]: routingOf(c),
        [alertLabels.runbook]: c.runbook,
        [alertLabels.namespace]: workload.namespace,
    };
}

/** The runbook link the contract expects, on the rule's own base URL. */
export function contractRunbookUrl(alert: string, ruleUrl: string): string {
    return ruleUrl.replace(/docs\/operations\/runbooks\/[^/]+\.md$/, runbookPath(alertContract[alert].runbook));
}

/** The contract as the promtool runner takes it. */
export const contract: Contract = { labels: contractLabels, runbookUrl: contractRunbookUrl };
