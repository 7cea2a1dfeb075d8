/** kubectl and waits against the local control plane, shared by the cluster suites. */
import { spawnSync } from "child_process";
import { gunzipSync } from "zlib";
import { parse } from "yaml";
import { workload } from "../../components/contract";
import { clusterKubeconfig, clusterKubectl } from "../../scripts/lib/cluster";
import { generatedSecret, platform } from "../../scripts/lib/kube-prometheus-stack";
import { stepRecorder, TestStack } from "../../scripts/lib/test-stack";
import { waitFor } from "../live/processes";

/** Runs one of the guide's kubectl commands (without `-f`: the tests do not follow logs). */
export function kubectl(command: string): string {
    return clusterKubectl(...command.split(" ").slice(1).filter((a) => a !== "-f"));
}

export const json = (command: string) => JSON.parse(kubectl(`${command} -o json`));

/** Every object the program labels as the service's, in any namespace. */
export function labelledObjects(): string[] {
    const kinds = "namespace,deployment,replicaset,service,serviceaccount,secret,configmap,hpa,pdb,networkpolicy,servicemonitor,prometheusrule,alertmanagerconfig";
    return kubectl(`kubectl get ${kinds} -A -l ${workload.appLabel}=${workload.name} -o name`).split("\n").filter(Boolean).sort();
}

export function namespaceExists(): boolean {
    return spawnSync("kubectl", ["--kubeconfig", clusterKubeconfig, "get", "namespace", workload.namespace]).status === 0;
}

/** Waits until the Deployment is Available with `replicas` ready pods, and returns its status. */
export async function availableWith(replicas: number): Promise<{ availableReplicas?: number; replicas?: number }> {
    return waitFor(`${workload.name} Available with ${replicas} replicas`, async () => {
        const status = json(`kubectl get deployment ${workload.name} -n ${workload.namespace}`).status;
        const available = status.conditions?.some((c: { type: string; status: string }) => c.type === "Available" && c.status === "True");
        return available && status.availableReplicas === replicas && status.replicas === replicas ? status : undefined;
    }, 120_000, 1000);
}

/** What a preview of `stack` would change, one `op resource field,field` per resource. */
export async function previewChanges(stack: TestStack): Promise<string[]> {
    const recorder = stepRecorder();
    await stack.stack.preview({ diff: true, onEvent: recorder.onEvent });
    return recorder.steps.filter((st) => st.op !== "same").map((st) => `${st.op} ${st.name} ${st.diffs.join(",")}`);
}

/** One gzipped key of a Secret the operator generated in the monitoring namespace, as text. */
function generatedText(secret: string, key: string): string {
    const data = json(`kubectl get secret ${secret} -n ${platform.namespace}`).data;
    return gunzipSync(Buffer.from(data[key], "base64")).toString("utf8");
}

export interface GeneratedScrapeJob {
    job_name: string;
    metrics_path?: string;
    kubernetes_sd_configs: Array<{ namespaces: { names: string[] } }>;
    relabel_configs: unknown[];
}

/** The scrape jobs in the config the prometheus-operator generated (its Secret, gzipped YAML). */
export function operatorScrapeJobs(): GeneratedScrapeJob[] {
    return parse(generatedText(generatedSecret.prometheus(platform.prometheus), "prometheus.yaml.gz")).scrape_configs ?? [];
}

/** Every alert name in the rule files the operator generated for its Prometheus. */
export function operatorAlertNames(): string[] {
    const maps = json(`kubectl get configmap -n ${platform.namespace} -l prometheus-name=${platform.prometheus}`).items as Array<{ data?: Record<string, string> }>;
    return maps.flatMap((m) => Object.values(m.data ?? {})).flatMap((file) =>
        (parse(file).groups as Array<{ rules: Array<{ alert?: string }> }>).flatMap((g) => g.rules.flatMap((r) => (r.alert ? [r.alert] : []))),
    );
}

/** Our PrometheusRule as the operator wrote it into its rule files (the YAML Prometheus loads), if it has. */
export function operatorRuleFile(): string | undefined {
    const maps = json(`kubectl get configmap -n ${platform.namespace} -l prometheus-name=${platform.prometheus}`).items as Array<{ data?: Record<string, string> }>;
    const ours = maps.flatMap((m) => Object.entries(m.data ?? {})).find(([key]) => key.startsWith(`${workload.namespace}-${workload.name}-`));
    return ours?.[1];
}

/** alertmanager.yaml as the operator generated it for one of the platform's Alertmanagers (gzipped in its Secret). */
export function operatorAlertmanagerConfig(alertmanager: string): string {
    return generatedText(generatedSecret.alertmanager(alertmanager), "alertmanager.yaml.gz");
}
