/**
 * The one schema for a stack's config (keys under `task-mcp:` in Pulumi.<stack>.yaml).
 * Every check's message is the "allowed" text that the error shows beside the key and stack.
 * Defaults come from the operations contract, so an empty stack config follows the guide.
 */
import { z } from "zod";
import { parseConfig } from "./errors";
import { imageReference } from "../image";
import { emergencyContacts, sloConfigKey, SloConfigKey, sloDefaultTarget, sloRows, sloTable, support, workload } from "../contract";
import { guideMetrics, MetricsContract } from "../metrics";
import { defaultServerProfile, requestSources, ServerProfile, ServerProfileName, serverProfileNames, serverProfiles } from "../server-profiles";
import { cpuCores, cpuPattern, memoryBytes, memoryPattern } from "./quantity";

const intRange = (min: number, max: number) => {
    const allowed = `an integer from ${min} to ${max}`;
    return z.int(allowed).min(min, allowed).max(max, allowed);
};

const percentOpen = () => {
    const allowed = "a number strictly between 0 and 100";
    return z.number(allowed).gt(0, allowed).lt(100, allowed);
};

const dnsLabel = z.string("a DNS label").regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "a DNS label (lower-case letters, digits and '-', at most 63)");

const email = z.email("an e-mail address such as oncall@company.com");
const url = z.url({ protocol: /^https?$/, error: "an http(s) URL" });

const imagePattern = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$/;
/** Pinned to a tag or a sha256 digest; `latest` is refused because it makes rollbacks meaningless. */
const pinnedImage = (example: string) => {
    const allowed = `an image pinned to a tag or digest, e.g. ${example} or ...@sha256:<64 hex> (not :latest)`;
    return z
        .string(allowed)
        .regex(imagePattern, allowed)
        .refine((ref) => imageReference(ref).tag !== "latest", allowed);
};
const image = pinnedImage(`${workload.imageRepository}:1.4.2`);

const cpu = z.string('a CPU quantity such as "250m" or "1"').regex(cpuPattern, 'a CPU quantity such as "250m" or "1"');
const memory = z.string('a memory quantity such as "256Mi" or "1Gi"').regex(memoryPattern, 'a memory quantity such as "256Mi" or "1Gi"');

const time = z.string('a time "HH:MM"').regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time "HH:MM" (00:00 to 24:00)');
const weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;

const metricName = z.string("a Prometheus metric or label name").regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, "a Prometheus metric or label name");
const metricsShape = Object.fromEntries(Object.keys(guideMetrics).map((key) => [key, metricName.optional()])) as {
    [K in keyof MetricsContract]: z.ZodOptional<typeof metricName>;
};

const labelMap = z.record(z.string("a label name"), z.string("a label value"));

export const replicasSchema = z
    .strictObject({
        /** @default 2 */
        min: intRange(1, 100).default(2),
        /** @default 6 */
        max: intRange(1, 100).default(6),
    })
    .superRefine((r, ctx) => {
        if (r.min > r.max) ctx.addIssue({ code: "custom", path: ["min"], message: `an integer not above replicas.max (${r.max})` });
    });

type Resources = { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
const resources = (d: Resources) =>
    z
        .strictObject({
            requests: z.strictObject({ cpu: cpu.default(d.requests.cpu), memory: memory.default(d.requests.memory) }).prefault({}),
            limits: z.strictObject({ cpu: cpu.default(d.limits.cpu), memory: memory.default(d.limits.memory) }).prefault({}),
        })
        .superRefine((r, ctx) => {
            if (cpuCores(r.requests.cpu) > cpuCores(r.limits.cpu)) {
                ctx.addIssue({ code: "custom", path: ["requests", "cpu"], message: `a CPU request not above limits.cpu (${r.limits.cpu})` });
            }
            if (memoryBytes(r.requests.memory) > memoryBytes(r.limits.memory)) {
                ctx.addIssue({ code: "custom", path: ["requests", "memory"], message: `a memory request not above limits.memory (${r.limits.memory})` });
            }
        });
export const resourcesSchema = resources({ requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } });

