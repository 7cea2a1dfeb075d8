/** Real Prometheus and Alertmanager on loopback, with a webhook catcher standing in for people. */
import * as fs from "fs";
import * as path from "path";
import { prometheusTool } from "./prometheus-tools";
import { stringify } from "yaml";
import { workload } from "../../components/contract";
import { ProbeSpec } from "../../components/monitoring/probe";
import { AlertmanagerConfig } from "../../components/monitoring/routing";
import { repoRoot } from "../../scripts/lib/stacks";
import { Daemon, freePort, getJson, host, serve, startDaemon, waitFor } from "./processes";

export interface Notification {
    readonly receiver: string;
    readonly at: number;
    readonly status: "firing" | "resolved";
    readonly alertnames: string[];
    /** The labels every alert of the notification shares (Alertmanager's `commonLabels`). */
    readonly commonLabels: Record<string, string>;
}

/** Collects webhook notifications; the URL path names the receiver. */
export async function startCatcher() {
    const notifications: Notification[] = [];
    const server = await serve((req, res) => {
        let body = "";
        req.on("data", (chunk) => (body += chunk));
        req.on("end", () => {
            const payload = JSON.parse(body) as {
                status: "firing" | "resolved";
                alerts: Array<{ labels: Record<string, string> }>;
                commonLabels: Record<string, string>;
            };
            notifications.push({
                receiver: req.url!.slice(1),
                at: Date.now(),
                status: payload.status,
                alertnames: payload.alerts.map((a) => a.labels.alertname),
                commonLabels: payload.commonLabels,
            });
            res.writeHead(200).end();
        });
    });
    return { url: `http://${host}:${server.port}`, notifications, close: server.close };
}

/** The same routing tree with every receiver replaced by a webhook to the catcher. */
export function pointReceiversAt(config: AlertmanagerConfig, catcherUrl: string): AlertmanagerConfig {
    return {
        ...config,
        global: {},
        receivers: config.receivers.map((r) => ({ name: r.name, webhook_configs: [{ url: `${catcherUrl}/${r.name}`, send_resolved: true }] })),
    };
}

async function ready(url: string): Promise<true | undefined> {
    const response = await fetch(`${url}/-/ready`);
    return response.ok ? true : undefined;
}

export async function startAlertmanager(config: AlertmanagerConfig, dir: string): Promise<{ url: string; daemon: Daemon }> {
    const port = await freePort();
    const file = path.join(dir, "alertmanager.yaml");
    fs.writeFileSync(file, stringify(config));
    const daemon = startDaemon(
        "alertmanager",
        prometheusTool("alertmanager"),
        [
            `--config.file=${file}`,
            `--storage.path=${path.join(dir, "am-data")}`,
            `--web.listen-address=${host}:${port}`,
            "--cluster.listen-address=",
            "--log.level=debug",
        ],
        dir,
    );
    const url = `http://${host}:${port}`;
    await waitFor(`alertmanager ready (${daemon.log})`, () => ready(url), 20_000, 200);
    return { url, daemon };
}

/** One ServiceMonitor endpoint as a loopback scrape target. */
export interface ScrapeTarget {
    /** The ServiceMonitor endpoint's port name (the operator's `endpoint` label). */
    readonly endpoint: string;
    readonly port: number;
    readonly path: string;
}

export const blackboxBinary = path.join(repoRoot, ".tools", "bin", "blackbox_exporter");

/**
 * The blackbox exporter on loopback with the module the Probe names, as the
 * prometheus-blackbox-exporter chart's default config defines it (an HTTP GET that wants a 2xx).
 */
export async function startBlackbox(module: string, dir: string): Promise<{ address: string; daemon: Daemon }> {
    if (!fs.existsSync(blackboxBinary)) throw new Error(`${blackboxBinary} is missing: run bash scripts/tools.sh`);
    const port = await freePort();
    const file = path.join(dir, "blackbox.yaml");
    fs.writeFileSync(
        file,
        stringify({ modules: { [module]: { prober: "http", timeout: "5s", http: { preferred_ip_protocol: "ip4", follow_redirects: true } } } }),
    );
    const daemon = startDaemon("blackbox_exporter", blackboxBinary, [`--config.file=${file}`, `--web.listen-address=${host}:${port}`], dir);
    const address = `${host}:${port}`;
    await waitFor(`blackbox exporter ready (${daemon.log})`, () => ready(`http://${address}`), 20_000, 200);
    return { address, daemon };
}

