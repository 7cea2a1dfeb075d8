import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { workload } from "./contract";
import type { TaskMcpNamespace } from "./namespace";
import { parseConfig } from "./config/errors";
import { validated } from "./config/load";
import { serviceArgsSchema, ServiceSettings } from "./config/schema";
import type { z } from "zod";
import { authSecretName, canaryName, deploymentSpec, hpaSpec, networkPolicySpec, pdbSpec, proxied, proxyConfigMapName, serviceSpec } from "./workload";
import { proxyConfigText } from "./proxy";

export interface TaskMcpServiceArgs {
    /** The namespace (the guide's, fixed); its objects are created after it. */
    readonly namespace: TaskMcpNamespace;
    /**
     * Image, replicas, resources, server profile, proxy, ...: the stack keys the workload reads,
     * already validated: by the stack's loader (TaskMcpStack passes `workloadSettings(config)`),
     * or by `serviceSettings()` for a service declared on its own.
     */
    readonly settings: ServiceSettings;
    /** Bearer tokens for AUTH_TOKENS (comma-separated). @default one generated 48-character token */
    readonly authTokens?: pulumi.Input<string>;
}

/**
 * Settings for a TaskMcpService used on its own: `input` validated against the stack keys'
 * schema, defaults applied (`serviceArgsSchema`). A bad value throws one message naming
 * `<label>.<key>`, before any resource exists.
 */
export function serviceSettings(input: z.input<typeof serviceArgsSchema>, label = "TaskMcpService"): ServiceSettings {
    return validated(() => parseConfig(serviceArgsSchema, input, pulumi.getStack(), `${label}.`));
}

/** The generated token is replaced when, and only when, its keepers change. */
function tokenKeepers(rotation: string | undefined): Record<string, string> | undefined {
    return rotation === undefined ? undefined : { rotation };
}

/**
 * The task-mcp-http workload: ServiceAccount, auth Secret, the proxy's ConfigMap (where a proxy
 * measures requests), Deployment (and optional canary), Service, HPA, PodDisruptionBudget and
 * NetworkPolicy.
 */
export class TaskMcpService extends pulumi.ComponentResource {
    public readonly settings: ServiceSettings;
    public readonly deployment: k8s.apps.v1.Deployment;
    public readonly canary?: k8s.apps.v1.Deployment;
    public readonly service: k8s.core.v1.Service;
    /** The AUTH_TOKENS value, always a secret. */
    public readonly authTokens: pulumi.Output<string>;

    constructor(name: string, args: TaskMcpServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("task-mcp:index:TaskMcpService", name, {}, opts);
        const { namespace, authTokens, settings } = args;
        this.settings = settings;
        const child = { parent: this };
        // Fixed names (the guide's commands use them) mean a replacement must delete first.
        const named = { parent: this, deleteBeforeReplace: true };
        const meta = (resourceName: string) => ({ name: resourceName, namespace: namespace.name, labels: { [workload.appLabel]: workload.name } });

        const serviceAccount = new k8s.core.v1.ServiceAccount(`${name}-sa`, { metadata: meta(workload.name), automountServiceAccountToken: false }, named);

        this.authTokens = pulumi.secret(
            authTokens ??
                new random.RandomPassword(`${name}-token`, { length: 48, special: false, keepers: tokenKeepers(settings.authTokenRotation) }, child).result,
        );
        const authSecret = new k8s.core.v1.Secret(
            `${name}-auth`,
            { metadata: meta(authSecretName), type: "Opaque", stringData: { [workload.authTokensEnv]: this.authTokens } },
            named,
        );

        const proxyConfigMap = proxied(settings)
            ? [
                  new k8s.core.v1.ConfigMap(
                      `${name}-proxy`,
                      { metadata: meta(proxyConfigMapName), data: { "caddy.json": proxyConfigText(settings.proxy) } },
                      named,
                  ),
              ]
            : [];
        const podDeps = { ...named, dependsOn: [serviceAccount, authSecret, ...proxyConfigMap] };
        this.deployment = new k8s.apps.v1.Deployment(
            `${name}-deployment`,
            { metadata: meta(workload.name), spec: deploymentSpec(settings, "stable") },
            podDeps,
        );
        if (settings.canary.enabled) {
            this.canary = new k8s.apps.v1.Deployment(`${name}-canary`, { metadata: meta(canaryName), spec: deploymentSpec(settings, "canary") }, podDeps);
        }
        this.service = new k8s.core.v1.Service(`${name}-service`, { metadata: meta(workload.name), spec: serviceSpec(settings) }, named);
        new k8s.autoscaling.v2.HorizontalPodAutoscaler(
            `${name}-hpa`,
            { metadata: meta(workload.name), spec: hpaSpec(settings) },
            { ...named, dependsOn: [this.deployment] },
        );
        new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, { metadata: meta(workload.name), spec: pdbSpec() }, named);
        new k8s.networking.v1.NetworkPolicy(`${name}-netpol`, { metadata: meta(workload.name), spec: networkPolicySpec(settings) }, named);

        this.registerOutputs({ deployment: this.deployment.metadata.name, service: this.service.metadata.name, authTokens: this.authTokens });
    }
}
