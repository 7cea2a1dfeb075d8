/**
 * Pure builders for the service's Kubernetes specs: plain settings in, plain objects out.
 * TaskMcpService turns them into resources; tests and the policy checks read them directly.
 */
import type * as k8s from "@pulumi/kubernetes";
import { createHash } from "crypto";
import { workload } from "./contract";
import { ServiceSettings, StackConfig } from "./config/schema";
import { imageReference } from "./image";
import { appPortName, proxyConfigDir, proxyConfigFile, proxyConfigText, proxyContainer, proxyPortNames } from "./proxy";
import { MetricsEndpoint, ServerProfile } from "./server-profiles";

/**
 * A validated stack config as TaskMcpService's settings (no validation here: the loader did it).
 * A service declared on its own validates its input with `serviceSettings()` instead.
 */
export function workloadSettings(config: StackConfig): ServiceSettings {
    return { ...config, monitoringNamespace: config.monitoring.namespace };
}

export type Track = "stable" | "canary";

export const authSecretName = `${workload.name}-auth`;
export const canaryName = `${workload.name}-canary`;

/** Labels every pod of the service carries; the Service selects on `app` only, so both tracks serve. */
export const appSelector = { [workload.appLabel]: workload.name };

export function podLabels(track: Track, image: string): Record<string, string> {
    const ref = imageReference(image);
    const version = ref.digest ? ref.digest.slice(0, 12) : ref.tag!;
    return {
        ...appSelector,
        track,
        "app.kubernetes.io/name": workload.name,
        "app.kubernetes.io/part-of": "task-mcp",
        "app.kubernetes.io/version": version,
    };
}

/** Pods a canary runs: its share of pods behind the Service, relative to the stable minimum. */
export function canaryReplicas(settings: ServiceSettings): number {
    const w = settings.canary.weightPercent;
    return Math.max(1, Math.round((settings.replicas.min * w) / (100 - w)));
}

/** Pod annotation naming the server profile the pods were built for (read by the policy pack). */
export const serverProfileAnnotation = "task-mcp.io/server-profile";
/**
 * Pod annotation carrying `authTokenRotation`: the server reads AUTH_TOKENS only at start, so a
 * rotated token must roll the pods, and a new label does.
 */
export const tokenRotationAnnotation = "task-mcp.io/auth-token-rotation";

/** Pod annotation carrying a hash of the proxy's config: a changed config rolls the pods. */
export const proxyConfigAnnotation = "task-mcp.io/proxy-config-sha256";
/** The ConfigMap holding the proxy's config. */
export const proxyConfigMapName = `${workload.name}-proxy`;

type PortSettings = Pick<ServiceSettings, "server" | "proxy">;

/** Whether a proxy in the pod measures requests (the profile's `requestSource`). */
export const proxied = (s: Pick<ServiceSettings, "server">) => s.server.requestSource === "proxy";

/** The port the app listens on: the guide's, or the one behind the proxy. */
export function appPort(s: PortSettings): { name: string; port: number } {
    return proxied(s) ? { name: appPortName, port: s.proxy.appPort } : { name: workload.portName, port: workload.port };
}

/**
 * The name a server metrics endpoint is scraped under (the ServiceMonitor's `endpoint` label): one
 * on the HTTP port is the app's own port behind a proxy, so scrapes never pass through it.
 */
export function appEndpointName(server: Pick<ServerProfile, "requestSource">, e: MetricsEndpoint): string {
    return e.port === workload.port && server.requestSource === "proxy" ? appPortName : e.name;
}

/** What Prometheus scrapes, as the pod serves it: the server's metrics endpoints and the proxy's own. */
export function podMetricsEndpoints(s: PortSettings): MetricsEndpoint[] {
    const app = appPort(s);
    const server = s.server.metricsEndpoints.map((e) => (e.port === workload.port ? { ...e, name: appEndpointName(s.server, e), port: app.port } : e));
    const proxy = proxied(s) ? [{ name: proxyPortNames.metrics, port: s.proxy.metricsPort, path: "/metrics" }] : [];
    return [...new Map([...server, ...proxy].map((e) => [e.name, e])).values()];
}

/** The app container's ports: its own port and the server's metrics ports. */
function appContainerPorts(s: PortSettings): Array<{ name: string; containerPort: number; protocol: string }> {
    const app = appPort(s);
    const metrics = s.server.metricsEndpoints.filter((e) => e.port !== workload.port);
    return [...new Map([app, ...metrics].map((e) => [e.name, { name: e.name, containerPort: e.port, protocol: "TCP" }])).values()];
}

function proxyContainerPorts(s: PortSettings) {
    return [
        { name: workload.portName, containerPort: workload.port, protocol: "TCP" },
        { name: proxyPortNames.health, containerPort: s.proxy.healthPort, protocol: "TCP" },
        { name: proxyPortNames.metrics, containerPort: s.proxy.metricsPort, protocol: "TCP" },
    ];
}

/** Every named port of the pod; the Service exposes each under the same number. */
export function podPorts(s: PortSettings) {
    return [...(proxied(s) ? proxyContainerPorts(s) : []), ...appContainerPorts(s)];
}

