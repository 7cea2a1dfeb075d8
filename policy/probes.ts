/**
 * The service's pods probe the paths their server really answers: those of the server profile
 * the pods are annotated with (task-mcp.io/server-profile). A transform or hand edit that changes
 * a probe, or a pod without the annotation, fails the preview.
 */
import { workload } from "../components/contract";
import { ServerProfileName, serverProfiles } from "../components/server-profiles";
import { serverProfileAnnotation } from "../components/workload";
import { Check, Probe, labelsOf, podSpecOf, podTemplateAnnotationsOf } from "./resource";

const servedPorts: readonly (string | number)[] = [workload.portName, workload.port];

function probeProblem(kind: string, probe: Probe | undefined, path: string): string | undefined {
    const get = probe?.httpGet;
    if (!get) return `has no ${kind} probe; expected an HTTP GET of ${path} on port ${workload.portName}`;
    if (get.path !== path || !servedPorts.includes(get.port!)) {
        return `${kind} probe gets ${get.path ?? "(no path)"} on port ${get.port ?? "(none)"}; expected ${path} on port ${workload.portName} (${workload.port})`;
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
        return [`pods labelled ${workload.appLabel}=${workload.name} carry no known ${serverProfileAnnotation} annotation (${name ?? "none"}); allowed: ${Object.keys(serverProfiles).join(", ")}`];
    }
    const { probes } = serverProfiles[name as ServerProfileName];
    return [
        probeProblem("startup", container.startupProbe, probes.startup),
        probeProblem("liveness", container.livenessProbe, probes.liveness),
        probeProblem("readiness", container.readinessProbe, probes.readiness),
    ]
        .filter((p): p is string => p !== undefined)
        .map((p) => `container ${container.name} ${p} (server profile ${name})`);
};
