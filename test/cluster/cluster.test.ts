/**
 * End to end on a local control plane (scripts/cluster.sh): the dev stack applied to a real API
 * server with Pod Security admission, the operations guide's commands, and a program that does
 * not fight the operators.
 */
import { EngineEvent } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { guideCommands, workload } from "../../components/contract";
import { clusterApply, clusterKubeconfig as kubeconfig, clusterScript as cluster } from "../../scripts/lib/cluster";
import { stackConfig, stackFile } from "../../scripts/lib/stacks";
import { stateResources, stepRecorder, testStack, TestStack } from "../support/test-stack";
import { tempDir, waitFor } from "../support/processes";
import {
    availableWith,
    json,
    killPulumiUp,
    kubectl,
    labelledObjects,
    markNotReady,
    markRestarted,
    namespaceExists,
    operatorScrapeJobs,
    previewChanges,
    servicePods,
    snapshot,
} from "./helpers";
import { instantQuery } from "../support/monitoring-stack";
import * as fs from "fs";
import { kubeStateMetrics, platform } from "../../scripts/lib/kube-prometheus-stack";
import { proxyContainer } from "../../components/proxy";
import {
    expectAlertmanagerDelivers,
    expectGeneratedConfigsPage,
    expectOperatorRulesPassSuites,
    expectPickedUpByOperator,
    operatorConfigWith,
    queryReaches,
    ruleAlerts,
    withGeneratedMonitoring,
} from "./operator-run";
import { amtoolRoute, escalationCases, expectEveryAlertRouted, otherNamespaceAlert } from "../support/routing-cases";

