/**
 * The prometheus-operator's output for our objects on the local control plane: the scrape jobs,
 * rule files and Alertmanager configs it generated, checked, and run for real on loopback by
 * Prometheus, Alertmanager, the blackbox exporter, kube-state-metrics and the real server.
 */
import { expect } from "chai";
import { guideCommands, workload } from "../../components/contract";
import { clusterKubeconfig as kubeconfig } from "../../scripts/lib/cluster";
import { stackConfig } from "../../scripts/lib/stacks";
import { toolsBin } from "../../scripts/lib/engine";
import { monitoringContext } from "../../components/monitoring/context";
import { buildRuleGroups } from "../../components/monitoring/rules";
import { parse } from "yaml";
import {
    json,
    LoopbackAddress,
    operatorAlertmanagerConfig,
    operatorAlertNames,
    operatorPrometheusConfig,
    operatorRuleFile,
    operatorScrapeJobs,
} from "./helpers";
import { AlertmanagerConfig } from "../../components/monitoring/routing";
import { runSuite } from "../support/promtool";
import { suites } from "../promql";
import { contract } from "../promql/alert-contract";
import {
    alertmanagerAlerts,
    instantQuery,
    Notification,
    pointReceiversAt,
    runPrometheus,
    startAlertmanager,
    startBlackbox,
    startCatcher,
} from "../support/monitoring-stack";
import { probeJob, probeSpec } from "../../components/monitoring/probe";
import { podMetricsEndpoints } from "../../components/workload";
import { Daemon, freePort, getJson, host, postJson, startDaemon, tempDir, waitFor } from "../support/processes";
import { startRealServer } from "../support/server";
import * as fs from "fs";
import * as path from "path";
import { alertmanagerPort, blackboxExporter, kubeStateMetrics, platform } from "../../scripts/lib/kube-prometheus-stack";
import { amtool } from "../support/routing-cases";

/** Our alerts with their labels, as the rule builder declares them for `stack`. */
export const ruleAlerts = (stack: string) =>
    buildRuleGroups(monitoringContext(stackConfig(stack))).flatMap((g) =>
        g.rules.flatMap((r) => (r.alert ? [{ alert: r.alert, labels: r.labels ?? {} }] : [])),
    );

/** The job the operator makes of our Probe (`probe/<namespace>/<name>`). */
const probeJobName = `probe/${workload.namespace}/${workload.name}`;

/** The operator's scrape job for our ServiceMonitor per metrics endpoint and for our Probe, and every alert of `stack` in its rule files. */
export async function expectPickedUpByOperator(stack: string): Promise<void> {
    const config = stackConfig(stack);
    const job = (i: number) => `serviceMonitor/${workload.namespace}/${workload.name}/${i}`;
    const scrape = await waitFor(
        "the operator's scrape job for our ServiceMonitor",
        async () => {
            const jobs = operatorScrapeJobs();
            return jobs.some((j) => j.job_name === job(0)) ? jobs : undefined;
        },
        60_000,
        1000,
    );
    podMetricsEndpoints(config).forEach((endpoint, i) => {
        const found = scrape.find((j) => j.job_name === job(i));
        expect(found, job(i)).to.not.equal(undefined);
        expect(found!.metrics_path ?? "/metrics", job(i)).to.equal(endpoint.path);
        expect(JSON.stringify(found!.relabel_configs), job(i)).to.contain(endpoint.name);
        expect(found!.kubernetes_sd_configs[0].namespaces.names, job(i)).to.deep.equal([workload.namespace]);
    });
    // The Probe: a job that asks the blackbox exporter the Probe names to get our readiness URL.
    const probe = probeSpec(config, config.monitoring.blackboxExporter);
    const probeJob = await waitFor("the operator's job for our Probe", async () => operatorScrapeJobs().find((j) => j.job_name === probeJobName), 60_000, 1000);
    expect(probeJob.metrics_path).to.equal(probe.prober.path);
    expect(probeJob.params).to.deep.equal({ module: [probe.module] });
    expect(probeJob.static_configs?.[0].targets).to.deep.equal(probe.targets.staticConfig.static);
    expect(JSON.stringify(probeJob.relabel_configs)).to.contain(probe.prober.url);
    const alerts = ruleAlerts(stack).map((a) => a.alert);
    const generated = await waitFor(
        "our rules in the operator's rule files",
        async () => {
            const names = operatorAlertNames();
            return alerts.every((a) => names.includes(a)) ? names : undefined;
        },
        60_000,
        1000,
    ).catch(() => operatorAlertNames());
    expect(generated).to.include.members(alerts);
}

