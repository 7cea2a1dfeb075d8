/** The service's pods answer the guide's health paths: liveness and readiness probes use them. */
import { workload } from "../components/contract";
import { Check, Probe, labelsOf, podSpecOf } from "./resource";

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
    return [
        probeProblem("liveness", container.livenessProbe, workload.paths.liveness),
        probeProblem("readiness", container.readinessProbe, workload.paths.readiness),
    ]
        .filter((p): p is string => p !== undefined)
        .map((p) => `container ${container.name} ${p}`);
};