describe("cluster: the stacks on a local API server", function () {
    this.timeout(900_000);
    const devReplicas = stackConfig("dev").replicas.min;

    /** Where operatorConfigWith writes the configs it returns. */
    let configDir: string;
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
            const error = await bad.stack.up({ onOutput: (o) => (output += o) }).then(
                () => undefined,
                (e: Error) => e,
            );
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
            for (const kind of [
                "deployment",
                "service",
                "serviceaccount",
                "horizontalpodautoscaler",
                "poddisruptionbudget",
                "networkpolicy",
                "servicemonitor",
                "prometheusrule",
            ]) {
                expect(kubectl(`kubectl get ${kind} ${workload.name} -n ${workload.namespace} -o name`).trim(), kind).to.not.equal("");
            }
        });

        it("is picked up by the prometheus-operator: a scrape job per metrics endpoint, every alert in its rule files", async () => {
            await expectPickedUpByOperator("dev");
        });

        it("routes, in the config the operator generates from our Secret, every alert as the escalation table says", async () => {
            const file = await operatorConfigWith(platform.ownAlertmanager, "oncall", configDir);
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
                expect(
                    kubectl(`kubectl get secret ${platform.ownConfigSecret} -n ${platform.namespace} --ignore-not-found -o name`).trim(),
                    "whole-config Secret",
                ).to.equal("");
                const file = await operatorConfigWith(platform.sharedAlertmanager, `${prefix}oncall`, configDir);
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
            await operatorConfigWith(platform.ownAlertmanager, "oncall", configDir);
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
                    await queryReaches(
                        prometheusUrl,
                        `kube_deployment_status_replicas_ready{job="${kubeStateMetrics.appName}",${deployment}}`,
                        String(devReplicas),
                    );
                    // The heartbeat: the Watchdog at the dead man's switch, labelled with its stack.
                    const beat = await waitFor("the Watchdog at the dead man's switch", async () => told("deadmansswitch", "Watchdog"), 120_000, 1000);
                    expect(beat.commonLabels).to.include({ environment: "dev", severity: "none" });

                    // The kubelet reports the app OOM-killed three times and the proxy (a native sidecar) restarted three times.
                    const [first] = servicePods();
                    markRestarted(first, workload.name, 3, "OOMKilled");
                    markRestarted(first, proxyContainer, 3, "Error");
                    await waitFor(
                        "TaskMcpPodRestarting and TaskMcpOOMKilled at ops",
                        async () => (told("ops", "TaskMcpPodRestarting") && told("ops", "TaskMcpOOMKilled") ? true : undefined),
                        180_000,
                        1000,
                    );
                    const restarting = await instantQuery(prometheusUrl, `ALERTS{alertname="TaskMcpPodRestarting",alertstate="firing"}`);
                    expect(restarting.map((r) => r.metric.pod)).to.deep.equal([first]);
                    expect(
                        await instantQuery(prometheusUrl, `increase(kube_pod_init_container_status_restarts_total{container="${proxyContainer}"}[15m]) > 2`),
                        "the proxy's restarts, counted as an init container's",
                    ).to.have.length(1);

                    // At the HPA's maximum (no metrics here, so the HPA keeps what it is given): its alert pending (15m for).
                    kubectl(`kubectl scale deployment ${workload.name} --replicas=${config.replicas.max} -n ${workload.namespace}`);
                    await availableWith(config.replicas.max);
                    await queryReaches(prometheusUrl, alertState("TaskMcpHpaAtMaximum", "pending"), "1");

                    // Every pod Running but failing readiness: scrapes still answer, the Service has no endpoint.
                    for (const pod of servicePods()) markNotReady(pod);
                    const notReadyAt = Date.now();
                    const page = await waitFor("TaskMcpNoReadyPods at on-call", async () => told("oncall", "TaskMcpNoReadyPods"), 240_000, 1000);
                    console.log(
                        `      no Ready pod paged on-call ${((page.at - notReadyAt) / 1000).toFixed(0)} s after the last pod went NotReady (kube-state-metrics scraped every ${config.monitoring.scrapeInterval})`,
                    );
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
                apiVersion: "monitoring.coreos.com/v1",
                kind: "ServiceMonitor",
                metadata: { name, namespace: workload.namespace, labels: { ...monitor.metadata.labels, release } },
                spec: monitor.spec,
            });
            const selected = monitor.metadata.labels.release as string;
            try {
                for (const [name, release] of [
                    ["selected-control", selected],
                    ["wrong-release", "prometheus"],
                ]) {
                    clusterApply([copy(name, release)]);
                }
                // Once the control is in, the operator has reconciled both.
                const jobs = await waitFor(
                    "the control ServiceMonitor's job",
                    async () => {
                        const all = operatorScrapeJobs().map((j) => j.job_name);
                        return all.some((n) => n.startsWith(`serviceMonitor/${workload.namespace}/selected-control/`)) ? all : undefined;
                    },
                    60_000,
                    1000,
                );
                expect(jobs.filter((n) => n.includes("/wrong-release/"))).to.deep.equal([]);
            } finally {
                kubectl(`kubectl delete servicemonitor selected-control wrong-release -n ${workload.namespace} --ignore-not-found`);
            }
        });

        it("runs Ready pods that `kubectl get pods -n task-mcp -l app=task-mcp-http` lists", async () => {
            const pods = await waitFor(
                "a Ready pod",
                async () => {
                    const list = json(guideCommands.status).items as Array<{ status: { conditions?: Array<{ type: string; status: string }> } }>;
                    const ready = list.filter((p) => p.status.conditions?.some((c) => c.type === "Ready" && c.status === "True"));
                    return ready.length > 0 ? ready : undefined;
                },
                120_000,
                1000,
            );
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
            expect(kubectl(`kubectl get servicemonitor ${workload.name} -n ${workload.namespace} -o name`).trim()).to.equal(
                `servicemonitor.monitoring.coreos.com/${workload.name}`,
            );
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
            await s.stack.setConfig("task-mcp:canary", {
                value: JSON.stringify({ enabled: true, image: "ghcr.io/fission-ai/task-mcp-http:1.5.0-rc.1", weightPercent: 50 }),
            });
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

    it("converges after an up killed halfway: cancel, refresh --clear-pending-creates, an up that adopts (docs/engine.md)", async () => {
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
                .then(
                    () => undefined,
                    (e: Error) => e,
                );
            expect(killed, "killed mid-update").to.equal(true);
            expect(String(error)).to.contain("SIGKILL");
            const interrupted = (await s.stack.exportStack()).deployment;
            const pending = (interrupted.pending_operations ?? []).map((op: { resource: { urn: string } }) => op.resource.urn.split("::").pop());
            expect(pending).to.include("task-mcp-svc-deployment");
            expect(interrupted.resources.length).to.be.lessThan(clean.resources);

            // Step 3: the documented recovery. The killed run created objects the state no longer
            // holds: a plain up refuses them ("already exists", provider 4.32's default),
            // the up with PULUMI_K8S_UPSERT_EXISTING_OBJECTS adopts them.
            await s.stack.cancel();
            await s.stack.refresh({ clearPendingCreates: true });
            const refused = await s.stack.up().then(
                () => undefined,
                (e: Error) => e,
            );
            // Whether the kill left an object behind depends on how far its creates got.
            console.log(`      a plain up after the kill: ${refused ? "refused an object the killed run had created" : "succeeded (nothing half-created)"}`);
            if (refused) {
                expect(String(refused), "a plain up after the kill").to.contain("already exists");
                process.env.PULUMI_K8S_UPSERT_EXISTING_OBJECTS = "true";
                try {
                    await s.stack.up();
                } finally {
                    delete process.env.PULUMI_K8S_UPSERT_EXISTING_OBJECTS;
                }
            }

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
            // Whatever failed above, leave no object for the next test to trip over.
            await s.stack.destroy().catch(() => undefined);
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
            const file = await operatorConfigWith(platform.ownAlertmanager, "oncall", configDir);
            expectEveryAlertRouted("prod", file, ruleAlerts("prod"));
            await expectOperatorRulesPassSuites("prod");
            const error = await prod.stack.destroy().then(
                () => undefined,
                (e: Error) => e,
            );
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
