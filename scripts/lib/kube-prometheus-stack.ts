/**
 * The monitoring stack the local cluster stands in for: the objects kube-prometheus-stack's chart
 * creates in `monitoring`, as its default values configure them, for the prometheus-operator that
 * scripts/cluster.sh runs. kwok makes their pods Ready with an IP but runs no process; the tests
 * read the configuration the operator generates for them and run it on loopback. Names and labels
 * come from the program's schema defaults, so the two cannot drift.
 */
import { monitoringSchema } from "../../components/config/schema";

const defaults = monitoringSchema.parse({});
/** The chart's release name, which its default selectors match on (`release: <release>`). */
export const release = defaults.selectorLabels.release;

/** The chart's Service in front of an Alertmanager's pods, which its Prometheus discovers them by. */
export const alertmanagerPort = { name: "http-web", number: 9093 } as const;

/**
 * The Service of the chart's Alertmanager, `<release>-alertmanager`: on a real cluster the
 * platform points its `configSecret` at the program's config (README, "Whose Alertmanager"), so
 * this is where on-call port-forwards to. (The local platform runs it with the chart's default
 * config, and the program's beside it as `ownAlertmanager`, to test both modes.)
 */
export function alertmanagerService(monitoring: { selectorLabels: Record<string, string> }): { name: string; port: number } {
    return { name: `${monitoring.selectorLabels.release ?? release}-alertmanager`, port: alertmanagerPort.number };
}

export const platform = {
    namespace: defaults.namespace,
    /** The chart's Prometheus. */
    prometheus: `${release}-prometheus`,
    /** The chart's Alertmanager with the chart's own config: a platform shared by many teams. */
    sharedAlertmanager: alertmanagerService(defaults).name,
    /** The chart's Alertmanager as the README tells a platform to set it up for this program: `configSecret` is ours. */
    ownAlertmanager: "task-mcp-alertmanager",
    /** The program's whole-config Secret, which `ownAlertmanager` reads. */
    ownConfigSecret: defaults.alertmanagerSecretName,
} as const;

/**
 * The prometheus-blackbox-exporter chart's Service, where the program's Probe points by default
 * (`monitoring.blackboxExporter.address`): its name and port come from that default.
 */
const [blackboxHost, blackboxPortText] = defaults.blackboxExporter.address.split(":");
export const blackboxExporter = { name: blackboxHost.split(".")[0], port: Number(blackboxPortText), address: defaults.blackboxExporter.address } as const;

/**
 * The chart's kube-state-metrics (its subchart): Service port `http` 8080, and a ServiceMonitor
 * with the release label, `jobLabel: app.kubernetes.io/name` (so `job="kube-state-metrics"`) and
 * `honorLabels: true` (its series keep their own namespace, pod and container labels).
 */
export const kubeStateMetrics = { name: `${release}-kube-state-metrics`, appName: "kube-state-metrics", port: { name: "http", number: 8080 } } as const;

/** The chart's default `alertmanager.config`: everything to the `null` receiver, Watchdog included. */
const chartAlertmanagerConfig = `global:
  resolve_timeout: 5m
inhibit_rules:
  - source_matchers: ['severity = critical']
    target_matchers: ['severity =~ warning|info']
    equal: [namespace, alertname]
  - source_matchers: ['severity = warning']
    target_matchers: ['severity = info']
    equal: [namespace, alertname]
route:
  group_by: [namespace]
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 12h
  receiver: "null"
  routes:
    - receiver: "null"
      matchers: ['alertname = "Watchdog"']
receivers:
  - name: "null"
`;

/** The Secrets the operator writes its generated configuration to, by the object's name. */
export const generatedSecret = {
    prometheus: (name: string) => `prometheus-${name}`,
    alertmanager: (name: string) => `alertmanager-${name}-generated`,
};
/** What scripts/cluster.sh waits for: the operator has reconciled every object. */
export const generatedSecrets = [
    generatedSecret.prometheus(platform.prometheus),
    generatedSecret.alertmanager(platform.sharedAlertmanager),
    generatedSecret.alertmanager(platform.ownAlertmanager),
];

