import { expect } from "chai";
import { workload } from "../../components/contract";
import { generatedToken, one, ProgramRun, runProgram, unwrap, byType } from "../support/mocks";
import { fixtureConfig } from "../support/fixtures";

const T = {
    namespace: "kubernetes:core/v1:Namespace",
    deployment: "kubernetes:apps/v1:Deployment",
    service: "kubernetes:core/v1:Service",
    hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    netpol: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    sa: "kubernetes:core/v1:ServiceAccount",
    secret: "kubernetes:core/v1:Secret",
};

describe("TaskMcpService (dev stack, the operations contract)", () => {
    let run: ProgramRun;
    before(async () => {
        run = await runProgram("dev", fixtureConfig("dev"));
        if (run.error) throw run.error;
    });

    const deployment = () => one(run, T.deployment, workload.name).inputs;
    const container = () => deployment().spec.template.spec.containers[0];

    it("creates namespace task-mcp with restricted Pod Security labels", () => {
        const ns = one(run, T.namespace, "task-mcp").inputs;
        for (const mode of ["enforce", "audit", "warn"]) {
            expect(ns.metadata.labels[`pod-security.kubernetes.io/${mode}`]).to.equal("restricted");
        }
    });

    it("puts every namespaced object in task-mcp or the monitoring namespace", () => {
        const namespaced = run.resources.filter((r) => r.type.startsWith("kubernetes:") && r.type !== T.namespace);
        expect(namespaced.length).to.be.greaterThan(10);
        for (const r of namespaced) expect(["task-mcp", "monitoring"], r.name).to.include(r.inputs.metadata.namespace);
    });

    it("declares Deployment task-mcp-http whose pods carry app=task-mcp-http", () => {
        const d = deployment();
        expect(d.metadata.namespace).to.equal("task-mcp");
        expect(d.spec.template.metadata.labels.app).to.equal("task-mcp-http");
        expect(d.spec.selector.matchLabels).to.deep.equal({ app: "task-mcp-http", track: "stable" });
    });

    it("exposes Service task-mcp-http:3000 selecting the pods, through the proxy's port http, and the app's own port", () => {
        expect(container().ports).to.deep.equal([{ name: "app", containerPort: 3001, protocol: "TCP" }]);
        const proxy = deployment().spec.template.spec.initContainers[0];
        expect(proxy.ports[0]).to.deep.equal({ name: "http", containerPort: 3000, protocol: "TCP" });
        const svc = one(run, T.service, "task-mcp-http").inputs;
        expect(svc.metadata.namespace).to.equal("task-mcp");
        expect(svc.spec.ports[0]).to.deep.equal({ name: "http", port: 3000, targetPort: 3000, protocol: "TCP" });
        expect(svc.spec.ports.map((p: any) => p.name)).to.deep.equal(["http", "proxy-health", "proxy-metrics", "app"]);
        expect(svc.spec.selector).to.deep.equal({ app: "task-mcp-http" });
    });

    it("gives the proxy its config in a ConfigMap, and rolls the pods when it changes", () => {
        const map = one(run, "kubernetes:core/v1:ConfigMap", "task-mcp-http-proxy").inputs;
        const config = JSON.parse(map.data["caddy.json"]);
        expect(config.admin).to.deep.equal({ disabled: true, config: { persist: false } });
        expect(config.apps.http.servers.api.listen).to.deep.equal([":3000"]);
        expect(config.apps.http.servers.api.routes[0].handle[0].upstreams).to.deep.equal([{ dial: "127.0.0.1:3001" }]);
        expect(deployment().spec.template.metadata.annotations["task-mcp.io/proxy-config-sha256"]).to.match(/^[0-9a-f]{64}$/);
    });

    it("probes the upstream server's /healthz (startup, liveness) and /readyz (readiness) on the app's own port", () => {
        const c = container();
        expect(c.livenessProbe.httpGet).to.deep.equal({ path: "/healthz", port: "app" });
        expect(c.readinessProbe.httpGet).to.deep.equal({ path: "/readyz", port: "app" });
        expect(c.startupProbe.httpGet).to.deep.equal({ path: "/healthz", port: "app" });
        expect(c.startupProbe.failureThreshold * c.startupProbe.periodSeconds).to.be.at.least(60);
    });

    it("sets requests and limits from config, plus bounded scratch storage", () => {
        expect(container().resources).to.deep.equal({
            requests: { cpu: "100m", memory: "128Mi", "ephemeral-storage": "64Mi" },
            limits: { cpu: "500m", memory: "256Mi", "ephemeral-storage": "256Mi" },
        });
        expect(container().imagePullPolicy).to.equal("Always");
    });

    it("runs with a restricted security context and no service account token", () => {
        const pod = deployment().spec.template.spec;
        expect(pod.automountServiceAccountToken).to.equal(false);
        expect(pod.securityContext).to.include({ runAsNonRoot: true });
        expect(pod.securityContext.seccompProfile).to.deep.equal({ type: "RuntimeDefault" });
        expect(container().securityContext).to.deep.include({
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            capabilities: { drop: ["ALL"] },
        });
        const sa = one(run, T.sa, "task-mcp-http").inputs;
        expect(sa.automountServiceAccountToken).to.equal(false);
    });

    it("leaves replicas to the HPA so kubectl scale and rollout restart are never reverted", () => {
        expect(deployment().spec).to.not.have.property("replicas");
        // Pod annotations change only with the profile or the proxy's config.
        expect(Object.keys(deployment().spec.template.metadata.annotations).sort()).to.deep.equal([
            "task-mcp.io/proxy-config-sha256",
            "task-mcp.io/server-profile",
        ]);
        const hpa = one(run, T.hpa, "task-mcp-http").inputs.spec;
        expect(hpa.scaleTargetRef).to.deep.equal({ apiVersion: "apps/v1", kind: "Deployment", name: "task-mcp-http" });
        expect([hpa.minReplicas, hpa.maxReplicas]).to.deep.equal([1, 3]);
        expect(hpa.metrics.map((m: any) => m.resource.name)).to.deep.equal(["cpu", "memory"]);
        expect(hpa.behavior.scaleDown.stabilizationWindowSeconds).to.equal(300);
    });

    it("rolls out without dropping below desired capacity and drains streaming connections", () => {
        expect(deployment().spec.strategy.rollingUpdate.maxUnavailable).to.equal(0);
        expect(deployment().spec.template.spec.terminationGracePeriodSeconds).to.equal(60);
    });

    it("has a PodDisruptionBudget that always allows one eviction", () => {
        expect(one(run, T.pdb, "task-mcp-http").inputs.spec.maxUnavailable).to.equal(1);
    });

    it("admits ingress to port http only from our, the monitoring and the ingress namespaces; egress to DNS and 443", () => {
        const np = one(run, T.netpol, "task-mcp-http").inputs.spec;
        expect(np.policyTypes).to.deep.equal(["Ingress", "Egress"]);
        expect(np.egress).to.deep.equal([
            {
                ports: [
                    { protocol: "UDP", port: 53 },
                    { protocol: "TCP", port: 53 },
                ],
            },
            { ports: [{ protocol: "TCP", port: 443 }] },
        ]);
        expect(np.ingress).to.have.length(2);
        expect(np.ingress[0].ports).to.deep.equal([{ protocol: "TCP", port: 3000 }]);
        // The app's own port, the probe's and the metrics ports: from the monitoring namespace only.
        expect(np.ingress[1].from[0].namespaceSelector.matchLabels).to.deep.equal({ "kubernetes.io/metadata.name": "monitoring" });
        expect(np.ingress[0].from[0].namespaceSelector.matchExpressions[0].values).to.deep.equal(["ingress-nginx", "monitoring", "task-mcp"]);
    });

    it("generates AUTH_TOKENS when none is configured, keeps it in a Secret and exports it as a secret", async () => {
        const env = container().env.find((e: any) => e.name === "AUTH_TOKENS");
        expect(env.valueFrom.secretKeyRef).to.deep.equal({ name: "task-mcp-http-auth", key: "AUTH_TOKENS" });
        expect(byType(run, "random:index/randomPassword:RandomPassword")).to.have.length(1);
        const out = await unwrap(run.exports.authTokens);
        expect(out).to.deep.equal({ value: generatedToken, secret: true });
    });

    it("declares no canary by default", () => {
        expect(byType(run, T.deployment)).to.have.length(1);
    });
});

