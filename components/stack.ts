import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { LoadedConfig } from "./config/load";
import { serviceUrl } from "./contract";
import { TaskMcpMonitoring } from "./monitoring/component";
import { workloadSettings } from "./workload";
import { routingSecretKeys } from "./monitoring/routing";
import { TaskMcpNamespace } from "./namespace";
import { TaskMcpService } from "./service";

export type TaskMcpStackArgs = Pick<LoadedConfig, "config" | "secrets">;

/** Everything the operations guide relies on, for one stack: the one thing index.ts instantiates. */
export class TaskMcpStack extends pulumi.ComponentResource {
    public readonly namespace: pulumi.Output<string>;
    public readonly serviceUrl: string;
    public readonly dashboardUids: string[];
    public readonly authTokens: pulumi.Output<string>;

    constructor(name: string, args: TaskMcpStackArgs, opts?: pulumi.ComponentResourceOptions) {
        super("task-mcp:index:TaskMcpStack", name, {}, opts);
        const { config, secrets } = args;
        // Render mode: the same resources, written as YAML instead of sent to a cluster. The
        // empty kubeconfig keeps a KUBECONFIG in the environment from being picked up (the
        // provider refuses both at once).
        const render = config.renderDirectory
            ? new k8s.Provider(`${name}-render`, { renderYamlToDirectory: config.renderDirectory, kubeconfig: "" }, { parent: this })
            : undefined;
        const child = { parent: this, ...(render ? { providers: [render] } : {}) };
        const ns = new TaskMcpNamespace(`${name}-ns`, { protect: config.protectNamespace }, child);
        const service = new TaskMcpService(`${name}-svc`, { namespace: ns, settings: workloadSettings(config), authTokens: secrets.authTokens }, child);
        const monitoring = new TaskMcpMonitoring(
            `${name}-mon`,
            { namespace: ns, settings: config, secrets: Object.fromEntries(routingSecretKeys.map((key) => [key, secrets[key]])) },
            { ...child, dependsOn: [service] },
        );
        this.namespace = ns.name;
        this.serviceUrl = serviceUrl;
        this.dashboardUids = monitoring.dashboardUids;
        this.authTokens = service.authTokens;
        this.registerOutputs({ namespace: this.namespace, serviceUrl, dashboardUids: this.dashboardUids, authTokens: this.authTokens });
    }
}