export function platformObjects(): object[] {
    const selector = { matchLabels: { release } };
    const metadata = (name: string) => ({ name, namespace: platform.namespace });
    const alertmanagers = [platform.sharedAlertmanager, platform.ownAlertmanager];
    // The chart renders an empty selector when its values leave these unset: every AlertmanagerConfig, in every namespace.
    const alertmanagerSpec = { replicas: 1, alertmanagerConfigSelector: {}, alertmanagerConfigNamespaceSelector: {} };
    return [
        {
            apiVersion: "monitoring.coreos.com/v1",
            kind: "Prometheus",
            metadata: metadata(platform.prometheus),
            spec: {
                replicas: 1,
                // The chart's *SelectorNilUsesHelmValues left true: select by release, in every namespace.
                serviceMonitorSelector: selector,
                serviceMonitorNamespaceSelector: {},
                ruleSelector: selector,
                ruleNamespaceSelector: {},
                podMonitorSelector: selector,
                podMonitorNamespaceSelector: {},
                probeSelector: selector,
                probeNamespaceSelector: {},
                // As the chart points its Prometheus at its Alertmanager; here at both.
                alerting: {
                    alertmanagers: alertmanagers.map((name) => ({
                        namespace: platform.namespace,
                        name,
                        port: alertmanagerPort.name,
                        pathPrefix: "/",
                        apiVersion: "v2",
                    })),
                },
            },
        },
        {
            apiVersion: "v1",
            kind: "Secret",
            metadata: metadata(`alertmanager-${platform.sharedAlertmanager}`),
            stringData: { "alertmanager.yaml": chartAlertmanagerConfig },
        },
        { apiVersion: "monitoring.coreos.com/v1", kind: "Alertmanager", metadata: metadata(platform.sharedAlertmanager), spec: alertmanagerSpec },
        {
            apiVersion: "monitoring.coreos.com/v1",
            kind: "Alertmanager",
            metadata: metadata(platform.ownAlertmanager),
            spec: { ...alertmanagerSpec, configSecret: platform.ownConfigSecret },
        },
        // The blackbox exporter chart's Deployment and Service (kwok gives its pod an IP; the tests run the real exporter on loopback).
        {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: metadata(blackboxExporter.name),
            spec: {
                replicas: 1,
                selector: { matchLabels: { "app.kubernetes.io/name": blackboxExporter.name } },
                template: {
                    metadata: { labels: { "app.kubernetes.io/name": blackboxExporter.name } },
                    spec: {
                        containers: [
                            {
                                name: "blackbox-exporter",
                                image: "quay.io/prometheus/blackbox-exporter:v0.28.0",
                                ports: [{ name: "http", containerPort: blackboxExporter.port }],
                            },
                        ],
                    },
                },
            },
        },
        {
            apiVersion: "v1",
            kind: "Service",
            metadata: metadata(blackboxExporter.name),
            spec: { selector: { "app.kubernetes.io/name": blackboxExporter.name }, ports: [{ name: "http", port: blackboxExporter.port, targetPort: "http" }] },
        },
        // kube-state-metrics as the chart deploys it (kwok gives its pod an IP; the cluster suite runs the real one on loopback).
        {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: metadata(kubeStateMetrics.name),
            spec: {
                replicas: 1,
                selector: { matchLabels: { "app.kubernetes.io/name": kubeStateMetrics.appName, "app.kubernetes.io/instance": release } },
                template: {
                    metadata: { labels: { "app.kubernetes.io/name": kubeStateMetrics.appName, "app.kubernetes.io/instance": release } },
                    spec: {
                        containers: [
                            {
                                name: "kube-state-metrics",
                                image: "registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.16.0",
                                ports: [{ name: "http", containerPort: kubeStateMetrics.port.number }],
                            },
                        ],
                    },
                },
            },
        },
        {
            apiVersion: "v1",
            kind: "Service",
            metadata: {
                ...metadata(kubeStateMetrics.name),
                labels: { "app.kubernetes.io/name": kubeStateMetrics.appName, "app.kubernetes.io/instance": release, release },
            },
            spec: {
                selector: { "app.kubernetes.io/name": kubeStateMetrics.appName, "app.kubernetes.io/instance": release },
                ports: [{ name: kubeStateMetrics.port.name, port: kubeStateMetrics.port.number, targetPort: kubeStateMetrics.port.number }],
            },
        },
        {
            apiVersion: "monitoring.coreos.com/v1",
            kind: "ServiceMonitor",
            metadata: { ...metadata(kubeStateMetrics.name), labels: { release } },
            spec: {
                jobLabel: "app.kubernetes.io/name",
                selector: { matchLabels: { "app.kubernetes.io/name": kubeStateMetrics.appName, "app.kubernetes.io/instance": release } },
                endpoints: [{ port: kubeStateMetrics.port.name, honorLabels: true }],
            },
        },
        ...alertmanagers.map((name) => ({
            apiVersion: "v1",
            kind: "Service",
            metadata: metadata(name),
            spec: {
                // The labels the operator puts on an Alertmanager's pods.
                selector: { "app.kubernetes.io/name": "alertmanager", alertmanager: name },
                ports: [{ name: alertmanagerPort.name, port: alertmanagerPort.number, targetPort: alertmanagerPort.number }],
            },
        })),
    ];
}