describe("TaskMcpService options", () => {
    it("uses configured AUTH_TOKENS instead of generating one, still secret", async () => {
        const run = await runProgram("dev", fixtureConfig("dev"), { authTokens: "tok-a,tok-b" });
        expect(run.error).to.equal(undefined);
        expect(byType(run, "random:index/randomPassword:RandomPassword")).to.have.length(0);
        expect(await unwrap(run.exports.authTokens)).to.deep.equal({ value: "tok-a,tok-b", secret: true });
    });

    it("rotates the generated token only through authTokenRotation, which also rolls the pods", async () => {
        const plain = await runProgram("dev", fixtureConfig("dev"));
        const password = (r: typeof plain) => byType(r, "random:index/randomPassword:RandomPassword")[0].inputs;
        expect(password(plain)).to.not.have.property("keepers");
        const rotated = await runProgram("dev", { ...fixtureConfig("dev"), authTokenRotation: "2026-11" });
        expect(password(rotated).keepers).to.deep.equal({ rotation: "2026-11" });
        const annotations = one(rotated, T.deployment, "task-mcp-http").inputs.spec.template.metadata.annotations;
        expect(annotations).to.deep.include({ "task-mcp.io/auth-token-rotation": "2026-11" });
    });

    it("adds a canary Deployment behind the same Service with its own image and pod share", async () => {
        const config = { ...fixtureConfig("prod"), canary: { enabled: true, image: "ghcr.io/fission-ai/task-mcp-http:1.5.0-rc.1", weightPercent: 25 } };
        const run = await runProgram("prod", config);
        expect(run.error).to.equal(undefined);
        const canary = one(run, T.deployment, "task-mcp-http-canary").inputs.spec;
        expect(canary.template.spec.containers[0].image).to.equal("ghcr.io/fission-ai/task-mcp-http:1.5.0-rc.1");
        expect(canary.template.metadata.labels).to.include({ app: "task-mcp-http", track: "canary" });
        expect(canary.replicas).to.equal(1); // 3 stable minimum at 25 % -> 1 canary pod
        const svc = one(run, T.service, "task-mcp-http").inputs.spec;
        expect(canary.template.metadata.labels).to.include(svc.selector);
    });

    it("protects the namespace in prod only", async () => {
        const prod = await runProgram("prod", fixtureConfig("prod"));
        const dev = await runProgram("dev", fixtureConfig("dev"));
        expect(prod.error).to.equal(undefined);
        expect(one(prod, T.namespace).opts.protect).to.equal(true);
        expect(one(dev, T.namespace).opts.protect).to.equal(false);
    });
});
