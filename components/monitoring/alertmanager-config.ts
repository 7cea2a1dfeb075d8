/**
 * Shared-platform mode: the routing of routing.ts as the spec of an `AlertmanagerConfig`
 * (monitoring.coreos.com/v1alpha1), which a team that does not own the cluster's Alertmanager
 * may create in its own namespace. The prometheus-operator merges it into the shared config:
 * it prefixes every receiver and time interval with `<namespace>/<name>/`, puts a
 * `namespace="<namespace>"` matcher on the top route and on both sides of every inhibition, and
 * places the route before the platform's own routes with `continue: true`.
 *
 * One routing tree, two formats: the spec is translated from routing.ts's `routingTree`, typed
 * matchers and all, never written a second time. What the CRD cannot hold (credentials in plain text, a `global`
 * section, time zones) becomes Secret references, per-receiver SMTP settings and UTC.
 */
import { AlertingConfig } from "../config/schema";
import { Matcher } from "./conventions";
import { AlertmanagerConfig, AmRoute, routingTree, RoutingSecrets } from "./routing";

/** A key of a Secret in the AlertmanagerConfig's own namespace. */
export interface SecretKeyRef {
    readonly name: string;
    readonly key: string;
}

/** Where the credentials are; a receiver that needs a missing one is left out, as in routing.ts. */
export type RoutingSecretRefs = { readonly [K in keyof RoutingSecrets]?: SecretKeyRef };

export interface CrdRoute {
    receiver: string;
    matchers?: Matcher[];
    groupBy?: string[];
    groupWait?: string;
    groupInterval?: string;
    repeatInterval?: string;
    continue?: boolean;
    muteTimeIntervals?: string[];
    routes?: CrdRoute[];
}

export interface CrdReceiver {
    name: string;
    emailConfigs?: Array<{
        to: string;
        from: string;
        smarthost: string;
        requireTLS: boolean;
        sendResolved: boolean;
        authUsername?: string;
        authPassword?: SecretKeyRef;
        headers?: Array<{ key: string; value: string }>;
    }>;
    webhookConfigs?: Array<{ urlSecret: SecretKeyRef; sendResolved: boolean }>;
    slackConfigs?: Array<{ apiURL: SecretKeyRef; channel: string; sendResolved: boolean; title: string; text: string }>;
}

/** The spec of a monitoring.coreos.com/v1alpha1 AlertmanagerConfig, as far as this program uses it. */
export interface AlertmanagerConfigSpec {
    route: CrdRoute;
    receivers: CrdReceiver[];
    inhibitRules: Array<{ sourceMatch: Matcher[]; targetMatch: Matcher[]; equal: string[] }>;
    muteTimeIntervals?: Array<{ name: string; timeIntervals: Array<{ weekdays: string[]; times: Array<{ startTime: string; endTime: string }> }> }>;
}

function crdRoute(route: AmRoute<Matcher>): CrdRoute {
    return {
        receiver: route.receiver,
        ...(route.matchers ? { matchers: route.matchers.map((m) => ({ ...m })) } : {}),
        ...(route.group_by ? { groupBy: route.group_by } : {}),
        ...(route.group_wait ? { groupWait: route.group_wait } : {}),
        ...(route.group_interval ? { groupInterval: route.group_interval } : {}),
        ...(route.repeat_interval ? { repeatInterval: route.repeat_interval } : {}),
        ...(route.continue ? { continue: true } : {}),
        ...(route.mute_time_intervals ? { muteTimeIntervals: route.mute_time_intervals } : {}),
        ...(route.routes ? { routes: route.routes.map(crdRoute) } : {}),
    };
}

/** Marks where routing.ts would write a credential; replaced by a Secret reference below. */
const credential = "from-a-secret-reference";

function crdReceivers(config: AlertmanagerConfig<Matcher>, refs: RoutingSecretRefs): CrdReceiver[] {
    const global = config.global as { smtp_smarthost: string; smtp_from: string; smtp_require_tls: boolean; smtp_auth_username?: string };
    return config.receivers.map((receiver) => ({
        name: receiver.name,
        // No `global` in an AlertmanagerConfig: each e-mail config carries the SMTP settings.
        ...(receiver.email_configs
            ? {
                  emailConfigs: (receiver.email_configs as Array<{ to: string; send_resolved: boolean; headers?: Record<string, string> }>).map((e) => ({
                      to: e.to,
                      from: global.smtp_from,
                      smarthost: global.smtp_smarthost,
                      requireTLS: global.smtp_require_tls,
                      sendResolved: e.send_resolved,
                      ...(global.smtp_auth_username ? { authUsername: global.smtp_auth_username } : {}),
                      ...(refs.smtpPassword ? { authPassword: refs.smtpPassword } : {}),
                      ...(e.headers ? { headers: Object.entries(e.headers).map(([key, value]) => ({ key, value })) } : {}),
                  })),
              }
            : {}),
        ...(receiver.slack_configs && refs.slackWebhookUrl
            ? {
                  slackConfigs: (receiver.slack_configs as Array<{ channel: string; send_resolved: boolean; title: string; text: string }>).map((s) => ({
                      apiURL: refs.slackWebhookUrl!,
                      channel: s.channel,
                      sendResolved: s.send_resolved,
                      title: s.title,
                      text: s.text,
                  })),
              }
            : {}),
        ...(receiver.webhook_configs && refs.deadMansSwitchUrl
            ? {
                  webhookConfigs: (receiver.webhook_configs as Array<{ send_resolved: boolean }>).map((w) => ({
                      urlSecret: refs.deadMansSwitchUrl!,
                      sendResolved: w.send_resolved,
                  })),
              }
            : {}),
    }));
}

/**
 * The AlertmanagerConfig spec for `alerting`, credentials by reference only.
 * @param timings as for `routingTree`. @default the guide's response times
 */
export function buildAlertmanagerConfigSpec(
    alerting: AlertingConfig,
    refs: RoutingSecretRefs,
    timings?: Parameters<typeof routingTree>[2],
): AlertmanagerConfigSpec {
    const nonUtc = alerting.maintenanceWindows.find((w) => w.location !== "UTC");
    // The schema refuses this for a stack; the check here keeps the builder honest on its own.
    if (nonUtc) throw new Error(`maintenance window ${nonUtc.name}: an AlertmanagerConfig's time intervals are UTC only, not ${nonUtc.location}`);
    const config = routingTree(alerting, Object.fromEntries(Object.entries(refs).map(([key, ref]) => [key, ref ? credential : undefined])), timings);
    return {
        route: crdRoute(config.route),
        receivers: crdReceivers(config, refs),
        inhibitRules: config.inhibit_rules.map((rule) => ({
            sourceMatch: rule.source_matchers.map((m) => ({ ...m })),
            targetMatch: rule.target_matchers.map((m) => ({ ...m })),
            equal: rule.equal,
        })),
        ...(config.time_intervals
            ? {
                  muteTimeIntervals: config.time_intervals.map((interval) => ({
                      name: interval.name,
                      timeIntervals: (interval.time_intervals as Array<{ weekdays: string[]; times: Array<{ start_time: string; end_time: string }> }>).map(
                          (t) => ({
                              weekdays: t.weekdays,
                              times: t.times.map((r) => ({ startTime: r.start_time, endTime: r.end_time })),
                          }),
                      ),
                  })),
              }
            : {}),
    };
}
