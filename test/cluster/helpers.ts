/** kubectl and waits against the local control plane, shared by the cluster suites. */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { gunzipSync } from "zlib";
import { parse } from "yaml";
import { workload } from "../../components/contract";
import { clusterKubeconfig, clusterKubectl, kubectlBin } from "../../scripts/lib/cluster";
import { generatedSecret, platform } from "../../scripts/lib/kube-prometheus-stack";
import { stateResources, stepRecorder, TestStack } from "../support/test-stack";
import { host, waitFor } from "../support/processes";

/** Runs one of the guide's kubectl commands (without `-f`: the tests do not follow logs). */
export function kubectl(command: string): string {
    return clusterKubectl(
        ...command
            .split(" ")
            .slice(1)
            .filter((a) => a !== "-f"),
    );
}

export const json = (command: string) => JSON.parse(kubectl(`${command} -o json`));

/** Every object the program labels as the service's, in any namespace. */
export function labelledObjects(): string[] {
    const kinds =
        "namespace,deployment,replicaset,service,serviceaccount,secret,configmap,hpa,pdb,networkpolicy,servicemonitor,probe,prometheusrule,alertmanagerconfig";
    return kubectl(`kubectl get ${kinds} -A -l ${workload.appLabel}=${workload.name} -o name`).split("\n").filter(Boolean).sort();
}

export function namespaceExists(): boolean {
    return spawnSync(kubectlBin, ["--kubeconfig", clusterKubeconfig, "get", "namespace", workload.namespace]).status === 0;
}

/** Waits until the Deployment is Available with `replicas` ready pods, and returns its status. */
export async function availableWith(replicas: number): Promise<{ availableReplicas?: number; replicas?: number }> {
    return waitFor(
        `${workload.name} Available with ${replicas} replicas`,
        async () => {
            const status = json(`kubectl get deployment ${workload.name} -n ${workload.namespace}`).status;
            const available = status.conditions?.some((c: { type: string; status: string }) => c.type === "Available" && c.status === "True");
            return available && status.availableReplicas === replicas && status.replicas === replicas ? status : undefined;
        },
        120_000,
        1000,
    );
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
    params?: Record<string, string[]>;
    static_configs?: Array<{ targets: string[] }>;
    kubernetes_sd_configs: Array<{ namespaces: { names: string[] } }>;
    relabel_configs: unknown[];
}

/** A relabel rule appended to one generated job, standing in for a cluster DNS name on loopback. */
export interface JobRelabel {
    readonly job: string;
    readonly source_labels: string[];
    readonly regex: string;
    readonly target_label: string;
    readonly replacement: string;
}

/** The scrape jobs in the config the prometheus-operator generated (its Secret, gzipped YAML). */
export function operatorScrapeJobs(): GeneratedScrapeJob[] {
    return parse(generatedText(generatedSecret.prometheus(platform.prometheus), "prometheus.yaml.gz")).scrape_configs ?? [];
}

/** The rule files the operator generated for its Prometheus: ConfigMap name, file name, text. */
function operatorRuleFiles(): Array<{ configMap: string; file: string; text: string }> {
    const maps = json(`kubectl get configmap -n ${platform.namespace} -l prometheus-name=${platform.prometheus}`).items as Array<{
        metadata: { name: string };
        data?: Record<string, string>;
    }>;
    return maps.flatMap((m) => Object.entries(m.data ?? {}).map(([file, text]) => ({ configMap: m.metadata.name, file, text })));
}

/** Every alert name in the rule files the operator generated for its Prometheus. */
export function operatorAlertNames(): string[] {
    return operatorRuleFiles().flatMap(({ text }) =>
        (parse(text).groups as Array<{ rules: Array<{ alert?: string }> }>).flatMap((g) => g.rules.flatMap((r) => (r.alert ? [r.alert] : []))),
    );
}

/** Our PrometheusRule as the operator wrote it into its rule files (the YAML Prometheus loads), if it has. */
export function operatorRuleFile(): string | undefined {
    return operatorRuleFiles().find(({ file }) => file.startsWith(`${workload.namespace}-${workload.name}-`))?.text;
}

/** A port of a Service's pods, and the loopback port of the process standing in for them. */
export interface LoopbackAddress {
    readonly service: string;
    readonly port: number;
    readonly loopback: number;
}

/** What the operator's config-reloader expands in the config from the pod's env (the first replica, shard 0). */
const reloaderEnv: Record<string, string> = { POD_NAME: `prometheus-${platform.prometheus}-0`, SHARD: "0" };
/** Where the operator's StatefulSet mounts the rule-file ConfigMaps. */
const rulesMount = "/etc/prometheus/rules/";

/**
 * The Prometheus config the operator generated, as its config-reloader hands it to Prometheus,
 * made to run on this machine. Only what a pod has and a loopback process lacks is substituted:
 * - `$(POD_NAME)` and `$(SHARD)`, which the config-reloader expands from the pod's env;
 * - the in-cluster service account: every Kubernetes discovery reads the local cluster's kubeconfig;
 * - the rule-file mount: the operator's ConfigMaps are written under `ruleDir`;
 * - pod addresses: a relabel rule appended to every scrape job and Alertmanager maps each
 *   discovered `<pod IP>:<port>` of a Service to its loopback stand-in;
 * - cluster DNS names in static targets (a Probe's): `dnsStandIns`, appended to the job they name.
 * Discovery, the operator's relabelling, intervals, rules and alerting stay as generated.
 */
