/**
 * The Alertmanager configuration for the guide's escalation table, as a plain object.
 *
 * Escalation without a paging product: each tier is its own route (`continue: true`) on the
 * critical alerts, and a tier's `group_wait` is when it is first told. Alertmanager sends
 * nothing for a group whose alerts resolved (or were silenced, i.e. acknowledged) before
 * that wait ran out, so the lead hears of an alert only when it still fires after 30 minutes
 * and the manager after 1 hour (unless `escalateToManager` is off, as on dev). The on-call
 * engineer is paged at once and re-paged every 15 minutes (their response time) until the alert
 * resolves or is silenced.
 *
 * The Watchdog always fires; its route sends it every minute to a dead man's switch (an outside
 * service that pages when the heartbeat stops), first, never muted and never inhibited, so a dead
 * Prometheus, Alertmanager or route is noticed by something that does not depend on them.
 */
import { ContactRole, emergencyContacts, Runbook, workload } from "../contract";
import { AlertingConfig, MaintenanceWindow } from "../config/schema";
import { alertLabels, equals, Matcher, notEquals, oneOf, outageAlerts, renderMatcher, Routing, totalOutage, watchdogAlert } from "./conventions";

/**
 * The secrets the routing embeds: the Slack webhook, the SMTP password and the dead man's
 * switch's heartbeat URL (it often carries a token).
 */
export const routingSecretKeys = ["slackWebhookUrl", "smtpPassword", "deadMansSwitchUrl"] as const;
export type RoutingSecrets = { readonly [K in (typeof routingSecretKeys)[number]]?: string };

/** Stand-ins written by `npm run export`: obviously fake, still valid for amtool. */
export const placeholderSecrets: Required<RoutingSecrets> = {
    slackWebhookUrl: "https://slack.invalid/placeholder-webhook-not-a-secret",
    smtpPassword: "placeholder-not-a-secret",
    deadMansSwitchUrl: "https://deadmansswitch.invalid/placeholder-not-a-secret",
};

export type ReceiverName = ContactRole | "ops" | "deadmansswitch";

/** How often the Watchdog reaches the dead man's switch: its service should page after a few misses. */
export const heartbeatInterval = "1m";

/** Every notification's title names the stack, so a dev page never reads like a prod one. */
const titled = (template: string) => `[{{ .CommonLabels.${alertLabels.environment} | toUpper }}] {{ template "${template}" . }}`;

/** Alerts that are symptoms of a full outage: muted while one of `outageAlerts` fires. */
export const outageSymptoms: readonly Runbook[] = ["high-error-rate", "performance-degradation", "streaming-issues", "slo-violations"];

/** A route; `M` is the matcher: typed while the tree is built, Alertmanager's text in alertmanager.yaml. */
export interface AmRoute<M = string> {
    receiver: string;
    matchers?: M[];
    group_by?: string[];
    group_wait?: string;
    group_interval?: string;
    repeat_interval?: string;
    continue?: boolean;
    mute_time_intervals?: string[];
    routes?: AmRoute<M>[];
}

export interface AlertmanagerConfig<M = string> {
    global: Record<string, unknown>;
    route: AmRoute<M>;
    receivers: Array<{ name: string; email_configs?: object[]; slack_configs?: object[]; webhook_configs?: object[] }>;
    inhibit_rules: Array<{ source_matchers: M[]; target_matchers: M[]; equal: string[] }>;
    time_intervals?: Array<{ name: string; time_intervals: object[] }>;
}

/** Response times of the guide's "Emergency Contacts" table, as Alertmanager durations. */
export const responseTimes: Readonly<Record<ContactRole, string>> = Object.fromEntries(
    Object.entries(emergencyContacts).map(([role, contact]) => [role, `${contact.responseMinutes}m`]),
) as Record<ContactRole, string>;
const inNamespace = equals(alertLabels.namespace, workload.namespace);
const routingIs = (routing: Routing) => equals(alertLabels.routing, routing);

export function maintenanceIntervalName(window: MaintenanceWindow): string {
    return `maintenance-${window.name}`;
}

function receivers(alerting: AlertingConfig, secrets: RoutingSecrets): AlertmanagerConfig["receivers"] {
    const email = (to: string) => ({ to, send_resolved: true, headers: { Subject: titled("email.default.subject") } });
    const slack = secrets.slackWebhookUrl
        ? [
              {
                  channel: alerting.slackChannel,
                  send_resolved: true,
                  title: titled("slack.default.title"),
                  text: `{{ range .Alerts }}[{{ .Labels.${alertLabels.environment} }}] {{ .Annotations.summary }}\n{{ .Annotations.runbook_url }}\n{{ end }}`,
              },
          ]
        : undefined;
    const receiver = (name: ReceiverName, to: string, withSlack: boolean) => ({
        name,
        email_configs: [email(to)],
        ...(withSlack && slack ? { slack_configs: slack } : {}),
    });
    return [
        receiver("ops", alerting.contacts.ops, true),
        receiver("oncall", alerting.contacts.oncall, false),
        receiver("lead", alerting.contacts.lead, false),
        receiver("manager", alerting.contacts.manager, false),
        receiver("security", alerting.contacts.security, true),
        // Without a URL the heartbeat goes nowhere: notification-config.md says so per stack.
        { name: "deadmansswitch", ...(secrets.deadMansSwitchUrl ? { webhook_configs: [{ url: secrets.deadMansSwitchUrl, send_resolved: false }] } : {}) },
    ];
}

