import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { workload } from "./contract";
import { parseConfig } from "./config/errors";
import { validated } from "./config/load";
import { namespaceArgsSchema } from "./config/schema";

/** @default { podSecurity: "restricted", protect: false, labels: {} } (see namespaceArgsSchema) */
export type TaskMcpNamespaceArgs = z.input<typeof namespaceArgsSchema>;

/**
 * The service's namespace, named as the guide names it (`task-mcp`), with Pod Security
 * Admission labels. Components that live in it take this component, not a name.
 */
export class TaskMcpNamespace extends pulumi.ComponentResource {
    public readonly namespace: k8s.core.v1.Namespace;
    /** The namespace name, known once the namespace exists: depend on it to order children. */
    public readonly name: pulumi.Output<string>;

    constructor(name: string, args: TaskMcpNamespaceArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("task-mcp:index:TaskMcpNamespace", name, {}, opts);
        const { podSecurity, protect, labels } = validated(() => parseConfig(namespaceArgsSchema, args, pulumi.getStack(), `${name}.`));
        const podSecurityLabels = Object.fromEntries(
            ["enforce", "audit", "warn"].flatMap((mode) => [
                [`pod-security.kubernetes.io/${mode}`, podSecurity],
                [`pod-security.kubernetes.io/${mode}-version`, "latest"],
            ]),
        );
        this.namespace = new k8s.core.v1.Namespace(
            `${name}-namespace`,
            { metadata: { name: workload.namespace, labels: { ...labels, ...podSecurityLabels } } },
            { parent: this, protect },
        );
        this.name = this.namespace.metadata.name;
        this.registerOutputs({ name: this.name });
    }
}
