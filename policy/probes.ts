/**
 * The service's pods probe the paths their server really answers: those of the server profile
 * the pods are annotated with (task-mcp.io/server-profile), on the app's own port (`http`, or
 * `app` behind the proxy), never through the proxy. A transform or hand edit that changes a
 * probe, or a pod without the annotation, fails the preview.
 */
import { workload } from "../components/contract";
import { appPortName } from "../components/proxy";
import { ServerProfileName, serverProfiles } from "../components/server-profiles";
import { serverProfileAnnotation } from "../components/workload";
import { Check, Container, Probe, labelsOf, podSpecOf, podTemplateAnnotationsOf } from "./resource";

/** The app container's own HTTP port: the guide's `http`, or `app` where a proxy holds `http`. */
function probedPort(container: Container): { name: string; containerPort: number } | undefined {
    const ports = container.ports ?? [];
    return ports.find((p) => p.name === appPortName) ?? ports.find((p) => p.name === workload.portName);
}

function probeProblem(kind: string, probe: Probe | undefined, path: string, port: { name: string; containerPort: number }): string | undefined {
    const get = probe?.httpGet;
    const expected = `${path} on port ${port.name} (${port.containerPort})`;
    if (!get) return `has no ${kind} probe; expected an HTTP GET of ${expected}`;
    if (get.path !== path || (get.port !== port.name && get.port !== port.containerPort)) {
        return `${kind} probe gets ${get.path ?? "(no path)"} on port ${get.port ?? "(none)"}; expected ${expected}`;
    }
    return undefined;
}

export const checkProbes: Check = (resource) => {
    const spec = podSpecOf(resource);
    if (!spec || labelsOf(resource)[workload.appLabel] !== workload.name) return [];
    const container = spec.containers?.find((c) => c.name === workload.name);
    if (!container) return [`pods labelled ${workload.appLabel}=${workload.name} have no container named ${workload.name}`];
    const name = podTemplateAnnotationsOf(resource)[serverProfileAnnotation];
    if (!name || !(name in serverProfiles)) {
        return [
            `pods labelled ${workload.appLabel}=${workload.name} carry no known ${serverProfileAnnotation} annotation (${name ?? "none"}); allowed: ${Object.keys(serverProfiles).join(", ")}`,
        ];
    }
    const { probes } = serverProfiles[name as ServerProfileName];
    const port = probedPort(container);
    if (!port) return [`container ${container.name} declares no port named ${appPortName} or ${workload.portName} to probe`];
    return [
        probeProblem("startup", container.startupProbe, probes.startup, port),
        probeProblem("liveness", container.livenessProbe, probes.liveness, port),
        probeProblem("readiness", container.readinessProbe, probes.readiness, port),
    ]
        .filter((p): p is string => p !== undefined)
        .map((p) => `container ${container.name} ${p} (server profile ${name})`);
};