/**
 * The request-measuring proxy (components/proxy.ts), used where the server profile's
 * `requestSource` is "proxy". Its ports must differ from each other, from the HTTP port and from
 * the server's metrics ports (checked across keys: `portClashes`).
 */
export const proxySchema = z.strictObject({
    /** Caddy, pinned like the server's image. @default "caddy:2.11.9" */
    image: pinnedImage("caddy:2.11.9").default("caddy:2.11.9"),
    /** Where the app listens behind the proxy. @default 3001 */
    appPort: intRange(1024, 65535).default(3001),
    /** The proxy listener the health probe goes through (the Service's `proxy-health` port). @default 3002 */
    healthPort: intRange(1024, 65535).default(3002),
    /** The proxy's own /metrics. @default 9180 */
    metricsPort: intRange(1024, 65535).default(9180),
    resources: resources({ requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "128Mi" } }).prefault({}),
});

export const canarySchema = z
    .strictObject({
        enabled: z.boolean("true or false").default(false),
        image: image.optional(),
        /** Share of pods behind the Service that run the canary image. @default 10 */
        weightPercent: intRange(1, 50).default(10),
    })
    .refine((c) => !c.enabled || c.image !== undefined, { path: ["image"], error: "an image (required when canary.enabled is true)" });

export const maintenanceWindowSchema = z
    .strictObject({
        name: dnsLabel,
        weekdays: z.array(z.enum(weekdays, `weekday names: ${weekdays.join(", ")}`), "a list of weekday names").min(1, "at least one weekday"),
        startTime: time,
        endTime: time,
        /** IANA time zone of startTime/endTime. @default "UTC" */
        location: z.string("an IANA time zone such as Europe/Berlin").default("UTC"),
    })
    .refine((w) => w.startTime < w.endTime, { path: ["endTime"], error: "a time after startTime" });

export const alertingSchema = z.strictObject({
    contacts: z
        .strictObject({
            oncall: email.default(emergencyContacts.oncall.email),
            lead: email.default(emergencyContacts.lead.email),
            manager: email.default(emergencyContacts.manager.email),
            security: email.default(emergencyContacts.security.email),
            ops: email.default(support.email),
        })
        .prefault({}),
    slackChannel: z
        .string("a Slack channel such as #task-mcp-operations")
        .regex(/^#[a-z0-9_-]{1,80}$/, "a Slack channel such as #task-mcp-operations")
        .default(support.slackChannel),
    smtp: z
        .strictObject({
            smarthost: z
                .string("host:port")
                .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, "host:port")
                .default("smtp.company.com:587"),
            from: email.default("alertmanager@company.com"),
            username: z.string("an SMTP user name").optional(),
        })
        .prefault({}),
    maintenanceWindows: z.array(maintenanceWindowSchema, "a list of maintenance windows").default([]),
    /**
     * Whether a page the lead has not stopped within the manager's response time reaches the
     * manager. A dev stack's pages stop at the lead. @default true
     */
    escalateToManager: z.boolean("true or false").default(true),
    /** Thresholds for the security alerts, in events per second over 5 minutes. */
    security: z
        .strictObject({
            authFailuresPerSecond: z.number("a positive number").positive("a positive number").default(1),
            rateLimitedPerSecond: z.number("a positive number").positive("a positive number").default(5),
        })
        .prefault({}),
});

