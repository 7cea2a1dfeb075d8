import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { workload } from "./contract";

export interface TaskMcpNamespaceArgs {
    /** @default "task-mcp" (the operations guide's namespace) */
    readonly name?: string;
    /** Pod Security Admission level, enforced, audited and warned. @default "restricted" */
    readonly podSecurity?: "restricted" | "baseline";
    /** Pulumi `protect`: `pulumi destroy` refuses to delete the namespace (and so everything in it). @default false */
    readonly protect?: boolean;
    /** Extra labels. @default {} */
    readonly labels?: Record<string, string>;
}

/** The service's namespace, with Pod Security Admission labels. */
export class TaskMcpNamespace extends pulumi.ComponentResource {
    public readonly namespace: k8s.core.v1.Namespace;
    /** The namespace name, known once the namespace exists: depend on it to order children. */
    public readonly name: pulumi.Output<string>;

    constructor(name: string, args: TaskMcpNamespaceArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("task-mcp:index:TaskMcpNamespace", name, {}, opts);
        const level = args.podSecurity ?? "restricted";
        const podSecurityLabels = Object.fromEntries(
            ["enforce", "audit", "warn"].flatMap((mode) => [
                [`pod-security.kubernetes.io/${mode}`, level],
                [`pod-security.kubernetes.io/${mode}-version`, "latest"],
            ]),
        );
        this.namespace = new k8s.core.v1.Namespace(
            `${name}-namespace`,
            { metadata: { name: args.name ?? workload.namespace, labels: { ...args.labels, ...podSecurityLabels } } },
            { parent: this, protect: args.protect ?? false },
        );
        this.name = this.namespace.metadata.name;
        this.registerOutputs({ name: this.name });
    }
}
