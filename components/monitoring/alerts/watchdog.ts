import { watchdogAlert } from "../conventions";
import { RuleGroupSpec } from "../rule-spec";

/**
 * The Watchdog fires always. Alertmanager sends it every minute to a dead man's switch, an outside
 * service that pages when the heartbeat stops: the one alert that says Prometheus evaluates our
 * rules, Alertmanager receives them and the route out works (kube-prometheus' convention).
 */
export function watchdogGroup(): RuleGroupSpec {
    return {
        name: "task-mcp-watchdog",
        alerts: [
            {
                alert: watchdogAlert,
                expr: "vector(1)",
                severity: "none",
                routing: "deadmansswitch",
                runbook: "watchdog",
                summary: "The alerting pipeline of task-mcp works (this alert always fires)",
                description:
                    "Always firing, by design: it reaches the dead man's switch every minute. When the switch stops hearing it, Prometheus, Alertmanager or the route between them is down, and no other alert of this service can reach anyone.",
            },
        ],
    };
}
