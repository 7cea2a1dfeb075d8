/**
 * End to end on a local control plane (scripts/cluster.sh): the dev stack applied to a real API
 * server with Pod Security admission, the operations guide's commands, and a program that does
 * not fight the operators.
 */
import { EngineEvent } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { spawnSync } from "child_process";
import { guideCommands, workload } from "../../components/contract";
import { clusterApply, clusterKubeconfig as kubeconfig, clusterScript as cluster } from "../../scripts/lib/cluster";
import { stackConfig, stackFile } from "../../scripts/lib/stacks";
import { toolsBin } from "../../scripts/lib/engine";
import { stateResources, stepRecorder, testStack, TestStack } from "../../scripts/lib/test-stack";
import { waitFor } from "../live/processes";
import { monitoringContext } from "../../components/monitoring/context";
import { buildRuleGroups } from "../../components/monitoring/rules";
import { parse } from "yaml";
import {
    availableWith, json, kubectl, labelledObjects, LoopbackAddress, markNotReady, markRestarted, namespaceExists, operatorAlertmanagerConfig, operatorAlertNames,
    operatorPrometheusConfig, operatorRuleFile, operatorScrapeJobs, previewChanges, servicePods,
} from "./helpers";
import { AlertmanagerConfig } from "../../components/monitoring/routing";
import { runSuite } from "../../scripts/lib/promtool";
import { suites } from "../promql";
import { contract } from "../promql/alert-contract";
import { alertmanagerAlerts, instantQuery, Notification, pointReceiversAt, runPrometheus, startAlertmanager, startBlackbox, startCatcher } from "../live/monitoring-stack";
import { probeJob, probeSpec } from "../../components/monitoring/probe";
import { podMetricsEndpoints } from "../../components/workload";
import { Daemon, freePort, getJson, host, postJson, startDaemon, tempDir } from "../live/processes";
import { startRealServer } from "../live/server";
import * as fs from "fs";
import * as path from "path";
import { alertmanagerPort, blackboxExporter, kubeStateMetrics, platform } from "../../scripts/lib/kube-prometheus-stack";
import { proxyContainer } from "../../components/proxy";
import { amtool, amtoolRoute, escalationCases, expectEveryAlertRouted, otherNamespaceAlert } from "../support/routing-cases";

/** SIGKILLs the `pulumi up` this process is running, as a cancelled CI job or a lost runner would. */
function killPulumiUp(): void {
    const pids = spawnSync("pgrep", ["-P", String(process.pid), "-f", "pulumi up"], { encoding: "utf8" }).stdout.split("\n").filter(Boolean);
    expect(pids, "a running pulumi up").to.have.length(1);
    process.kill(Number(pids[0]), "SIGKILL");
}

/** Every object the stack left and the size of its state, to compare a recovered stack with. */
async function snapshot(stack: TestStack): Promise<{ objects: string[]; resources: number }> {
    return { objects: labelledObjects(), resources: (await stateResources(stack)).length };
}

/** Our alerts with their labels, as the rule builder declares them for `stack`. */
const ruleAlerts = (stack: string) =>
    buildRuleGroups(monitoringContext(stackConfig(stack))).flatMap((g) => g.rules.flatMap((r) => (r.alert ? [{ alert: r.alert, labels: r.labels ?? {} }] : [])));

/** The job the operator makes of our Probe (`probe/<namespace>/<name>`). */
const probeJobName = `probe/${workload.namespace}/${workload.name}`;

/** The operator's scrape job for our ServiceMonitor per metrics endpoint and for our Probe, and every alert of `stack` in its rule files. */
async function expectPickedUpByOperator(stack: string): Promise<void> {
    const config = stackConfig(stack);
    const job = (i: number) => `serviceMonitor/${workload.namespace}/${workload.name}/${i}`;
    const scrape = await waitFor("the operator's scrape job for our ServiceMonitor", async () => {
        const jobs = operatorScrapeJobs();
        return jobs.some((j) => j.job_name === job(0)) ? jobs : undefined;
    }, 60_000, 1000);
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
    const generated = await waitFor("our rules in the operator's rule files", async () => {
        const names = operatorAlertNames();
        return alerts.every((a) => names.includes(a)) ? names : undefined;
    }, 60_000, 1000).catch(() => operatorAlertNames());
    expect(generated).to.include.members(alerts);
}

