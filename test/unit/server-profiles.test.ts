import { expect } from "chai";
import { serverSchema } from "../../components/config/schema";
import { serviceMonitorSpec } from "../../components/monitoring/scrape";
import { serverCommands, serverProfileNames, serverProfiles } from "../../components/server-profiles";
import { containerEnv, networkPolicySpec, podTemplate, serviceSpec, workloadSettings } from "../../components/workload";
import { ServiceSettings } from "../../components/config/schema";
import { fixtureStackConfig } from "../support/fixtures";

function settings(profile: string): ServiceSettings {
    return workloadSettings(fixtureStackConfig("prod", { server: { profile } }));
}
const container = (s: ServiceSettings) => (podTemplate(s, "stable", s.image) as any).spec.containers[0];

describe("server profiles", () => {
    it("each named profile passes the schema its overrides must pass, and resolves to itself", () => {
        for (const name of serverProfileNames) {
            const resolved = serverSchema.parse({ profile: name });
            expect(resolved).to.deep.equal({ ...serverProfiles[name], name });
            // Its fields, written as overrides, are valid config too.
            const { metricsEndpoints, env } = serverProfiles[name];
            expect(serverSchema.safeParse({ profile: name, metricsEndpoints, env }).success, name).to.equal(true);
        }
    });

    it("defaults to upstream, the profile today's image needs to become Ready; dev and prod use it", () => {
        expect(serverSchema.parse({}).name).to.equal("upstream");
        expect(fixtureStackConfig("dev").server.name).to.equal("upstream");
        expect(fixtureStackConfig("prod").server.name).to.equal("upstream");
    });

    it("upstream: OpenTelemetry off, a writable emptyDir as working directory, node run directly, behind the proxy", () => {
        const c = container(settings("upstream"));
        const env = Object.fromEntries(containerEnv(settings("upstream")).map((e: any) => [e.name, e.value]));
        expect(env).to.include({ PORT: "3001", OTEL_ENABLED: "false", WORKING_DIRECTORY: "/var/lib/task-mcp" });
        expect(c.workingDir).to.equal("/var/lib/task-mcp");
        expect(c.volumeMounts).to.deep.include({ name: "work", mountPath: "/var/lib/task-mcp" });
        expect(c.securityContext.readOnlyRootFilesystem).to.equal(true);
        expect(c.command).to.deep.equal(["/nodejs/bin/node", "/app/dist/index.js"]);
        expect(c.ports).to.deep.equal([{ name: "app", containerPort: 3001, protocol: "TCP" }]);
        // Kubelet probes go to the app's own port, never through the proxy.
        expect([c.startupProbe, c.livenessProbe, c.readinessProbe].map((p: any) => p.httpGet.port)).to.deep.equal(["app", "app", "app"]);
    });

    it("upstream: the proxy is a native sidecar holding the guide's port, and the Service, ServiceMonitor and NetworkPolicy follow", () => {
        const s = settings("upstream");
        const [proxy] = (podTemplate(s, "stable", s.image) as any).spec.initContainers;
        expect(proxy.restartPolicy).to.equal("Always");
        expect(proxy.image).to.equal("caddy:2.11.9");
        expect(proxy.ports.map((p: any) => `${p.name}:${p.containerPort}`)).to.deep.equal(["http:3000", "proxy-health:3002", "proxy-metrics:9180"]);
        expect(proxy.securityContext).to.include({ readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false });
        // The official image's binary has cap_net_bind_service=+ep: without it in the bounding set it cannot exec.
        expect(proxy.securityContext.capabilities).to.deep.equal({ drop: ["ALL"], add: ["NET_BIND_SERVICE"] });
        expect((serviceSpec(s) as any).ports.map((p: any) => `${p.name}:${p.port}`)).to.deep.equal([
            "http:3000",
            "proxy-health:3002",
            "proxy-metrics:9180",
            "app:3001",
        ]);
        expect(serviceMonitorSpec(s, "30s").endpoints.map((e) => `${e.port}${e.path}`)).to.deep.equal(["app/metrics", "proxy-metrics/metrics"]);
        const ingress = (networkPolicySpec(s) as any).ingress;
        expect(ingress[0].ports).to.deep.equal([{ protocol: "TCP", port: 3000 }]);
        expect(ingress[1].ports.map((p: any) => p.port)).to.deep.equal([3002, 9180, 3001]);
    });

    it("upstream-otel: the exporter's port on the container, the Service, the ServiceMonitor and (monitoring only) the NetworkPolicy", () => {
        const s = settings("upstream-otel");
        expect(container(s).ports).to.deep.include({ name: "otel-metrics", containerPort: 9464, protocol: "TCP" });
        expect(containerEnv(s)).to.deep.include({ name: "OTEL_PROMETHEUS_PORT", value: "9464" });
        expect((podTemplate(s, "stable", s.image) as any).spec).to.not.have.property("initContainers");
        expect((serviceSpec(s) as any).ports.map((p: any) => `${p.name}:${p.port}`)).to.deep.equal(["http:3000", "otel-metrics:9464"]);
        expect(serviceMonitorSpec(s, "30s").endpoints.map((e) => `${e.port}${e.path}`)).to.deep.equal(["http/metrics", "otel-metrics/metrics"]);
        const ingress = (networkPolicySpec(s) as any).ingress;
        expect(ingress[1]).to.deep.equal({
            from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }],
            ports: [{ protocol: "TCP", port: 9464 }],
        });
    });

    it("guide: the documented contract, nothing extra", () => {
        const c = container(settings("guide"));
        expect(c.livenessProbe.httpGet.path).to.equal("/health/live");
        expect(c).to.not.have.property("workingDir");
        expect(c).to.not.have.property("command");
        expect((networkPolicySpec(settings("guide")) as any).ingress).to.have.length(1);
    });

    it("gives commands that work against the profile's server", () => {
        expect(Object.values(serverCommands(serverProfiles.upstream))).to.deep.equal([
            "kubectl port-forward svc/task-mcp-http 3000 -n task-mcp &",
            "curl -fsS http://127.0.0.1:3000/healthz",
            "curl -fsS http://127.0.0.1:3000/readyz",
            "curl -fsS http://127.0.0.1:3000/metrics",
        ]);
        const otel = Object.values(serverCommands(serverProfiles["upstream-otel"]));
        expect(otel).to.include("curl -fsS http://127.0.0.1:9464/metrics");
        expect(otel[0]).to.equal("kubectl port-forward svc/task-mcp-http 3000 9464 -n task-mcp &");
    });

    it("lets a stack override what a build changes, e.g. a fixed release's env", () => {
        const fixed = fixtureStackConfig("prod", { server: { profile: "upstream-otel", env: { LOG_LEVEL: "warn" } } }).server;
        expect(fixed.env).to.include({ OTEL_ENABLED: "true", LOG_LEVEL: "warn", HOST: "0.0.0.0" });
    });
});
