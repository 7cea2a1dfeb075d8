/**
 * End to end on a local control plane (scripts/cluster.sh): the dev stack applied to a real API
 * server with Pod Security admission, the operations guide's commands, and a program that does
 * not fight the operators.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import { guideCommands, workload } from "../../components/contract";
import { clusterKubeconfig, clusterScript } from "../../scripts/lib/engine";
import { stepRecorder, testStack, TestStack } from "../engine/harness";
import { waitFor } from "../live/processes";

const kubeconfig = clusterKubeconfig;
const cluster = clusterScript;

/** Runs one of the guide's kubectl commands (without `-f`: the tests do not follow logs). */
function kubectl(command: string): string {
    const args = command.split(" ").slice(1).filter((a) => a !== "-f");
    const r = spawnSync("kubectl", ["--kubeconfig", kubeconfig, ...args], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${command}: ${r.stderr}`);
    return r.stdout;
}

describe("cluster: the dev stack on a local API server", function () {
    this.timeout(900_000);
    let s: TestStack;

    before(async () => {
        cluster("up");
        process.env.KUBECONFIG = kubeconfig;
        s = await testStack("dev", { renderDirectory: undefined });
    });

    after(() => {
        s?.cleanup();
        cluster("down");
    });

    const changesOfPreview = async () => {
        const recorder = stepRecorder();
        await s.stack.preview({ onEvent: recorder.onEvent });
        return recorder.steps.filter((st) => st.op !== "same").map((st) => `${st.op} ${st.name} ${st.diffs.join(",")}`);
    };

    it("applies every object; the API server's schema and Pod Security admission accept them", async () => {
        let output = "";
        const up = await s.stack.up({ onOutput: (o) => (output += o) });
        expect(up.summary.result, output).to.equal("succeeded");
        expect(output).to.not.match(/warning: .*(unknown field|would violate PodSecurity)/i);
        const ns = JSON.parse(kubectl(`kubectl get namespace ${workload.namespace} -o json`));
        expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).to.equal("restricted");
        for (const kind of ["deployment", "service", "serviceaccount", "horizontalpodautoscaler", "poddisruptionbudget", "networkpolicy", "servicemonitor", "prometheusrule"]) {
            expect(kubectl(`kubectl get ${kind} ${workload.name} -n ${workload.namespace} -o name`).trim(), kind).to.not.equal("");
        }
    });

    it("runs Ready pods that `kubectl get pods -n task-mcp -l app=task-mcp-http` lists", async () => {
        const pods = await waitFor("a Ready pod", async () => {
            const list = JSON.parse(kubectl(`${guideCommands.status} -o json`)).items as Array<{ status: { conditions?: Array<{ type: string; status: string }> } }>;
            const ready = list.filter((p) => p.status.conditions?.some((c) => c.type === "Ready" && c.status === "True"));
            return ready.length > 0 ? ready : undefined;
        }, 120_000, 1000);
        expect(pods.length).to.be.at.least(1);
    });

    it("is not undone by the next preview after `kubectl scale`", async () => {
        kubectl(guideCommands.scale);
        expect(JSON.parse(kubectl(`kubectl get deployment ${workload.name} -n ${workload.namespace} -o json`)).spec.replicas).to.equal(5);
        expect(await changesOfPreview()).to.deep.equal([]);
    });

    it("is not undone by the next preview after `kubectl rollout restart`", async () => {
        kubectl(guideCommands.restart);
        const annotations = JSON.parse(kubectl(`kubectl get deployment ${workload.name} -n ${workload.namespace} -o json`)).spec.template.metadata.annotations;
        expect(annotations).to.have.property("kubectl.kubernetes.io/restartedAt");
        expect(await changesOfPreview()).to.deep.equal([]);
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
        const labels = JSON.parse(kubectl(`kubectl get service ${workload.name} -n ${workload.namespace} -o json`)).metadata.labels;
        expect(labels[workload.appLabel]).to.equal(workload.name);
    });

    it("adds canary pods behind the same Service, and removes them again", async () => {
        await s.stack.setConfig("task-mcp:canary", { value: JSON.stringify({ enabled: true, image: "ghcr.io/fission-ai/task-mcp-http:1.5.0-rc.1", weightPercent: 50 }) });
        await s.stack.up();
        const canaryPods = () => JSON.parse(kubectl(`kubectl get pods -n ${workload.namespace} -l app=${workload.name},track=canary -o json`)).items as unknown[];
        expect((await waitFor("a canary pod", async () => (canaryPods().length > 0 ? canaryPods() : undefined), 120_000, 1000)).length).to.be.at.least(1);
        await s.stack.setConfig("task-mcp:canary", { value: JSON.stringify({ enabled: false }) });
        await s.stack.up();
        await waitFor("no canary pods", async () => (canaryPods().length === 0 ? true : undefined), 120_000, 1000);
    });

    it("destroys everything the stack created", async () => {
        await s.stack.destroy();
        expect((await s.stack.exportStack()).deployment.resources ?? []).to.deep.equal([]);
        const left = kubectl(`kubectl get deployment,service,hpa,pdb,networkpolicy,servicemonitor,prometheusrule -n ${workload.namespace} -o name`).trim();
        expect(left).to.equal("");
        const configMaps = kubectl("kubectl get configmap -n monitoring -l app=task-mcp-http -o name").trim();
        expect(configMaps).to.equal("");
    });
});
