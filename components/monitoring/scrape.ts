/**
 * The ServiceMonitor's spec: one endpoint per metrics endpoint of the server profile. A pure
 * builder, so the live tests derive their scrape config from exactly what the program declares.
 */
import { workload } from "../contract";
import { ResolvedServerProfile } from "../config/schema";

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

export function serviceMonitorSpec(server: ResolvedServerProfile, scrapeInterval: string): ServiceMonitorSpec {
    return {
        selector: { matchLabels: { [workload.appLabel]: workload.name } },
        namespaceSelector: { matchNames: [workload.namespace] },
        endpoints: server.metricsEndpoints.map((e) => ({ port: e.name, path: e.path, interval: scrapeInterval, scheme: "http" })),
    };
}
