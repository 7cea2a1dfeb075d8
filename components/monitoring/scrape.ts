/**
 * The ServiceMonitor's spec: one endpoint per metrics endpoint of the pod (the server profile's,
 * and the proxy's where there is one). A pure builder, so the live tests derive their scrape
 * config from exactly what the program declares.
 */
import { workload } from "../contract";
import { podMetricsEndpoints } from "../workload";
import { ServiceSettings } from "../config/schema";

export interface ServiceMonitorEndpoint {
    readonly port: string;
    readonly path: string;
    readonly interval: string;
    readonly scheme: "http";
}

export interface ServiceMonitorSpec {
    readonly selector: { readonly matchLabels: Record<string, string> };
    readonly namespaceSelector: { readonly matchNames: string[] };
    readonly endpoints: ServiceMonitorEndpoint[];
}

export function serviceMonitorSpec(s: Pick<ServiceSettings, "server" | "proxy">, scrapeInterval: string): ServiceMonitorSpec {
    return {
        selector: { matchLabels: { [workload.appLabel]: workload.name } },
        namespaceSelector: { matchNames: [workload.namespace] },
        endpoints: podMetricsEndpoints(s).map((e) => ({ port: e.name, path: e.path, interval: scrapeInterval, scheme: "http" })),
    };
}
