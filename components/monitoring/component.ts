import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { workload } from "../contract";
import type { z } from "zod";
import { parseConfig } from "../config/errors";
import { validated } from "../config/load";
import { monitoringArgsSchema, MonitoringSettings } from "../config/schema";
import type { TaskMcpNamespace } from "../namespace";
import { buildDashboards } from "./dashboards";
import { buildRuleGroups } from "./rules";
import { serviceMonitorSpec } from "./scrape";
import { probeSpec } from "./probe";
import { buildAlertmanagerConfig, RoutingSecrets } from "./routing";
import { buildAlertmanagerConfigSpec, RoutingSecretRefs } from "./alertmanager-config";
import { monitoringContext } from "./context";
import { OperatorKind, operatorKinds, OperatorSpecs } from "./custom-resources";

export interface TaskMcpMonitoringArgs {
    /** The service's namespace (the ServiceMonitor and PrometheusRule live beside it). */
    readonly namespace: TaskMcpNamespace;
    /**
     * SLOs, server profile, proxy, pod limits, where the platform runs and who is told: the stack
     * keys the monitoring reads, validated once, by the stack's loader or by `monitoringSettings()`.
     */
    readonly settings: MonitoringSettings;
    /** Slack webhook URL, SMTP password and dead man's switch URL; kept secret. @default none (no Slack, unauthenticated SMTP, no heartbeat) */
    readonly secrets?: { [K in keyof RoutingSecrets]?: pulumi.Input<string> };
}

/**
 * Settings for a TaskMcpMonitoring used on its own: `input` validated against the stack keys'
 * schema, defaults applied (`monitoringArgsSchema`: the guide's SLOs and contacts, the `upstream`
 * server). A bad value throws one message naming `<label>.<key>`, before any resource exists.
 */
export function monitoringSettings(input: z.input<typeof monitoringArgsSchema>, label = "TaskMcpMonitoring"): MonitoringSettings {
    return validated(() => parseConfig(monitoringArgsSchema, input, pulumi.getStack(), `${label}.`));
}

/** Keys of the credentials Secret that shared-platform mode's AlertmanagerConfig refers to. */
const credentialKeys = {
    slackWebhookUrl: "slack-webhook-url",
    smtpPassword: "smtp-password",
    deadMansSwitchUrl: "dead-mans-switch-url",
} as const satisfies Record<keyof RoutingSecrets, string>;

/**
 * The observability stack's view of the service: ServiceMonitor, Probe (readiness through the
 * Service, by the platform's blackbox exporter), PrometheusRule, one
 * dashboard ConfigMap per uid for the Grafana sidecar, and the alert routing: the whole
 * Alertmanager configuration as a Secret in the monitoring namespace, or, with
 * `sharedAlertmanager`, an AlertmanagerConfig and its credentials Secret in the service's
 * namespace. Every body comes from a pure builder; this class only wires.
 */
export class TaskMcpMonitoring extends pulumi.ComponentResource {
    /** alertmanager.yaml, a secret output (it holds the webhook URL and SMTP password). */
    public readonly alertmanagerConfig: pulumi.Output<string>;
    public readonly dashboardUids: string[];

    constructor(name: string, args: TaskMcpMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("task-mcp:index:TaskMcpMonitoring", name, {}, opts);
        const { monitoring, alerting } = args.settings;
        const context = monitoringContext(args.settings);
        const named = { parent: this, deleteBeforeReplace: true };
        const operatorLabels = { ...monitoring.selectorLabels, [workload.appLabel]: workload.name };
        /** An object for the prometheus-operator, beside the service, with the labels it selects by. */
        const forOperator = <K extends OperatorKind>(suffix: string, kind: K, spec: OperatorSpecs[K]) =>
            new k8s.apiextensions.CustomResource(
                `${name}-${suffix}`,
                { ...operatorKinds[kind], metadata: { name: workload.name, namespace: args.namespace.name, labels: operatorLabels }, spec },
                named,
            );

        forOperator("servicemonitor", "ServiceMonitor", serviceMonitorSpec(context, monitoring.scrapeInterval));
        forOperator("probe", "Probe", probeSpec(context, monitoring.blackboxExporter));
        forOperator("rules", "PrometheusRule", { groups: buildRuleGroups(context) });

        const dashboards = buildDashboards(context);
        this.dashboardUids = Object.keys(dashboards);
        for (const [uid, dashboard] of Object.entries(dashboards)) {
            new k8s.core.v1.ConfigMap(
                `${name}-dashboard-${uid}`,
                {
                    metadata: {
                        name: `${uid}-dashboard`,
                        namespace: monitoring.namespace,
                        labels: { ...monitoring.dashboardLabels, [workload.appLabel]: workload.name },
                    },
                    data: { [`${uid}.json`]: JSON.stringify(dashboard, null, 2) },
                },
                named,
            );
        }

        const secrets = args.secrets ?? {};
        this.alertmanagerConfig = pulumi.secret(
            pulumi.all(secrets).apply((routingSecrets: RoutingSecrets) => stringify(buildAlertmanagerConfig(alerting, routingSecrets))),
        );
        if (monitoring.sharedAlertmanager) {
            const credentialsName = `${workload.name}-alerting`;
            const present = (Object.keys(credentialKeys) as Array<keyof typeof credentialKeys>).filter((k) => secrets[k] !== undefined);
            const refs: RoutingSecretRefs = Object.fromEntries(present.map((k) => [k, { name: credentialsName, key: credentialKeys[k] }]));
            if (present.length > 0) {
                new k8s.core.v1.Secret(
                    `${name}-alerting-credentials`,
                    {
                        metadata: { name: credentialsName, namespace: args.namespace.name, labels: { [workload.appLabel]: workload.name } },
                        type: "Opaque",
                        stringData: Object.fromEntries(present.map((k) => [credentialKeys[k], pulumi.secret(secrets[k]!)])),
                    },
                    named,
                );
            }
            forOperator("alertmanagerconfig", "AlertmanagerConfig", buildAlertmanagerConfigSpec(alerting, refs));
        } else {
            new k8s.core.v1.Secret(
                `${name}-alertmanager`,
                {
                    metadata: { name: monitoring.alertmanagerSecretName, namespace: monitoring.namespace, labels: { [workload.appLabel]: workload.name } },
                    type: "Opaque",
                    stringData: { "alertmanager.yaml": this.alertmanagerConfig },
                },
                named,
            );
        }

        this.registerOutputs({ dashboardUids: this.dashboardUids, alertmanagerConfig: this.alertmanagerConfig });
    }
}