/**
 * The scrape job the prometheus-operator makes of a Probe with a static target: the exporter's
 * /probe with the module and the target as parameters, `instance` the target, `job` the jobName.
 * `target` replaces the Service URL with its loopback stand-in.
 */
export function probeScrapeConfig(spec: ProbeSpec, blackboxAddress: string, target: string, interval = spec.interval) {
    return {
        job_name: `probe/${workload.namespace}/${workload.name}`,
        scrape_interval: interval,
        metrics_path: spec.prober.path,
        params: { module: [spec.module] },
        static_configs: [{ targets: [target] }],
        relabel_configs: [
            { source_labels: ["__address__"], target_label: "__param_target" },
            { source_labels: ["__param_target"], target_label: "instance" },
            { target_label: "__address__", replacement: blackboxAddress },
            { target_label: "job", replacement: spec.jobName },
        ],
    };
}

/** Prometheus scraping the targets (every second by default) and evaluating `rulesFile` every second. */
export async function startPrometheus(
    rulesFile: string,
    targets: readonly ScrapeTarget[],
    alertmanagerUrl: string,
    dir: string,
    scrapeInterval = "1s",
    extraScrapeConfigs: readonly object[] = [],
): Promise<{ url: string; daemon: Daemon }> {
    return runPrometheus(
        {
            global: { scrape_interval: scrapeInterval, evaluation_interval: "1s" },
            rule_files: [path.resolve(rulesFile)],
            alerting: { alertmanagers: [{ static_configs: [{ targets: [alertmanagerUrl.replace(/^http:\/\//, "")] }] }] },
            // As the operator makes them from the ServiceMonitor: one job per endpoint, each
            // labelled job = Service name, namespace and endpoint (port name) from discovery.
            scrape_configs: targets
                .map((t, i) => ({
                    job_name: `serviceMonitor/${workload.namespace}/${workload.name}/${i}`,
                    metrics_path: t.path,
                    static_configs: [{ targets: [`${host}:${t.port}`], labels: { job: workload.name, namespace: workload.namespace, endpoint: t.endpoint } }],
                }))
                .concat(extraScrapeConfigs as any[]),
        },
        dir,
    );
}

/** Prometheus on a free loopback port running `config` (a prometheus.yml as an object). */
export async function runPrometheus(config: object, dir: string): Promise<{ url: string; daemon: Daemon }> {
    const port = await freePort();
    const file = path.join(dir, "prometheus.yaml");
    fs.writeFileSync(file, stringify(config));
    const daemon = startDaemon(
        "prometheus",
        prometheusTool("prometheus"),
        [
            `--config.file=${file}`,
            `--storage.tsdb.path=${path.join(dir, "prom-data")}`,
            `--web.listen-address=${host}:${port}`,
            "--rules.alert.resend-delay=1s",
        ],
        dir,
    );
    const url = `http://${host}:${port}`;
    await waitFor(`prometheus ready (${daemon.log})`, () => ready(url), 30_000, 200);
    return { url, daemon };
}

export async function instantQuery(prometheusUrl: string, expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
    const body = await getJson(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
    if (body.status !== "success") throw new Error(`${expr}: ${JSON.stringify(body)}`);
    return body.data.result;
}

export interface AmAlert {
    labels: Record<string, string>;
    receivers: Array<{ name: string }>;
    status: { state: string; inhibitedBy: string[]; silencedBy: string[] };
}

export async function alertmanagerAlerts(alertmanagerUrl: string): Promise<AmAlert[]> {
    return getJson(`${alertmanagerUrl}/api/v2/alerts?active=true&silenced=true&inhibited=true`);
}