/** The container's env: the app's port, the profile's env, the ports it reads from env, the tokens. */
export function containerEnv(s: PortSettings): k8s.types.input.core.v1.EnvVar[] {
    const { server } = s;
    const fromProfile = {
        ...server.env,
        ...Object.fromEntries(
            podMetricsEndpoints(s)
                .filter((e) => e.portEnv)
                .map((e) => [e.portEnv!, String(e.port)]),
        ),
    };
    return [
        { name: "PORT", value: String(appPort(s).port) },
        ...Object.entries(fromProfile)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([name, value]) => ({ name, value })),
        { name: workload.authTokensEnv, valueFrom: { secretKeyRef: { name: authSecretName, key: workload.authTokensEnv } } },
    ];
}

/** Pod Security `restricted`: non-root, no escalation, no capabilities, read-only root. */
const restrictedContainer = {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    runAsUser: 10001,
    runAsGroup: 10001,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
};

/** The proxy writes nothing but its logs (and a state directory it never fills with TLS off). */
const proxyEphemeralStorage = { request: "16Mi", limit: "64Mi" };

/** Caddy's state directory (XDG_DATA_HOME, XDG_CONFIG_HOME): an emptyDir, the root filesystem stays read-only. */
const proxyStateDir = "/var/lib/caddy";

/**
 * The proxy as a native sidecar (an init container with restartPolicy Always): it starts, and is
 * Ready, before the app, and stops after it, so no request reaches a pod without a proxy.
 */
export function proxySidecar(s: PortSettings): k8s.types.input.core.v1.Container {
    const { proxy } = s;
    return {
        name: proxyContainer,
        image: proxy.image,
        imagePullPolicy: "Always",
        restartPolicy: "Always",
        command: ["caddy", "run", "--config", proxyConfigFile],
        ports: proxyContainerPorts(s),
        env: [
            { name: "XDG_CONFIG_HOME", value: `${proxyStateDir}/config` },
            { name: "XDG_DATA_HOME", value: `${proxyStateDir}/data` },
        ],
        resources: {
            requests: { ...proxy.resources.requests, "ephemeral-storage": proxyEphemeralStorage.request },
            limits: { ...proxy.resources.limits, "ephemeral-storage": proxyEphemeralStorage.limit },
        },
        // Its own metrics listener: Ready once Caddy serves, whatever the app does.
        startupProbe: { httpGet: { path: "/metrics", port: proxyPortNames.metrics }, periodSeconds: 1, failureThreshold: 30 },
        readinessProbe: { httpGet: { path: "/metrics", port: proxyPortNames.metrics }, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
        // The official image's /usr/bin/caddy carries the file capability cap_net_bind_service=+ep,
        // and the kernel refuses to exec such a binary when the capability is outside the bounding
        // set: with ALL dropped the sidecar could not start. Adding it back is the one addition
        // Pod Security `restricted` allows; the proxy's ports are unprivileged anyway.
        securityContext: { ...restrictedContainer, capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } },
        volumeMounts: [
            { name: "proxy-config", mountPath: proxyConfigDir, readOnly: true },
            { name: "proxy-state", mountPath: proxyStateDir },
        ],
    };
}

/** Scratch space: /tmp (an emptyDir of 64Mi) plus container logs. */
const ephemeralStorage = { request: "64Mi", limit: "256Mi" };

const httpProbe = (port: string, path: string, periodSeconds: number, failureThreshold: number) => ({
    httpGet: { path, port },
    periodSeconds,
    timeoutSeconds: 2,
    failureThreshold,
});

function podAnnotations(settings: ServiceSettings): Record<string, string> {
    const rotation = settings.authTokenRotation;
    const proxyHash = proxied(settings) ? createHash("sha256").update(proxyConfigText(settings.proxy)).digest("hex") : undefined;
    return {
        [serverProfileAnnotation]: settings.server.name,
        ...(rotation === undefined ? {} : { [tokenRotationAnnotation]: rotation }),
        ...(proxyHash === undefined ? {} : { [proxyConfigAnnotation]: proxyHash }),
    };
}

