/**
 * Health Check Availability from outside the app: the platform's blackbox exporter gets the
 * readiness path through the Service, as a client would, declared as the prometheus-operator's
 * `Probe`. Through the Service, a pod that runs but is not Ready is not there to answer: the probe
 * fails, where the app's own metrics (and `up`) would look fine.
 */
import { workload } from "../contract";
import { BlackboxExporterConfig } from "../config/schema";
import { proxyPortNames } from "../proxy";
import { podPorts } from "../workload";
import { ServiceSettings } from "../config/schema";

/** The Probe's `jobName`, so the `job` label of `probe_success` is ours and stable. */
export const probeJob = `${workload.name}-readiness`;
/** The blackbox exporter's metric: 1 for a probe that got a 2xx in time, else 0. */
export const probeSuccess = "probe_success";

/** The readiness URL through the Service: the proxy's health listener where there is a proxy. */
export function probeTarget(s: Pick<ServiceSettings, "server" | "proxy">): string {
    const port = podPorts(s).find((p) => p.name === proxyPortNames.health)?.containerPort ?? workload.port;
    return `http://${workload.name}.${workload.namespace}.svc:${port}${s.server.probes.readiness}`;
}

export interface ProbeSpec {
    readonly jobName: string;
    readonly interval: string;
    readonly module: string;
    readonly prober: { readonly url: string; readonly path: string };
    readonly targets: { readonly staticConfig: { readonly static: string[] } };
}

export function probeSpec(s: Pick<ServiceSettings, "server" | "proxy">, blackbox: BlackboxExporterConfig): ProbeSpec {
    return {
        jobName: probeJob,
        interval: blackbox.interval,
        module: blackbox.module,
        prober: { url: blackbox.address, path: "/probe" },
        targets: { staticConfig: { static: [probeTarget(s)] } },
    };
}