/**
 * The routing tree with typed matchers: what both formats are rendered from (alertmanager.yaml
 * below, the AlertmanagerConfig CRD in alertmanager-config.ts).
 * @param timings response times per role; the live escalation test passes seconds instead of
 *   minutes to watch the same routing tree escalate. @default the guide's table
 */
export function routingTree(
    alerting: AlertingConfig,
    secrets: RoutingSecrets,
    timings: Readonly<Record<ContactRole, string>> = responseTimes,
): AlertmanagerConfig<Matcher> {
    const muted = alerting.maintenanceWindows.map(maintenanceIntervalName);
    const mute = muted.length > 0 ? { mute_time_intervals: muted } : {};
    const critical = [inNamespace, equals(alertLabels.severity, "critical")];
    const isOutage = equals(totalOutage.label, totalOutage.value);
    const notOutage = notEquals(totalOutage.label, totalOutage.value);
    const escalation = (role: "lead" | "manager"): AmRoute<Matcher> => ({
        receiver: role,
        matchers: [...critical, routingIs("oncall")],
        group_wait: timings[role],
        repeat_interval: timings[role],
        continue: true,
        ...mute,
    });

    const config: AlertmanagerConfig<Matcher> = {
        global: {
            smtp_smarthost: alerting.smtp.smarthost,
            smtp_from: alerting.smtp.from,
            smtp_require_tls: true,
            ...(alerting.smtp.username ? { smtp_auth_username: alerting.smtp.username } : {}),
            ...(secrets.smtpPassword ? { smtp_auth_password: secrets.smtpPassword } : {}),
            ...(secrets.slackWebhookUrl ? { slack_api_url: secrets.slackWebhookUrl } : {}),
        },
        route: {
            receiver: "ops",
            group_by: [alertLabels.alertname, alertLabels.namespace, alertLabels.environment, alertLabels.slo],
            group_wait: "30s",
            group_interval: "5m",
            repeat_interval: "4h",
            routes: [
                // The heartbeat first and alone (no continue), never muted: its silence is the alarm.
                {
                    receiver: "deadmansswitch",
                    matchers: [inNamespace, routingIs("deadmansswitch"), equals(alertLabels.alertname, watchdogAlert)],
                    group_wait: "0s",
                    group_interval: heartbeatInterval,
                    repeat_interval: heartbeatInterval,
                },
                // Security first and never muted: an attack does not wait for the maintenance window.
                { receiver: "security", matchers: [inNamespace, routingIs("security")], repeat_interval: timings.security },
                // A total outage pages on-call even inside a maintenance window; its escalation and
                // the ops channels still wait for the window to end (see the service-downtime runbook).
                {
                    receiver: "oncall",
                    matchers: [...critical, routingIs("oncall"), isOutage],
                    group_wait: "10s",
                    repeat_interval: timings.oncall,
                    continue: true,
                },
                {
                    receiver: "oncall",
                    matchers: [...critical, routingIs("oncall"), notOutage],
                    group_wait: "10s",
                    repeat_interval: timings.oncall,
                    continue: true,
                    ...mute,
                },
                escalation("lead"),
                ...(alerting.escalateToManager ? [escalation("manager")] : []),
                // Everything else of ours (and every page, for visibility) reaches Slack and the ops mailbox.
                { receiver: "ops", matchers: [inNamespace], ...mute },
            ],
        },
        receivers: receivers(alerting, secrets),
        inhibit_rules: [
            {
                source_matchers: [inNamespace, oneOf(alertLabels.alertname, Object.values(outageAlerts))],
                target_matchers: [inNamespace, oneOf(alertLabels.runbook, outageSymptoms)],
                equal: [alertLabels.namespace],
            },
            {
                source_matchers: [inNamespace, equals(alertLabels.severity, "critical")],
                target_matchers: [inNamespace, equals(alertLabels.severity, "warning")],
                equal: [alertLabels.namespace, alertLabels.runbook, alertLabels.slo],
            },
        ],
    };
    if (alerting.maintenanceWindows.length > 0) {
        config.time_intervals = alerting.maintenanceWindows.map((w) => ({
            name: maintenanceIntervalName(w),
            time_intervals: [{ weekdays: w.weekdays, times: [{ start_time: w.startTime, end_time: w.endTime }], location: w.location }],
        }));
    }
    return config;
}

/** A route with its matchers in Alertmanager's text form. */
function renderRoute(route: AmRoute<Matcher>): AmRoute {
    // Spread first, then override: the keys keep their order, and so does the YAML.
    return {
        ...route,
        ...(route.matchers ? { matchers: route.matchers.map(renderMatcher) } : {}),
        ...(route.routes ? { routes: route.routes.map(renderRoute) } : {}),
    } as AmRoute;
}

/** alertmanager.yaml for `alerting`: the routing tree, matchers rendered. Parameters as for `routingTree`. */
export function buildAlertmanagerConfig(...args: Parameters<typeof routingTree>): AlertmanagerConfig {
    const tree = routingTree(...args);
    return {
        ...tree,
        route: renderRoute(tree.route),
        inhibit_rules: tree.inhibit_rules.map((rule) => ({
            source_matchers: rule.source_matchers.map(renderMatcher),
            target_matchers: rule.target_matchers.map(renderMatcher),
            equal: rule.equal,
        })),
    };
}