export function podTemplate(settings: ServiceSettings, track: Track, image: string): k8s.types.input.core.v1.PodTemplateSpec {
    const { server } = settings;
    const workDir = server.workingDirectory;
    const app = appPort(settings).name;
    return {
        metadata: { labels: podLabels(track, image), annotations: podAnnotations(settings) },
        spec: {
            serviceAccountName: workload.name,
            automountServiceAccountToken: false,
            // Long enough for streaming (SSE) clients to finish or reconnect elsewhere.
            terminationGracePeriodSeconds: settings.terminationGracePeriodSeconds,
            securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } },
            affinity: {
                podAntiAffinity: {
                    preferredDuringSchedulingIgnoredDuringExecution: [
                        { weight: 100, podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: appSelector } } },
                    ],
                },
            },
            topologySpreadConstraints: [
                { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: appSelector } },
            ],
            ...(proxied(settings) ? { initContainers: [proxySidecar(settings)] } : {}),
            containers: [
                {
                    name: workload.name,
                    image,
                    // Always: a re-pushed tag can never leave old pods on a stale image.
                    imagePullPolicy: "Always",
                    ...(server.command ? { command: [...server.command] } : {}),
                    ...(workDir ? { workingDir: workDir } : {}),
                    ports: appContainerPorts(settings),
                    env: containerEnv(settings),
                    resources: {
                        requests: { ...settings.resources.requests, "ephemeral-storage": ephemeralStorage.request },
                        limits: { ...settings.resources.limits, "ephemeral-storage": ephemeralStorage.limit },
                    },
                    // On the app's own port: probes never pass through the proxy or count in its SLIs.
                    startupProbe: httpProbe(app, server.probes.startup, 2, 30),
                    livenessProbe: httpProbe(app, server.probes.liveness, 10, 3),
                    readinessProbe: httpProbe(app, server.probes.readiness, 5, 3),
                    securityContext: restrictedContainer,
                    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }, ...(workDir ? [{ name: "work", mountPath: workDir }] : [])],
                },
            ],
            // The root filesystem stays read-only; a server that must write gets an emptyDir as its working directory.
            volumes: [
                { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
                ...(workDir ? [{ name: "work", emptyDir: { sizeLimit: "64Mi" } }] : []),
                ...(proxied(settings)
                    ? [
                          { name: "proxy-config", configMap: { name: proxyConfigMapName } },
                          { name: "proxy-state", emptyDir: { sizeLimit: "16Mi" } },
                      ]
                    : []),
            ],
        },
    };
}

/**
 * Stable track: no `replicas` at all, so the HPA (and `kubectl scale`) own the count and the
 * next `pulumi up` has no opinion to revert. Rolling updates never go below desired capacity.
 */
export function deploymentSpec(settings: ServiceSettings, track: Track): k8s.types.input.apps.v1.DeploymentSpec {
    const image = track === "canary" ? settings.canary.image! : settings.image;
    return {
        ...(track === "canary" ? { replicas: canaryReplicas(settings) } : {}),
        selector: { matchLabels: { ...appSelector, track } },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" } },
        minReadySeconds: 5,
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
        template: podTemplate(settings, track, image),
    };
}

/**
 * The guide's port 3000 (through the proxy where there is one) and each other named port of the
 * pod. Target ports are numbers: a named port of a native sidecar resolves only on newer
 * clusters (Kubernetes 1.32) and network plugins.
 */
export function serviceSpec(s: PortSettings): k8s.types.input.core.v1.ServiceSpec {
    return {
        type: "ClusterIP",
        selector: appSelector,
        ports: podPorts(s).map((p) => ({ name: p.name, port: p.containerPort, targetPort: p.containerPort, protocol: "TCP" })),
    };
}

export function hpaSpec(settings: ServiceSettings): k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec {
    const utilization = (name: string, averageUtilization: number) => ({
        type: "Resource",
        resource: { name, target: { type: "Utilization", averageUtilization } },
    });
    return {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: workload.name },
        minReplicas: settings.replicas.min,
        maxReplicas: settings.replicas.max,
        metrics: [utilization("cpu", settings.autoscaling.cpuUtilizationPercent), utilization("memory", settings.autoscaling.memoryUtilizationPercent)],
        behavior: {
            scaleDown: {
                stabilizationWindowSeconds: settings.autoscaling.scaleDownStabilizationSeconds,
                policies: [{ type: "Pods", value: 1, periodSeconds: 60 }],
            },
            scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: "Percent", value: 100, periodSeconds: 30 }] },
        },
    };
}

/** maxUnavailable 1 (not minAvailable): a drain always makes progress, even at one replica. */
export function pdbSpec(): k8s.types.input.policy.v1.PodDisruptionBudgetSpec {
    return { maxUnavailable: 1, selector: { matchLabels: { ...appSelector, track: "stable" } } };
}

/**
 * Ingress to the HTTP port only from the configured namespaces, the monitoring one and our own;
 * to every other port (the app's own behind a proxy, metrics, the probe's) from the monitoring
 * namespace only; egress only to DNS and the
 * configured ports.
 */
export function networkPolicySpec(settings: ServiceSettings): k8s.types.input.networking.v1.NetworkPolicySpec {
    const namespaces = [...new Set([workload.namespace, settings.monitoringNamespace, ...settings.ingressNamespaces])].sort();
    const monitoringPorts = podPorts(settings).filter((p) => p.name !== workload.portName);
    return {
        podSelector: { matchLabels: appSelector },
        policyTypes: ["Ingress", "Egress"],
        egress: [
            {
                ports: [
                    { protocol: "UDP", port: 53 },
                    { protocol: "TCP", port: 53 },
                ],
            },
            { ports: settings.egressPorts.map((port) => ({ protocol: "TCP", port })) },
        ],
        ingress: [
            {
                from: [{ namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: namespaces }] } }],
                ports: [{ protocol: "TCP", port: workload.port }],
            },
            ...(monitoringPorts.length > 0
                ? [
                      {
                          from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": settings.monitoringNamespace } } }],
                          ports: monitoringPorts.map((p) => ({ protocol: "TCP", port: p.containerPort })),
                      },
                  ]
                : []),
        ],
    };
}