/**
 * Waits until the operator's config for `alertmanager` has a receiver named `receiver`, checks
 * it with amtool and writes it to a file under `configDir` for amtool's route tests.
 */
export async function operatorConfigWith(alertmanager: string, receiver: string, configDir: string): Promise<string> {
    const text = await waitFor(
        `${receiver} in the operator's config for ${alertmanager}`,
        async () => {
            const config = operatorAlertmanagerConfig(alertmanager);
            return (parse(config).receivers as Array<{ name: string }>).some((r) => r.name === receiver) ? config : undefined;
        },
        60_000,
        1000,
    );
    const file = path.join(fs.mkdtempSync(path.join(configDir, `${alertmanager}-`)), "alertmanager.yaml");
    fs.writeFileSync(file, text);
    const check = amtool(["check-config", file]);
    expect(check.status, check.out).to.equal(0);
    return file;
}

/** A real Alertmanager on loopback running an alertmanager.yaml the operator generated, every receiver a webhook to `catcherUrl`. */
const startGeneratedAlertmanager = (yaml: string, catcherUrl: string, dir: string) =>
    startAlertmanager(pointReceiversAt(parse(yaml) as AlertmanagerConfig, catcherUrl), dir);

/**
 * The operator's config run by a real Alertmanager on loopback, every receiver a webhook to a
 * catcher: a critical page reaches on-call and ops, and the warning of the same runbook is
 * inhibited. `prefix` is the operator's `<namespace>/<name>/` on an AlertmanagerConfig's receivers.
 */