export const monitoringSchema = z
    .strictObject({
        /** Namespace of Prometheus, Alertmanager and Grafana (kube-prometheus-stack). @default "monitoring" */
        namespace: dnsLabel.default("monitoring"),
        /** Labels the Prometheus operator selects ServiceMonitors and PrometheusRules by. */
        selectorLabels: labelMap.default({ release: "kube-prometheus-stack" }),
        /** Label the Grafana dashboard sidecar looks for. */
        dashboardLabels: labelMap.default({ grafana_dashboard: "1" }),
        scrapeInterval: z
            .string('a duration such as "30s"')
            .regex(/^\d+[sm]$/, 'a duration such as "30s" or "1m"')
            .default("30s"),
        runbookBaseUrl: url.default("https://github.com/fission-ai/task-mcp-infra/blob/main"),
        grafanaBaseUrl: url.default("https://grafana.company.com"),
        /** Name of the Secret holding alertmanager.yaml (kube-prometheus-stack `alertmanager.configSecret`). */
        alertmanagerSecretName: dnsLabel.default("alertmanager-task-mcp"),
        /**
         * Shared-platform mode: the cluster's Alertmanager belongs to someone else, so declare an
         * AlertmanagerConfig in the service's namespace (merged by the prometheus-operator, every route
         * limited to this namespace) instead of the whole-config Secret above. @default false
         */
        sharedAlertmanager: z.boolean("true or false").default(false),
        /**
         * The platform's blackbox exporter (kube-prometheus-stack users install the
         * prometheus-blackbox-exporter chart), which probes the readiness path through the Service
         * for the Health Check Availability SLO (components/monitoring/probe.ts).
         */
        blackboxExporter: z
            .strictObject({
                /** @default the chart's Service in `monitoring.namespace`: "prometheus-blackbox-exporter.<namespace>.svc:9115" */
                address: z
                    .string("host:port")
                    .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?:\d{1,5}$/, "host:port, such as prometheus-blackbox-exporter.monitoring.svc:9115")
                    .optional(),
                /** A module of the exporter's config that expects a 2xx. @default "http_2xx" (the chart's) */
                module: z
                    .string("a module name")
                    .regex(/^[A-Za-z0-9_-]+$/, "a module name such as http_2xx")
                    .default("http_2xx"),
                /** How often to probe: 10 s keeps one lost probe from ever paging (docs/operations/slos.md). @default "10s" */
                interval: z
                    .string('a duration such as "10s"')
                    .regex(/^\d+s$/, 'a duration in seconds such as "10s"')
                    .default("10s"),
            })
            .prefault({}),
    })
    .transform((m) => ({
        ...m,
        blackboxExporter: { ...m.blackboxExporter, address: m.blackboxExporter.address ?? `prometheus-blackbox-exporter.${m.namespace}.svc:9115` },
    }));

/** Shared-platform mode's one limit: an AlertmanagerConfig's time intervals have no time zone. */
function utcWindowsWhenShared(
    c: { monitoring: { sharedAlertmanager: boolean }; alerting: { maintenanceWindows: Array<{ location: string }> } },
    ctx: z.RefinementCtx,
): void {
    if (!c.monitoring.sharedAlertmanager) return;
    c.alerting.maintenanceWindows.forEach((w, i) => {
        if (w.location !== "UTC") {
            ctx.addIssue({
                code: "custom",
                path: ["alerting", "maintenanceWindows", i, "location"],
                message: '"UTC" while monitoring.sharedAlertmanager is true (an AlertmanagerConfig\'s time intervals have no time zone)',
            });
        }
    });
}

const httpPath = z.string("a URL path such as /healthz").regex(/^\/[A-Za-z0-9._~/-]*$/, "a URL path such as /healthz");
const portName = z
    .string("a port name")
    .regex(/^[a-z]([-a-z0-9]{0,13}[a-z0-9])?$/, "a port name: lower-case letters, digits and '-', starting with a letter, at most 15");
const envName = /^[A-Z_][A-Z0-9_]*$/;
/** Set by the program itself: the HTTP port and the Secret-backed tokens. */
const programEnv = ["PORT", workload.authTokensEnv];

