/**
 * What a policy check sees: a resource's type token and its inputs as plain JSON, the shape
 * @pulumi/policy passes and the pure builders in components/ produce. Checks are pure functions
 * of this, so unit tests run them on the builders' output without an engine.
 */
export interface CheckedResource {
    /** Pulumi type token, e.g. `kubernetes:apps/v1:Deployment`. */
    readonly type: string;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- whatever the provider sends; each check reads only the paths it knows
    readonly props: Record<string, any>;
}

/** A check returns one message per violation; none means the resource passes. */
export type Check = (resource: CheckedResource) => string[];

export interface Container {
    name: string;
    image?: string;
    env?: { name: string; value?: string; valueFrom?: unknown }[];
    resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
    startupProbe?: Probe;
    livenessProbe?: Probe;
    readinessProbe?: Probe;
    securityContext?: SecurityContext;
    ports?: { name: string; containerPort: number }[];
}

export interface Probe {
    httpGet?: { path?: string; port?: string | number };
}

export interface SecurityContext {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    privileged?: boolean;
    allowPrivilegeEscalation?: boolean;
    capabilities?: { add?: string[]; drop?: string[] };
    seccompProfile?: { type?: string };
}

export interface PodSpec {
    containers?: Container[];
    initContainers?: Container[];
    securityContext?: SecurityContext;
    hostNetwork?: boolean;
    hostPID?: boolean;
    hostIPC?: boolean;
    volumes?: { name: string; hostPath?: unknown }[];
}

/** Where each workload kind keeps its pod spec. */
const podSpecPaths: Record<string, string[]> = {
    "kubernetes:core/v1:Pod": ["spec"],
    "kubernetes:apps/v1:Deployment": ["spec", "template", "spec"],
    "kubernetes:apps/v1:StatefulSet": ["spec", "template", "spec"],
    "kubernetes:apps/v1:DaemonSet": ["spec", "template", "spec"],
    "kubernetes:apps/v1:ReplicaSet": ["spec", "template", "spec"],
    "kubernetes:batch/v1:Job": ["spec", "template", "spec"],
    "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
};

/** The value at `path` under a resource's props. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an untyped walk; callers type what they read
function at(resource: CheckedResource, path: string[]): any {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
    let node: any = resource.props;
    for (const key of path) node = node?.[key];
    return node;
}

/** The pod spec of a workload, or undefined for kinds that run no pods. */
export function podSpecOf(resource: CheckedResource): PodSpec | undefined {
    const path = podSpecPaths[resource.type];
    return path ? (at(resource, path) ?? {}) : undefined;
}

/** Every container of a pod spec, init containers included. */
export function containersOf(spec: PodSpec): Container[] {
    return [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
}

/** Annotations of a workload's pod template (of the resource itself for a Pod). */
export function podTemplateAnnotationsOf(resource: CheckedResource): Record<string, string> {
    const path = podSpecPaths[resource.type];
    return path ? (at(resource, path.slice(0, -1))?.metadata?.annotations ?? {}) : {};
}

export function labelsOf(resource: CheckedResource): Record<string, string> {
    return resource.props.metadata?.labels ?? {};
}