export async function expectAlertmanagerDelivers(configFile: string, prefix = ""): Promise<void> {
    const dir = tempDir("operator-am");
    const catcher = await startCatcher();
    const am = await startGeneratedAlertmanager(fs.readFileSync(configFile, "utf8"), catcher.url, dir);
    try {
        const labels = { namespace: workload.namespace, runbook: "high-error-rate", slo: "errors" };
        await postJson(`${am.url}/api/v2/alerts`, [
            { labels: { ...labels, alertname: "OperatorPage", severity: "critical", routing: "oncall" }, startsAt: new Date().toISOString() },
            { labels: { ...labels, alertname: "OperatorSymptom", severity: "warning", routing: "ops" }, startsAt: new Date().toISOString() },
        ]);
        const told = (receiver: string) => catcher.notifications.some((n) => n.receiver === `${prefix}${receiver}` && n.alertnames.includes("OperatorPage"));
        // On-call after its route's group_wait (10 s), ops after the top route's (30 s).
        await waitFor("the page at on-call and ops", async () => (told("oncall") && told("ops") ? true : undefined), 60_000, 500);
        expect(
            catcher.notifications.filter((n) => n.alertnames.includes("OperatorSymptom")),
            "the inhibited warning",
        ).to.deep.equal([]);
    } finally {
        await am.daemon.stop();
        await catcher.close();
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** The real processes that stand in for the platform's pods, running the configs the operator generated. */
interface GeneratedMonitoring {
    readonly prometheusUrl: string;
    readonly catcher: Awaited<ReturnType<typeof startCatcher>>;
    readonly server: Awaited<ReturnType<typeof startRealServer>>;
    readonly alertmanagers: readonly LoopbackAddress[];
    readonly probeTarget: string;
    readonly dir: string;
    /** Notifications of `alertname` firing at `receiver`, as the catcher got them. */
    told(receiver: string, alertname: string): Notification | undefined;
}

/**
 * The configs the operator generated, run for real on loopback, for `body`: Prometheus with the
 * generated scrape, rule and alerting config discovers our pods, kube-state-metrics and the
 * platform's Alertmanagers through the local API server; the real server stands in for our pods,
 * the real kube-state-metrics (run against the local API server) for the chart's, the real
 * blackbox exporter for the exporter's; each Alertmanager runs the config the operator generated
 * for it, receivers pointed at a catcher.
 */
export async function withGeneratedMonitoring(stack: string, body: (m: GeneratedMonitoring) => Promise<void>): Promise<void> {
    const config = stackConfig(stack);
    const dir = tempDir("operator-run");
    const catcher = await startCatcher();
    const daemons: Daemon[] = [];
    let failed = true;
    try {
        const server = await startRealServer(config, { tokens: ["operator-run-token"], dir });
        daemons.push(server.daemon);
        const alertmanagers: LoopbackAddress[] = [];
        for (const name of [platform.sharedAlertmanager, platform.ownAlertmanager]) {
            const amDir = path.join(dir, name);
            fs.mkdirSync(amDir);
            const am = await startGeneratedAlertmanager(operatorAlertmanagerConfig(name), catcher.url, amDir);
            daemons.push(am.daemon);
            alertmanagers.push({ service: name, port: alertmanagerPort.number, loopback: Number(new URL(am.url).port) });
        }
        const ksm = await startKubeStateMetrics(dir);
        daemons.push(ksm.daemon);
        const pods: LoopbackAddress[] = [...server.ports].map(([port, loopback]) => ({ service: workload.name, port, loopback }));
        const blackbox = await startBlackbox(config.monitoring.blackboxExporter.module, dir);
        daemons.push(blackbox.daemon, ...(server.proxy ? [server.proxy] : []));
        // The Probe's job names DNS names of the cluster: the exporter's Service and ours. On loopback, their stand-ins.
        const probeTarget = probeSpec(config, config.monitoring.blackboxExporter).targets.staticConfig.static[0];
        const dnsStandIns = [
            {
                job: probeJobName,
                source_labels: ["__address__"],
                regex: blackboxExporter.address.replaceAll(".", "\\."),
                target_label: "__address__",
                replacement: blackbox.address,
            },
            {
                job: probeJobName,
                source_labels: ["__param_target"],
                regex: probeTarget.replaceAll(".", "\\."),
                target_label: "__param_target",
                replacement: server.probeUrl,
            },
        ];
        const ksmAddress = { service: kubeStateMetrics.name, port: kubeStateMetrics.port.number, loopback: ksm.port };
        const prometheus = await runPrometheus(operatorPrometheusConfig(path.join(dir, "rules"), [...pods, ...alertmanagers, ksmAddress], dnsStandIns), dir);
        daemons.push(prometheus.daemon);
        const told = (receiver: string, alertname: string) =>
            catcher.notifications.find((n) => n.receiver === receiver && n.status === "firing" && n.alertnames.includes(alertname));
        await body({ prometheusUrl: prometheus.url, catcher, server, alertmanagers, probeTarget, dir, told });
        failed = false;
    } finally {
        await Promise.all(daemons.map((d) => d.stop()));
        await catcher.close();
        if (failed) console.log(`logs kept in ${dir}`);
        else fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** The real kube-state-metrics on loopback, reading the local API server as the chart's reads its cluster. */
async function startKubeStateMetrics(dir: string): Promise<{ port: number; daemon: Daemon }> {
    const [port, telemetry] = [await freePort(), await freePort()];
    const daemon = startDaemon(
        "kube-state-metrics",
        path.join(toolsBin, "kube-state-metrics"),
        [
            `--kubeconfig=${kubeconfig}`,
            `--host=${host}`,
            `--port=${port}`,
            `--telemetry-host=${host}`,
            `--telemetry-port=${telemetry}`,
            "--resources=deployments,pods,horizontalpodautoscalers",
        ],
        dir,
    );
    await waitFor(
        `kube-state-metrics ready (${daemon.log})`,
        async () => ((await fetch(`http://${host}:${port}/metrics`).catch(() => undefined))?.ok ? true : undefined),
        30_000,
        250,
    );
    return { port, daemon };
}

/** The value of a query that returns one sample, once it returns `want`. */
export const queryReaches = (prometheusUrl: string, expr: string, want: string, timeoutMs = 120_000) =>
    waitFor(`${expr} = ${want}`, async () => ((await instantQuery(prometheusUrl, expr))[0]?.value[1] === want ? true : undefined), timeoutMs, 1000);

/**
 * Killing the server pages on-call through our Alertmanager; the platform's own sends it to its
 * `null` receiver.
 */
export async function expectGeneratedConfigsPage(stack: string): Promise<void> {
    const config = stackConfig(stack);
    await withGeneratedMonitoring(stack, async ({ prometheusUrl, server, alertmanagers, probeTarget, told }) => {
        // One target per pod and metrics endpoint, labelled by the operator's relabelling from what discovery found.
        const podNames = (json(guideCommands.status).items as Array<{ metadata: { name: string } }>).map((p) => p.metadata.name);
        const expected = podNames.flatMap((pod) => podMetricsEndpoints(config).map((e) => `${workload.namespace}/${workload.name}/${pod}/${e.name}`)).sort();
        const up = await waitFor(
            "every pod's targets up",
            async () => {
                const found = (await instantQuery(prometheusUrl, `up{job="${workload.name}"} == 1`))
                    .map((r) => `${r.metric.namespace}/${r.metric.service}/${r.metric.pod}/${r.metric.endpoint}`)
                    .sort();
                return found.length === expected.length ? found : undefined;
            },
            90_000,
            1000,
        );
        expect(up).to.deep.equal(expected);
        const active = (await getJson(`${prometheusUrl}/api/v1/alertmanagers`)).data.activeAlertmanagers as Array<{ url: string }>;
        expect(active.map((a) => a.url).sort(), "both Alertmanagers, found through their Services").to.deep.equal(
            alertmanagers.map((a) => `http://${host}:${a.loopback}/api/v2/alerts`).sort(),
        );
        // The real blackbox exporter gets our readiness URL through the proxy, as the operator's job for the Probe asks.
        const probed = await waitFor(
            "the Probe's readiness result",
            async () => {
                const r = await instantQuery(prometheusUrl, `probe_success{job="${probeJob}"}`);
                return r.length > 0 ? r : undefined;
            },
            90_000,
            1000,
        );
        expect(probed.map((r) => [r.metric.instance, r.value[1]])).to.deep.equal([[probeTarget, "1"]]);

        await server.daemon.kill();
        const killedAt = Date.now();
        const page = await waitFor("TaskMcpServiceDown at on-call", async () => told("oncall", "TaskMcpServiceDown"), 240_000, 1000);
        console.log(
            `      ServiceDown paged ${((page.at - killedAt) / 1000).toFixed(0)} s after the kill, at the operator's ${config.monitoring.scrapeInterval} scrape interval`,
        );
        // The chart groups by namespace with a 5m group_interval, and the health burn (the probe's
        // 502s) opens that group first: ServiceDown's own notification may wait 5 minutes. That
        // the platform's config routes it to `null` shows in its Alertmanager at once.
        const chartAlertmanager = `http://${host}:${alertmanagers.find((a) => a.service === platform.sharedAlertmanager)!.loopback}`;
        await waitFor(
            "TaskMcpServiceDown in the platform's Alertmanager, for its null receiver",
            async () =>
                (await alertmanagerAlerts(chartAlertmanager)).find(
                    (a) => a.labels.alertname === "TaskMcpServiceDown" && a.receivers.some((r) => r.name === "null"),
                ),
            60_000,
            1000,
        );
    });
}

/**
 * The promtool suites (test/promql, shaped for prod's limits like test/tools runs them) on our
 * rule file as the operator wrote it for Prometheus to load.
 */
export async function expectOperatorRulesPassSuites(stack: string): Promise<void> {
    const rules = await waitFor("our rule file in the operator's ConfigMaps", async () => operatorRuleFile(), 60_000, 1000);
    const dir = tempDir("operator-rules");
    try {
        const file = path.join(dir, "rules.yaml");
        fs.writeFileSync(file, rules);
        for (const suite of suites(stackConfig(stack).server)) {
            const result = runSuite(suite, file, dir, contract);
            expect(result.ok, `${suite.name}: ${result.output}`).to.equal(true);
        }
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