export const metricsEndpointSchema = z.strictObject({
    name: portName,
    port: intRange(1, 65535),
    path: httpPath,
    portEnv: z.string("an env var name").regex(envName, "an env var name such as OTEL_PROMETHEUS_PORT").optional(),
});

/**
 * The server profile: a named profile (components/server-profiles.ts) and, optionally, fields
 * that override it for a build that differs. Probe paths are not overridable: the policy pack
 * holds pods to their named profile's probes, so a server with other paths gets a profile of its
 * own, reviewed like any code. Resolves to the full `ServerProfile`.
 */
export const serverSchema = z
    .strictObject({
        profile: z.enum(serverProfileNames, `one of: ${serverProfileNames.join(", ")}`).default(defaultServerProfile),
        metricsEndpoints: z.array(metricsEndpointSchema, "a list of {name, port, path}").min(1, "at least one metrics endpoint").optional(),
        metrics: z.strictObject(metricsShape).optional(),
        durationUnit: z.enum(["s", "ms"], "s or ms (the units the rules can scale to seconds)").optional(),
        statusLabelFormat: z.enum(["code", "class"], 'code ("503") or class ("5xx")').optional(),
        requestSource: z.enum(requestSources, `one of: ${requestSources.join(", ")}`).optional(),
        env: z.record(z.string(), z.string("a string value")).optional(),
        workingDirectory: z
            .string("an absolute path")
            .regex(/^\/[A-Za-z0-9._-][A-Za-z0-9._/-]*$/, "an absolute path other than /")
            .optional(),
        command: z.array(z.string("a string"), "a list of strings").min(1, "at least the executable").optional(),
    })
    .superRefine((s, ctx) => {
        for (const key of Object.keys(s.env ?? {})) {
            if (!envName.test(key) || programEnv.includes(key)) {
                ctx.addIssue({
                    code: "custom",
                    path: ["env", key],
                    message: `an env var name ([A-Z_][A-Z0-9_]*) other than ${programEnv.join(" and ")}, which the program sets`,
                });
            }
        }
        const seen = new Map<string, number>();
        (s.metricsEndpoints ?? []).forEach((e, i) => {
            const http = e.name === workload.portName || e.port === workload.port;
            if (http && (e.name !== workload.portName || e.port !== workload.port)) {
                ctx.addIssue({
                    code: "custom",
                    path: ["metricsEndpoints", i, "name"],
                    message: `port name "${workload.portName}" exactly for port ${workload.port} (the HTTP port)`,
                });
            }
            if (seen.has(e.name) && seen.get(e.name) !== e.port) {
                ctx.addIssue({ code: "custom", path: ["metricsEndpoints", i, "name"], message: "one port per port name" });
            }
            seen.set(e.name, e.port);
        });
    })
    .transform((s): ResolvedServerProfile => {
        const base = serverProfiles[s.profile];
        // No keys holding undefined: the resolved profile compares equal to the named one.
        return dropUndefined({
            ...base,
            name: s.profile,
            metricsEndpoints: s.metricsEndpoints ?? base.metricsEndpoints,
            metrics: { ...base.metrics, ...dropUndefined(s.metrics ?? {}) },
            durationUnit: s.durationUnit ?? base.durationUnit,
            statusLabelFormat: s.statusLabelFormat ?? base.statusLabelFormat,
            requestSource: s.requestSource ?? base.requestSource,
            env: { ...base.env, ...s.env },
            workingDirectory: s.workingDirectory ?? base.workingDirectory,
            command: s.command ?? base.command,
        }) as ResolvedServerProfile;
    });

/** The active server profile: a named profile with the stack's overrides applied. */
export type ResolvedServerProfile = ServerProfile & { readonly name: ServerProfileName };

