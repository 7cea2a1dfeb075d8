/**
 * Pure builders for the service's Kubernetes specs: plain settings in, plain objects out.
 * TaskMcpService turns them into resources; tests and the policy checks read them directly.
 */
import type * as k8s from "@pulumi/kubernetes";
import { workload } from "./contract";
import { ResolvedServerProfile, StackConfig } from "./config/schema";
import { imageReference } from "./image";
import { MetricsEndpoint } from "./server-profiles";

/** What the workload builders read: the service-related part of a validated stack config. */
export type WorkloadSettings = Pick<
    StackConfig,
    "image" | "replicas" | "autoscaling" | "resources" | "terminationGracePeriodSeconds" | "ingressNamespaces" | "egressPorts" | "canary" | "server" | "authTokenRotation"
> & { readonly monitoringNamespace: string };

/** The workload builders' view of a validated stack config. */
export function workloadSettings(config: StackConfig): WorkloadSettings {
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
export function canaryReplicas(settings: WorkloadSettings): number {
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

/** Metrics endpoints on ports other than the HTTP port: each needs a container and Service port. */
export function extraMetricsPorts(server: ResolvedServerProfile): MetricsEndpoint[] {
    const byName = new Map(server.metricsEndpoints.filter((e) => e.port !== workload.port).map((e) => [e.name, e]));
    return [...byName.values()];
}

/** The container's env: the HTTP port, the profile's env, the ports it reads from env, the tokens. */
export function containerEnv(server: ResolvedServerProfile): k8s.types.input.core.v1.EnvVar[] {
    const fromProfile = { ...server.env, ...Object.fromEntries(extraMetricsPorts(server).filter((e) => e.portEnv).map((e) => [e.portEnv!, String(e.port)])) };
    return [
        { name: "PORT", value: String(workload.port) },
        ...Object.entries(fromProfile)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([name, value]) => ({ name, value })),
        { name: workload.authTokensEnv, valueFrom: { secretKeyRef: { name: authSecretName, key: workload.authTokensEnv } } },
    ];
}

/** Scratch space: /tmp (an emptyDir of 64Mi) plus container logs. */
const ephemeralStorage = { request: "64Mi", limit: "256Mi" };

const httpProbe = (path: string, periodSeconds: number, failureThreshold: number) => ({
    httpGet: { path, port: workload.portName },
    periodSeconds,
    timeoutSeconds: 2,
    failureThreshold,
});

function podAnnotations(settings: WorkloadSettings): Record<string, string> {
    const rotation = settings.authTokenRotation;
    return { [serverProfileAnnotation]: settings.server.name, ...(rotation === undefined ? {} : { [tokenRotationAnnotation]: rotation }) };
}

export function podTemplate(settings: WorkloadSettings, track: Track, image: string): k8s.types.input.core.v1.PodTemplateSpec {
    const { server } = settings;
    const workDir = server.workingDirectory;
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
            containers: [
                {
                    name: workload.name,
                    image,
                    // Always: a re-pushed tag can never leave old pods on a stale image.
                    imagePullPolicy: "Always",
                    ...(server.command ? { command: [...server.command] } : {}),
                    ...(workDir ? { workingDir: workDir } : {}),
                    ports: [
                        { name: workload.portName, containerPort: workload.port, protocol: "TCP" },
                        ...extraMetricsPorts(server).map((e) => ({ name: e.name, containerPort: e.port, protocol: "TCP" })),
                    ],
                    env: containerEnv(server),
                    resources: {
                        requests: { ...settings.resources.requests, "ephemeral-storage": ephemeralStorage.request },
                        limits: { ...settings.resources.limits, "ephemeral-storage": ephemeralStorage.limit },
                    },
                    startupProbe: httpProbe(server.probes.startup, 2, 30),
                    livenessProbe: httpProbe(server.probes.liveness, 10, 3),
                    readinessProbe: httpProbe(server.probes.readiness, 5, 3),
                    securityContext: {
                        allowPrivilegeEscalation: false,
                        readOnlyRootFilesystem: true,
                        runAsNonRoot: true,
                        runAsUser: 10001,
                        runAsGroup: 10001,
                        capabilities: { drop: ["ALL"] },
                        seccompProfile: { type: "RuntimeDefault" },
                    },
                    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }, ...(workDir ? [{ name: "work", mountPath: workDir }] : [])],
                },
            ],
            // The root filesystem stays read-only; a server that must write gets an emptyDir as its working directory.
            volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }, ...(workDir ? [{ name: "work", emptyDir: { sizeLimit: "64Mi" } }] : [])],
        },
    };
}

/**
 * Stable track: no `replicas` at all, so the HPA (and `kubectl scale`) own the count and the
 * next `pulumi up` has no opinion to revert. Rolling updates never go below desired capacity.
 */
export function deploymentSpec(settings: WorkloadSettings, track: Track): k8s.types.input.apps.v1.DeploymentSpec {
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

export function serviceSpec(server: ResolvedServerProfile): k8s.types.input.core.v1.ServiceSpec {
    return {
        type: "ClusterIP",
        selector: appSelector,
        ports: [
            { name: workload.portName, port: workload.port, targetPort: workload.portName, protocol: "TCP" },
            ...extraMetricsPorts(server).map((e) => ({ name: e.name, port: e.port, targetPort: e.name, protocol: "TCP" })),
        ],
    };
}

export function hpaSpec(settings: WorkloadSettings): k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec {
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
            scaleDown: { stabilizationWindowSeconds: settings.autoscaling.scaleDownStabilizationSeconds, policies: [{ type: "Pods", value: 1, periodSeconds: 60 }] },
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
 * to other metrics ports from the monitoring namespace only; egress only to DNS and the
 * configured ports.
 */
export function networkPolicySpec(settings: WorkloadSettings): k8s.types.input.networking.v1.NetworkPolicySpec {
    const namespaces = [...new Set([workload.namespace, settings.monitoringNamespace, ...settings.ingressNamespaces])].sort();
    const metricsPorts = extraMetricsPorts(settings.server);
    return {
        podSelector: { matchLabels: appSelector },
        policyTypes: ["Ingress", "Egress"],
        egress: [
            { ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }] },
            { ports: settings.egressPorts.map((port) => ({ protocol: "TCP", port })) },
        ],
        ingress: [
            {
                from: [{ namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: namespaces }] } }],
                ports: [{ protocol: "TCP", port: workload.portName }],
            },
            ...(metricsPorts.length > 0
                ? [
                      {
                          from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": settings.monitoringNamespace } } }],
                          ports: metricsPorts.map((e) => ({ protocol: "TCP", port: e.name })),
                      },
                  ]
                : []),
        ],
    };
}