/** Where operatorConfigWith writes the configs it returns; made and removed by the suite's hooks. */
let configDir: string;

/**
 * Waits until the operator's config for `alertmanager` has a receiver named `receiver`, checks
 * it with amtool and writes it to a file for amtool's route tests.
 */
async function operatorConfigWith(alertmanager: string, receiver: string): Promise<string> {
    const text = await waitFor(`${receiver} in the operator's config for ${alertmanager}`, async () => {
        const config = operatorAlertmanagerConfig(alertmanager);
        return (parse(config).receivers as Array<{ name: string }>).some((r) => r.name === receiver) ? config : undefined;
    }, 60_000, 1000);
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
async function expectAlertmanagerDelivers(configFile: string, prefix = ""): Promise<void> {
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
        expect(catcher.notifications.filter((n) => n.alertnames.includes("OperatorSymptom")), "the inhibited warning").to.deep.equal([]);
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
async function withGeneratedMonitoring(stack: string, body: (m: GeneratedMonitoring) => Promise<void>): Promise<void> {
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
            { job: probeJobName, source_labels: ["__address__"], regex: blackboxExporter.address.replaceAll(".", "\\."), target_label: "__address__", replacement: blackbox.address },
            { job: probeJobName, source_labels: ["__param_target"], regex: probeTarget.replaceAll(".", "\\."), target_label: "__param_target", replacement: server.probeUrl },
        ];
        const ksmAddress = { service: kubeStateMetrics.name, port: kubeStateMetrics.port.number, loopback: ksm.port };
        const prometheus = await runPrometheus(operatorPrometheusConfig(path.join(dir, "rules"), [...pods, ...alertmanagers, ksmAddress], dnsStandIns), dir);
        daemons.push(prometheus.daemon);
        const told = (receiver: string, alertname: string) => catcher.notifications.find((n) => n.receiver === receiver && n.status === "firing" && n.alertnames.includes(alertname));
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
    const daemon = startDaemon("kube-state-metrics", path.join(toolsBin, "kube-state-metrics"), [
        `--kubeconfig=${kubeconfig}`, `--host=${host}`, `--port=${port}`, `--telemetry-host=${host}`, `--telemetry-port=${telemetry}`,
        "--resources=deployments,pods,horizontalpodautoscalers",
    ], dir);
    await waitFor(`kube-state-metrics ready (${daemon.log})`, async () => ((await fetch(`http://${host}:${port}/metrics`).catch(() => undefined))?.ok ? true : undefined), 30_000, 250);
    return { port, daemon };
}

/** The value of a query that returns one sample, once it returns `want`. */
const queryReaches = (prometheusUrl: string, expr: string, want: string, timeoutMs = 120_000) =>
    waitFor(`${expr} = ${want}`, async () => ((await instantQuery(prometheusUrl, expr))[0]?.value[1] === want ? true : undefined), timeoutMs, 1000);

/**
 * Killing the server pages on-call through our Alertmanager; the platform's own sends it to its
 * `null` receiver.
 */
async function expectGeneratedConfigsPage(stack: string): Promise<void> {
    const config = stackConfig(stack);
    await withGeneratedMonitoring(stack, async ({ prometheusUrl, server, alertmanagers, probeTarget, told }) => {
        // One target per pod and metrics endpoint, labelled by the operator's relabelling from what discovery found.
        const podNames = (json(guideCommands.status).items as Array<{ metadata: { name: string } }>).map((p) => p.metadata.name);
        const expected = podNames.flatMap((pod) => podMetricsEndpoints(config).map((e) => `${workload.namespace}/${workload.name}/${pod}/${e.name}`)).sort();
        const up = await waitFor("every pod's targets up", async () => {
            const found = (await instantQuery(prometheusUrl, `up{job="${workload.name}"} == 1`)).map((r) => `${r.metric.namespace}/${r.metric.service}/${r.metric.pod}/${r.metric.endpoint}`).sort();
            return found.length === expected.length ? found : undefined;
        }, 90_000, 1000);
        expect(up).to.deep.equal(expected);
        const active = (await getJson(`${prometheusUrl}/api/v1/alertmanagers`)).data.activeAlertmanagers as Array<{ url: string }>;
        expect(active.map((a) => a.url).sort(), "both Alertmanagers, found through their Services").to.deep.equal(alertmanagers.map((a) => `http://${host}:${a.loopback}/api/v2/alerts`).sort());
        // The real blackbox exporter gets our readiness URL through the proxy, as the operator's job for the Probe asks.
        const probed = await waitFor("the Probe's readiness result", async () => {
            const r = await instantQuery(prometheusUrl, `probe_success{job="${probeJob}"}`);
            return r.length > 0 ? r : undefined;
        }, 90_000, 1000);
        expect(probed.map((r) => [r.metric.instance, r.value[1]])).to.deep.equal([[probeTarget, "1"]]);

        await server.daemon.kill();
        const killedAt = Date.now();
        const page = await waitFor("TaskMcpServiceDown at on-call", async () => told("oncall", "TaskMcpServiceDown"), 240_000, 1000);
        console.log(`      ServiceDown paged ${((page.at - killedAt) / 1000).toFixed(0)} s after the kill, at the operator's ${config.monitoring.scrapeInterval} scrape interval`);
        // The chart groups by namespace with a 5m group_interval, and the health burn (the probe's
        // 502s) opens that group first: ServiceDown's own notification may wait 5 minutes. That
        // the platform's config routes it to `null` shows in its Alertmanager at once.
        const chartAlertmanager = `http://${host}:${alertmanagers.find((a) => a.service === platform.sharedAlertmanager)!.loopback}`;
        await waitFor("TaskMcpServiceDown in the platform's Alertmanager, for its null receiver", async () =>
            (await alertmanagerAlerts(chartAlertmanager)).find((a) => a.labels.alertname === "TaskMcpServiceDown" && a.receivers.some((r) => r.name === "null")), 60_000, 1000);
    });
}

/**
 * The promtool suites (test/promql, shaped for prod's limits like test/tools runs them) on our
 * rule file as the operator wrote it for Prometheus to load.
 */
async function expectOperatorRulesPassSuites(stack: string): Promise<void> {
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

describe("cluster: the stacks on a local API server", function () {
    this.timeout(900_000);
    const devReplicas = stackConfig("dev").replicas.min;

    before(() => {
        cluster("up");
        process.env.KUBECONFIG = kubeconfig;
        configDir = tempDir("operator-configs");
    });
    after(() => {
        cluster("down");
        fs.rmSync(configDir, { recursive: true, force: true });
    });

    it("fails on bad config before any object reaches the API server", async () => {
        const bad = await testStack("dev", { renderDirectory: undefined, replicas: { min: 5, max: 3 } });
        try {
            let output = "";
            const error = await bad.stack.up({ onOutput: (o) => (output += o) }).then(() => undefined, (e: Error) => e);
            expect(error, "up must fail").to.be.instanceOf(Error);
            expect(output).to.contain('Invalid config for stack "dev"');
            expect(labelledObjects()).to.deep.equal([]);
            expect(namespaceExists(), "namespace must not exist").to.equal(false);
        } finally {
            bad.cleanup();
        }
    });

    describe("dev, applied once by the hook below; each test leaves it applied, the last destroys it", () => {
        let s: TestStack;
        let output = "";

        before("apply the dev stack and wait until it is Available", async () => {
            s = await testStack("dev", { renderDirectory: undefined });
            const up = await s.stack.up({ onOutput: (o) => (output += o) });
            expect(up.summary.result, output).to.equal("succeeded");
            await availableWith(devReplicas);
        });
        after(() => s?.cleanup());

        it("was accepted by the API server's schema and Pod Security admission, every object present", () => {
            expect(output).to.not.match(/warning: .*(unknown field|would violate PodSecurity)/i);
            const ns = json(`kubectl get namespace ${workload.namespace}`);
            expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).to.equal("restricted");
            for (const kind of ["deployment", "service", "serviceaccount", "horizontalpodautoscaler", "poddisruptionbudget", "networkpolicy", "servicemonitor", "prometheusrule"]) {
                expect(kubectl(`kubectl get ${kind} ${workload.name} -n ${workload.namespace} -o name`).trim(), kind).to.not.equal("");
            }
        });

        it("is picked up by the prometheus-operator: a scrape job per metrics endpoint, every alert in its rule files", async () => {
            await expectPickedUpByOperator("dev");
        });

        it("routes, in the config the operator generates from our Secret, every alert as the escalation table says", async () => {
            const file = await operatorConfigWith(platform.ownAlertmanager, "oncall");
            for (const [name, labels, receivers] of escalationCases("dev")) expect(amtoolRoute(file, labels), name).to.equal(receivers);
            expect(amtoolRoute(file, otherNamespaceAlert), "another namespace's alert").to.equal("ops");
            expectEveryAlertRouted("dev", file, ruleAlerts("dev"));
            await expectAlertmanagerDelivers(file);
        });

        it("routes the same in shared-platform mode, merged by the operator into the platform's Alertmanager, and only our namespace", async () => {
            const monitoring = stackFile("dev").config!["task-mcp:monitoring"] as Record<string, unknown>;
            const credentials = { slackWebhookUrl: "https://hooks.slack.invalid/placeholder", smtpPassword: "placeholder-smtp-password" };
            const prefix = `${workload.namespace}/${workload.name}/`;
            try {
                await s.stack.setConfig("task-mcp:monitoring", { value: JSON.stringify({ ...monitoring, sharedAlertmanager: true }) });
                for (const [key, value] of Object.entries(credentials)) await s.stack.setConfig(`task-mcp:${key}`, { value, secret: true });
                await s.stack.up();
                expect(kubectl(`kubectl get secret ${platform.ownConfigSecret} -n ${platform.namespace} --ignore-not-found -o name`).trim(), "whole-config Secret").to.equal("");
                const file = await operatorConfigWith(platform.sharedAlertmanager, `${prefix}oncall`);
                // The operator resolved our Secret references: the credentials are in its config, not in our objects.
                expect(fs.readFileSync(file, "utf8")).to.contain(credentials.slackWebhookUrl);
                for (const [name, labels, receivers] of escalationCases("dev")) expect(amtoolRoute(file, labels, prefix), name).to.equal(receivers);
                // The namespace matcher: another team's alert never reaches our receivers.
                expect(amtoolRoute(file, otherNamespaceAlert), "another namespace's alert").to.equal("null");
                expectEveryAlertRouted("dev", file, ruleAlerts("dev"), prefix);
                await expectAlertmanagerDelivers(file, prefix);
            } finally {
                await s.stack.setConfig("task-mcp:monitoring", { value: JSON.stringify(monitoring) });
                for (const key of Object.keys(credentials)) await s.stack.removeConfig(`task-mcp:${key}`);
                await s.stack.up();
            }
            expect(kubectl(`kubectl get alertmanagerconfig -n ${workload.namespace} -o name`).trim(), "AlertmanagerConfig removed").to.equal("");
            await operatorConfigWith(platform.ownAlertmanager, "oncall");
        });

        it("runs as the operator generated it: discovered through the API server, the real server scraped, its outage paged", async () => {
            await expectGeneratedConfigsPage("dev");
        });

        it("pages a total outage no scrape sees (pods Running, none Ready) from the real kube-state-metrics, and its other alerts from its real output", async () => {
            const config = stackConfig("dev");
            const deployment = `namespace="${workload.namespace}",deployment="${workload.name}"`;
            const alertState = (alert: string, state: string) => `count(ALERTS{alertname="${alert}",alertstate="${state}",environment="dev"})`;
            try {
                await withGeneratedMonitoring("dev", async ({ prometheusUrl, told }) => {
                    // The chart's ServiceMonitor for kube-state-metrics, as the operator generated its job, with the chart's honorLabels.
                    await queryReaches(prometheusUrl, `kube_deployment_status_replicas_ready{job="${kubeStateMetrics.appName}",${deployment}}`, String(devReplicas));
                    // The heartbeat: the Watchdog at the dead man's switch, labelled with its stack.
                    const beat = await waitFor("the Watchdog at the dead man's switch", async () => told("deadmansswitch", "Watchdog"), 120_000, 1000);
                    expect(beat.commonLabels).to.include({ environment: "dev", severity: "none" });

                    // The kubelet reports the app OOM-killed three times and the proxy (a native sidecar) restarted three times.
                    const [first] = servicePods();
                    markRestarted(first, workload.name, 3, "OOMKilled");
                    markRestarted(first, proxyContainer, 3, "Error");
                    await waitFor("TaskMcpPodRestarting and TaskMcpOOMKilled at ops", async () => (told("ops", "TaskMcpPodRestarting") && told("ops", "TaskMcpOOMKilled") ? true : undefined), 180_000, 1000);
                    const restarting = await instantQuery(prometheusUrl, `ALERTS{alertname="TaskMcpPodRestarting",alertstate="firing"}`);
                    expect(restarting.map((r) => r.metric.pod)).to.deep.equal([first]);
                    expect(await instantQuery(prometheusUrl, `increase(kube_pod_init_container_status_restarts_total{container="${proxyContainer}"}[15m]) > 2`), "the proxy's restarts, counted as an init container's").to.have.length(1);

                    // At the HPA's maximum (no metrics here, so the HPA keeps what it is given): its alert pending (15m for).
                    kubectl(`kubectl scale deployment ${workload.name} --replicas=${config.replicas.max} -n ${workload.namespace}`);
                    await availableWith(config.replicas.max);
                    await queryReaches(prometheusUrl, alertState("TaskMcpHpaAtMaximum", "pending"), "1");

                    // Every pod Running but failing readiness: scrapes still answer, the Service has no endpoint.
                    for (const pod of servicePods()) markNotReady(pod);
                    const notReadyAt = Date.now();
                    const page = await waitFor("TaskMcpNoReadyPods at on-call", async () => told("oncall", "TaskMcpNoReadyPods"), 240_000, 1000);
                    console.log(`      no Ready pod paged on-call ${((page.at - notReadyAt) / 1000).toFixed(0)} s after the last pod went NotReady (kube-state-metrics scraped every ${config.monitoring.scrapeInterval})`);
                    expect(page.commonLabels).to.include({ environment: "dev", outage: "total", severity: "critical" });
                    await queryReaches(prometheusUrl, alertState("TaskMcpReplicasUnavailable", "pending"), "1");
                    expect(await instantQuery(prometheusUrl, `up{job="${workload.name}"} == 1`), "every scrape still answers").to.not.deep.equal([]);
                    expect(await instantQuery(prometheusUrl, `ALERTS{alertname="TaskMcpServiceDown"}`), "ServiceDown, blind to readiness").to.deep.equal([]);
                });
            } finally {
                // As it was: new pods for the NotReady ones, and the stack's replica count.
                kubectl(`kubectl scale deployment ${workload.name} --replicas=${devReplicas} -n ${workload.namespace}`);
                kubectl(`kubectl delete pods -n ${workload.namespace} -l ${workload.appLabel}=${workload.name} --wait=false`);
                await availableWith(devReplicas);
            }
        });

        it("is not picked up with a release label kube-prometheus-stack does not select (the check above can fail)", async () => {
            const monitor = json(`kubectl get servicemonitor ${workload.name} -n ${workload.namespace}`);
            const copy = (name: string, release: string) => ({
                apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor",
                metadata: { name, namespace: workload.namespace, labels: { ...monitor.metadata.labels, release } },
                spec: monitor.spec,
            });
            const selected = monitor.metadata.labels.release as string;
            try {
                for (const [name, release] of [["selected-control", selected], ["wrong-release", "prometheus"]]) {
                    clusterApply([copy(name, release)]);
                }
                // Once the control is in, the operator has reconciled both.
                const jobs = await waitFor("the control ServiceMonitor's job", async () => {
                    const all = operatorScrapeJobs().map((j) => j.job_name);
                    return all.some((n) => n.startsWith(`serviceMonitor/${workload.namespace}/selected-control/`)) ? all : undefined;
                }, 60_000, 1000);
                expect(jobs.filter((n) => n.includes("/wrong-release/"))).to.deep.equal([]);
            } finally {
                kubectl(`kubectl delete servicemonitor selected-control wrong-release -n ${workload.namespace} --ignore-not-found`);
            }
        });

        it("runs Ready pods that `kubectl get pods -n task-mcp -l app=task-mcp-http` lists", async () => {
            const pods = await waitFor("a Ready pod", async () => {
                const list = json(guideCommands.status).items as Array<{ status: { conditions?: Array<{ type: string; status: string }> } }>;
                const ready = list.filter((p) => p.status.conditions?.some((c) => c.type === "Ready" && c.status === "True"));
                return ready.length > 0 ? ready : undefined;
            }, 120_000, 1000);
            expect(pods.length).to.be.at.least(1);
        });

        it("is not undone by the next preview after `kubectl scale`", async () => {
            kubectl(guideCommands.scale);
            expect(json(`kubectl get deployment ${workload.name} -n ${workload.namespace}`).spec.replicas).to.equal(5);
            expect(await previewChanges(s)).to.deep.equal([]);
        });

        it("is not undone by the next preview after `kubectl rollout restart`", async () => {
            kubectl(guideCommands.restart);
            const annotations = json(`kubectl get deployment ${workload.name} -n ${workload.namespace}`).spec.template.metadata.annotations;
            expect(annotations).to.have.property("kubectl.kubernetes.io/restartedAt");
            expect(await previewChanges(s)).to.deep.equal([]);
        });

        it("detects a ServiceMonitor deleted behind its back and repairs it", async () => {
            kubectl(`kubectl delete servicemonitor ${workload.name} -n ${workload.namespace}`);
            const recorder = stepRecorder();
            await s.stack.preview({ refresh: true, onEvent: recorder.onEvent });
            expect(recorder.steps.filter((st) => st.op !== "same" && st.type.endsWith("ServiceMonitor")).map((st) => st.op)).to.include("create");
            await s.stack.up({ refresh: true });
            expect(kubectl(`kubectl get servicemonitor ${workload.name} -n ${workload.namespace} -o name`).trim()).to.equal(`servicemonitor.monitoring.coreos.com/${workload.name}`);
        });

        it("detects a label removed behind its back and puts it back", async () => {
            kubectl(`kubectl label service ${workload.name} -n ${workload.namespace} ${workload.appLabel}-`);
            const recorder = stepRecorder();
            await s.stack.preview({ refresh: true, onEvent: recorder.onEvent });
            expect(recorder.steps.filter((st) => st.op === "update").map((st) => st.name)).to.include("task-mcp-svc-service");
            await s.stack.up({ refresh: true });
            const labels = json(`kubectl get service ${workload.name} -n ${workload.namespace}`).metadata.labels;
            expect(labels[workload.appLabel]).to.equal(workload.name);
        });

        it("adds canary pods behind the same Service, and removes them again", async () => {
            await s.stack.setConfig("task-mcp:canary", { value: JSON.stringify({ enabled: true, image: "ghcr.io/fission-ai/task-mcp-http:1.5.0-rc.1", weightPercent: 50 }) });
            await s.stack.up();
            const canaryPods = () => json(`kubectl get pods -n ${workload.namespace} -l app=${workload.name},track=canary`).items as unknown[];
            expect((await waitFor("a canary pod", async () => (canaryPods().length > 0 ? canaryPods() : undefined), 120_000, 1000)).length).to.be.at.least(1);
            await s.stack.setConfig("task-mcp:canary", { value: JSON.stringify({ enabled: false }) });
            await s.stack.up();
            await waitFor("no canary pods", async () => (canaryPods().length === 0 ? true : undefined), 120_000, 1000);
        });

        it("destroys everything the stack created", async () => {
            await s.stack.destroy();
            expect(await stateResources(s)).to.deep.equal([]);
            expect(labelledObjects()).to.deep.equal([]);
            expect(namespaceExists(), "namespace deleted").to.equal(false);
        });
    });

    it("converges after an up killed halfway: cancel, refresh --clear-pending-creates, up (docs/engine.md)", async () => {
        const s = await testStack("dev", { renderDirectory: undefined });
        try {
            // Step 1, the reference: what a clean apply leaves.
            await s.stack.up();
            await availableWith(devReplicas);
            const clean = await snapshot(s);
            await s.stack.destroy();
            expect(labelledObjects(), "step 1 left objects behind").to.deep.equal([]);

            // Step 2: an up SIGKILLed while the Deployment is being created.
            let killed = false;
            const error = await s.stack
                .up({
                    onEvent: (e: EngineEvent) => {
                        const step = e.resourcePreEvent?.metadata;
                        // Halfway: the namespace, account and Secret exist; the Deployment is being created.
                        if (!killed && step?.op === "create" && step.type === "kubernetes:apps/v1:Deployment") {
                            killed = true;
                            killPulumiUp();
                        }
                    },
                })
                .then(() => undefined, (e: Error) => e);
            expect(killed, "killed mid-update").to.equal(true);
            expect(String(error)).to.contain("SIGKILL");
            const interrupted = (await s.stack.exportStack()).deployment;
            const pending = (interrupted.pending_operations ?? []).map((op: { resource: { urn: string } }) => op.resource.urn.split("::").pop());
            expect(pending).to.include("task-mcp-svc-deployment");
            expect(interrupted.resources.length).to.be.lessThan(clean.resources);

            // Step 3: the documented recovery.
            await s.stack.cancel();
            await s.stack.refresh({ clearPendingCreates: true });
            await s.stack.up();

            // Step 4: nothing lost or doubled against step 1, one ReplicaSet included.
            const state = (await s.stack.exportStack()).deployment;
            expect(state.pending_operations ?? [], "no pending operations left").to.deep.equal([]);
            const urns = state.resources.map((r: { urn: string }) => r.urn);
            expect(new Set(urns).size, "no resource twice in state").to.equal(urns.length);
            expect(await snapshot(s)).to.deep.equal(clean);
            await availableWith(devReplicas);
            expect(await previewChanges(s)).to.deep.equal([]);
            await s.stack.destroy();
            expect(labelledObjects()).to.deep.equal([]);
        } finally {
            s.cleanup();
        }
    });

    it("prod: Available with its replicas; the protected namespace refuses destroy until unprotected", async () => {
        const secrets = { slackWebhookUrl: { secure: "https://hooks.slack.invalid/placeholder" }, smtpPassword: { secure: "placeholder-smtp-password" } };
        const prod = await testStack("prod", { renderDirectory: undefined, ...secrets });
        try {
            await prod.stack.up();
            // Three pods although the Deployment sets no count: the HPA raises it to replicas.min.
            await availableWith(stackConfig("prod").replicas.min);
            await expectPickedUpByOperator("prod");
            const file = await operatorConfigWith(platform.ownAlertmanager, "oncall");
            expectEveryAlertRouted("prod", file, ruleAlerts("prod"));
            await expectOperatorRulesPassSuites("prod");
            const error = await prod.stack.destroy().then(() => undefined, (e: Error) => e);
            expect(String(error)).to.match(/protected/i);
            expect(namespaceExists(), "namespace kept").to.equal(true);
            await prod.stack.setConfig("task-mcp:protectNamespace", { value: "false" });
            await prod.stack.up();
            await prod.stack.destroy();
            expect(labelledObjects()).to.deep.equal([]);
            expect(namespaceExists(), "namespace deleted").to.equal(false);
        } finally {
            prod.cleanup();
        }
    });
});