function dropUndefined<T extends object>(value: T): Partial<T> {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** One key per row of the guide's SLO table (`availabilityPercent`, `latencyP95Ms`, ...), its default the guide's target. */
export const sloSchema = z.strictObject(
    Object.fromEntries(
        sloRows.map((row) => [sloConfigKey(row), (sloTable[row].kind === "latency" ? intRange(1, 60000) : percentOpen()).default(sloDefaultTarget(row))]),
    ) as { [K in SloConfigKey]: z.ZodDefault<z.ZodNumber> },
);

/**
 * TaskMcpNamespace's args. The namespace's name is not among them: it is the guide's
 * (`workload.namespace`), which every query, scrape config, matcher and command uses.
 */
export const namespaceArgsSchema = z.strictObject({
    /** Pod Security Admission level, enforced, audited and warned. */
    podSecurity: z.enum(["restricted", "baseline"], '"restricted" or "baseline"').default("restricted"),
    /** Pulumi `protect`: `pulumi destroy` refuses to delete the namespace (and so everything in it). */
    protect: z.boolean("true or false").default(false),
    /** Extra labels. */
    labels: z.record(z.string("a label name"), z.string("a label value"), "a map of label names to values").default({}),
});

/** What a config parsed without a stack (unit tests' `{}`) is labelled; loaders set the stack's name. */
export const unnamedEnvironment = "unnamed";

/** The `environment` a stack gets when it sets none: its name, as a label value the key accepts. */
function defaultEnvironment(stack: string): string {
    return (
        stack
            .toLowerCase()
            .replace(/[^a-z0-9-]+/g, "-")
            .replace(/^-+|-+$/g, "")
            .slice(0, 32)
            .replace(/-+$/, "") || unnamedEnvironment
    );
}

/** Every non-secret key under `task-mcp:`: the stack config's keys, without the checks across keys (components pick their args from it). */
export const stackConfigFields = z.strictObject({
    image,
    /**
     * The `environment` label on every alert, shown in every notification so a dev page never
     * reads like a prod one. @default the stack's name (the loaders fill it in)
     */
    environment: z
        .string('a name such as "prod"')
        .regex(/^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/, 'a lower-case name such as "prod" (letters, digits, "-"; at most 32)')
        .optional(),
    /**
     * Write manifests to this directory (relative to the project) instead of applying them to a
     * cluster: the Kubernetes provider's render mode. @default unset (use the current kubeconfig)
     */
    renderDirectory: z
        .string("a relative directory path")
        .regex(/^(?!\/)(?!.*\.\.)[A-Za-z0-9_./-]+$/, "a relative directory path inside the project, without '..'")
        .optional(),
    replicas: replicasSchema.prefault({}),
    autoscaling: z
        .strictObject({
            cpuUtilizationPercent: intRange(1, 100).default(70),
            memoryUtilizationPercent: intRange(1, 100).default(80),
            scaleDownStabilizationSeconds: intRange(0, 3600).default(300),
        })
        .prefault({}),
    resources: resourcesSchema.prefault({}),
    /** Long enough for streaming (SSE) clients to drain. @default 60 */
    terminationGracePeriodSeconds: intRange(10, 3600).default(60),
    /** Pulumi `protect` on the namespace, so `pulumi destroy` cannot delete it by accident. */
    protectNamespace: z.boolean("true or false").default(false),
    /** Namespaces (besides the monitoring one) whose pods may reach port 3000. */
    ingressNamespaces: z.array(dnsLabel, "a list of namespace names").default(["ingress-nginx"]),
    /** TCP ports the pods may connect out to (DNS is always allowed). @default [443] */
    egressPorts: z.array(intRange(1, 65535), "a list of TCP port numbers").min(1, "at least one TCP port").default([443]),
    canary: canarySchema.prefault({}),
    monitoring: monitoringSchema.prefault({}),
    slo: sloSchema.prefault({}),
    /** How the deployed server really behaves: probes, metrics endpoints and names, env. */
    server: serverSchema.prefault({}),
    proxy: proxySchema.prefault({}),
    /**
     * Without `authTokens` the program generates one token (the random provider). Setting or
     * changing this label is the one way to rotate it: the next `pulumi up` replaces the token
     * and rolls the pods. @default unset (the token never changes)
     */
    authTokenRotation: z
        .string('a label such as "2026-11"')
        .regex(/^[A-Za-z0-9._-]{1,63}$/, 'a label such as "2026-11" (letters, digits, ".", "_", "-"; at most 63)')
        .optional(),
    alerting: alertingSchema.prefault({}),
});

/**
 * Where the proxy measures requests, its ports and the server's must all differ: a clash would
 * leave two listeners on one port of the pod.
 */
function portClashes(c: { server: ResolvedServerProfile; proxy: z.infer<typeof proxySchema> }, ctx: z.RefinementCtx): void {
    if (c.server.requestSource !== "proxy") return;
    const taken = new Map<number, string>([[workload.port, `the HTTP port`]]);
    for (const e of c.server.metricsEndpoints) if (e.port !== workload.port) taken.set(e.port, `server metrics endpoint ${e.name}`);
    for (const key of ["appPort", "healthPort", "metricsPort"] as const) {
        const port = c.proxy[key];
        const holder = taken.get(port);
        if (holder !== undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["proxy", key],
                message: `a port other than ${port} (${holder}): the proxy's ports, the HTTP port and the server's metrics ports must differ`,
            });
        } else taken.set(port, `proxy.${key}`);
    }
}