export function operatorPrometheusConfig(
    ruleDir: string,
    addresses: readonly LoopbackAddress[],
    dnsStandIns: readonly JobRelabel[] = [],
): GeneratedPrometheusConfig {
    const text = generatedText(generatedSecret.prometheus(platform.prometheus), "prometheus.yaml.gz").replace(
        /\$\(([A-Za-z_0-9]+)\)/g,
        (whole, name: string) => reloaderEnv[name] ?? whole,
    );
    const config = parse(text) as GeneratedPrometheusConfig;
    for (const { configMap, file, text: rules } of operatorRuleFiles()) {
        fs.mkdirSync(path.join(ruleDir, configMap), { recursive: true });
        fs.writeFileSync(path.join(ruleDir, configMap, file), rules);
    }
    config.rule_files = config.rule_files.map((f) => {
        if (!f.startsWith(rulesMount)) throw new Error(`rule file ${f} is not under ${rulesMount}`);
        return path.join(ruleDir, f.slice(rulesMount.length));
    });
    const toLoopback = addresses.map((a) => ({
        source_labels: ["__meta_kubernetes_service_name", "__address__"],
        regex: `${a.service};.+:${a.port}`,
        target_label: "__address__",
        replacement: `${host}:${a.loopback}`,
    }));
    for (const job of [...(config.scrape_configs ?? []), ...(config.alerting?.alertmanagers ?? [])]) {
        for (const sd of job.kubernetes_sd_configs ?? []) sd.kubeconfig_file = clusterKubeconfig;
        const standIns = dnsStandIns.filter((d) => d.job === job.job_name).map(({ job: _, ...rule }) => rule);
        job.relabel_configs = [...(job.relabel_configs ?? []), ...toLoopback, ...standIns];
    }
    return config;
}

/** The parts of a generated prometheus.yaml that operatorPrometheusConfig rewrites. */
interface DiscoveringJob {
    job_name?: string;
    kubernetes_sd_configs?: Array<Record<string, unknown>>;
    relabel_configs?: unknown[];
}
export interface GeneratedPrometheusConfig {
    rule_files: string[];
    scrape_configs?: DiscoveringJob[];
    alerting?: { alertmanagers: DiscoveringJob[] };
}

/** alertmanager.yaml as the operator generated it for one of the platform's Alertmanagers (gzipped in its Secret). */
export function operatorAlertmanagerConfig(alertmanager: string): string {
    return generatedText(generatedSecret.alertmanager(alertmanager), "alertmanager.yaml.gz");
}

/** The service's pods, by name. */
export function servicePods(): string[] {
    return (json(`kubectl get pods -n ${workload.namespace} -l ${workload.appLabel}=${workload.name}`).items as Array<{ metadata: { name: string } }>).map(
        (p) => p.metadata.name,
    );
}

/** Applies a JSON patch to a pod's status, as the kubelet would report it (kwok reports none after Running). */
function patchPodStatus(pod: string, patch: (status: PodStatus) => object[]): void {
    const status = json(`kubectl get pod ${pod} -n ${workload.namespace}`).status as PodStatus;
    clusterKubectl("patch", "pod", pod, "-n", workload.namespace, "--subresource=status", "--type=json", "-p", JSON.stringify(patch(status)));
}
interface PodStatus {
    conditions: Array<{ type: string }>;
    containerStatuses: Array<{ name: string }>;
    /** Where a native sidecar (the proxy) reports. */
    initContainerStatuses?: Array<{ name: string }>;
}

/** The kubelet's report of a failing readiness probe: the pod Running, not Ready (the Service drops it). */
export function markNotReady(pod: string): void {
    patchPodStatus(pod, (status) => [
        ...status.conditions.flatMap((c, i) =>
            c.type === "Ready" || c.type === "ContainersReady" ? [{ op: "replace", path: `/status/conditions/${i}/status`, value: "False" }] : [],
        ),
        ...status.containerStatuses.map((_, i) => ({ op: "replace", path: `/status/containerStatuses/${i}/ready`, value: false })),
    ]);
}

/** The kubelet's report of a container that was killed and restarted `count` times, the last for `reason`. */
export function markRestarted(pod: string, container: string, count: number, reason: string): void {
    patchPodStatus(pod, (status) => {
        const list = status.containerStatuses.some((c) => c.name === container) ? "containerStatuses" : "initContainerStatuses";
        const i = (status[list] ?? []).findIndex((c) => c.name === container);
        if (i < 0) throw new Error(`pod ${pod} has no container ${container}`);
        const now = new Date().toISOString();
        return [
            { op: "replace", path: `/status/${list}/${i}/restartCount`, value: count },
            { op: "add", path: `/status/${list}/${i}/lastState`, value: { terminated: { exitCode: 137, reason, startedAt: now, finishedAt: now } } },
        ];
    });
}

/** SIGKILLs the `pulumi up` this process is running and everything it started, as a cancelled CI job or a lost runner would. */
export function killPulumiUp(): void {
    const pids = spawnSync("pgrep", ["-P", String(process.pid), "-f", "pulumi up"], { encoding: "utf8" })
        .stdout.split("\n")
        .filter(Boolean);
    expect(pids, "a running pulumi up").to.have.length(1);
    // A lost runner loses the whole tree: the CLI's language host, policy pack and plugins too,
    // none of them left behind as orphans.
    const tree = (pid: string): string[] => [pid, ...spawnSync("pgrep", ["-P", pid], { encoding: "utf8" }).stdout.split("\n").filter(Boolean).flatMap(tree)];
    for (const pid of tree(pids[0])) {
        try {
            process.kill(Number(pid), "SIGKILL");
        } catch {
            // already gone
        }
    }
}

/** Every object the stack left and the size of its state, to compare a recovered stack with. */
export async function snapshot(stack: TestStack): Promise<{ objects: string[]; resources: number }> {
    return { objects: labelledObjects(), resources: (await stateResources(stack)).length };
}
