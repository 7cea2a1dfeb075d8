/**
 * The documented procedures (docs/operations/procedures, maintenance), run on the local control
 * plane: a change deployed and rolled back by config, the HPA bounds as applied, an image update
 * rolled out, and a stack restored from its export after its namespace was lost.
 */
import { expect } from "chai";
import { workload } from "../../components/contract";
import { clusterKubeconfig, clusterScript as cluster } from "../../scripts/lib/cluster";
import { stackConfig } from "../../scripts/lib/stacks";
import { stateResources, testStack, TestStack } from "../support/test-stack";
import { waitFor } from "../support/processes";
import { availableWith, json, kubectl, labelledObjects, namespaceExists, previewChanges } from "./helpers";

const dev = stackConfig("dev");
const hpa = () => json(`kubectl get hpa ${workload.name} -n ${workload.namespace}`).spec;
const deployment = () => json(`kubectl get deployment ${workload.name} -n ${workload.namespace}`);

describe("cluster: the documented procedures", function () {
    this.timeout(900_000);
    let s: TestStack;

    before("a cluster with the dev stack applied and Available", async () => {
        cluster("up");
        process.env.KUBECONFIG = clusterKubeconfig;
        s = await testStack("dev", { renderDirectory: undefined });
        await s.stack.up();
        await availableWith(dev.replicas.min);
    });
    after(async () => {
        await s?.stack.destroy().catch(() => undefined);
        s?.cleanup();
        cluster("down");
    });

    it("scaling: the HPA applied has the stack's bounds (procedures/scaling.md)", () => {
        expect([hpa().minReplicas, hpa().maxReplicas]).to.deep.equal([dev.replicas.min, dev.replicas.max]);
    });

    it("deployment: a config change previews as exactly its field, applies, and rolls back by reverting config", async () => {
        const original = { value: JSON.stringify(dev.replicas) };
        await s.stack.setConfig("task-mcp:replicas", { value: JSON.stringify({ ...dev.replicas, max: dev.replicas.max + 2 }) });
        expect(await previewChanges(s)).to.deep.equal(["update task-mcp-svc-hpa spec.maxReplicas"]);
        await s.stack.up();
        expect(hpa().maxReplicas).to.equal(dev.replicas.max + 2);
        // The rollback: the previous config, through the same path; the preview is the inverse.
        await s.stack.setConfig("task-mcp:replicas", original);
        expect(await previewChanges(s)).to.deep.equal(["update task-mcp-svc-hpa spec.maxReplicas"]);
        await s.stack.up();
        expect(hpa().maxReplicas).to.equal(dev.replicas.max);
        expect(await previewChanges(s)).to.deep.equal([]);
    });

    it("system update: an image bump previews as the image and its version label, and rolls out never below the desired pods", async () => {
        const image = "ghcr.io/fission-ai/task-mcp-http:1.4.3";
        await s.stack.setConfig("task-mcp:image", { value: image });
        expect(await previewChanges(s)).to.deep.equal([
            'update task-mcp-svc-deployment spec.template.metadata.labels["app.kubernetes.io/version"],spec.template.spec.containers[0].image',
        ]);
        // Never below the desired count: maxUnavailable 0 surges a new pod before an old one goes.
        const available: number[] = [];
        const watching = setInterval(() => available.push(deployment().status.availableReplicas ?? 0), 250);
        try {
            await s.stack.up();
        } finally {
            clearInterval(watching);
        }
        const rolled = await waitFor(
            "the new image rolled out",
            async () => {
                const d = deployment();
                return d.status.updatedReplicas === dev.replicas.min && d.status.availableReplicas === dev.replicas.min ? d : undefined;
            },
            120_000,
            1000,
        );
        expect(rolled.spec.template.spec.containers[0].image).to.equal(image);
        expect(available.length, "samples during the rollout").to.be.greaterThan(3);
        expect(Math.min(...available), "available pods during the rollout").to.be.at.least(dev.replicas.min);
        expect(json(`kubectl get pdb ${workload.name} -n ${workload.namespace}`).spec.maxUnavailable).to.equal(1);
    });

    it("backup and recovery: the exported state, imported into a fresh backend after the namespace was lost, converges to the same objects", async () => {
        const before = { objects: labelledObjects(), resources: (await stateResources(s)).length };
        const backup = await s.stack.exportStack(); // pulumi stack export
        kubectl(`kubectl delete namespace ${workload.namespace} --wait=true`);
        await waitFor("the namespace gone", async () => (namespaceExists() ? undefined : true), 120_000, 1000);

        const restored = await testStack("dev", { renderDirectory: undefined, image: "ghcr.io/fission-ai/task-mcp-http:1.4.3" });
        try {
            await restored.stack.importStack(backup); // pulumi stack import, into a new backend
            const refresh = await restored.stack.refresh();
            expect(refresh.summary.resourceChanges?.delete ?? 0, "refresh finds what the cluster lost").to.be.greaterThan(5);
            await restored.stack.up();
            await availableWith(dev.replicas.min);
            expect((await stateResources(restored)).length).to.equal(before.resources);
            // The same objects; of the ReplicaSets only the current one comes back (history is not state).
            const withoutHistory = (objects: string[]) => objects.filter((o) => !o.startsWith("replicaset"));
            expect(withoutHistory(labelledObjects())).to.deep.equal(withoutHistory(before.objects));
            expect(labelledObjects().filter((o) => o.startsWith("replicaset"))).to.have.length(1);
            expect(await previewChanges(restored)).to.deep.equal([]);
            await restored.stack.destroy();
        } finally {
            restored.cleanup();
        }
    });
});