/** The whole stack config, with the checks across keys. */
export const stackConfigSchema = stackConfigFields.superRefine(utcWindowsWhenShared).superRefine(portClashes);

/**
 * TaskMcpService's settings: the stack keys the workload reads, and the namespace Prometheus runs
 * in (allowed to scrape). Defaults are the stack keys' own.
 */
export const serviceArgsSchema = stackConfigFields
    .pick({
        image: true,
        replicas: true,
        autoscaling: true,
        resources: true,
        terminationGracePeriodSeconds: true,
        ingressNamespaces: true,
        egressPorts: true,
        canary: true,
        server: true,
        proxy: true,
        authTokenRotation: true,
    })
    .extend({ monitoringNamespace: dnsLabel.default("monitoring") })
    .superRefine(portClashes);

/**
 * TaskMcpMonitoring's settings: the stack keys the rules, dashboards, scrape configs and routing
 * read (the SLOs, the server, the proxy, the pod's limits, where the platform runs, who is told).
 */
export const monitoringArgsSchema = stackConfigFields
    .pick({ environment: true, monitoring: true, alerting: true, slo: true, server: true, proxy: true, resources: true })
    .superRefine(utcWindowsWhenShared);

export type StackConfig = z.infer<typeof stackConfigSchema>;

/**
 * A stack's `<prefix>` keys (without the prefix) validated against the one schema, with what the
 * stack's name decides (`environment`): every loader, the program's and the scripts', goes here.
 */
export function parseStackConfig(raw: Record<string, unknown>, stack: string, keyPrefix: string): StackConfig {
    return parseConfig(stackConfigSchema, { environment: defaultEnvironment(stack), ...raw }, stack, keyPrefix);
}
export type ServiceSettings = z.infer<typeof serviceArgsSchema>;
export type MonitoringSettings = z.infer<typeof monitoringArgsSchema>;
export type AlertingConfig = StackConfig["alerting"];
export type MonitoringConfig = StackConfig["monitoring"];
export type SloConfig = StackConfig["slo"];
export type MaintenanceWindow = z.infer<typeof maintenanceWindowSchema>;
export type ProxyConfig = StackConfig["proxy"];
export type BlackboxExporterConfig = MonitoringConfig["blackboxExporter"];

/** Keys read with `getSecret`: they stay Pulumi secrets end to end and never pass the schema in plain text. */
export const secretKeys = ["slackWebhookUrl", "smtpPassword", "deadMansSwitchUrl", "authTokens"] as const;
export type SecretKey = (typeof secretKeys)[number];
