/**
 * The catalogue of bad stack configs: each case is a patch over the dev stack's config and the
 * exact message the preview must stop with. test/unit/config.test.ts runs every case;
 * docs/config-errors.md is generated from this list.
 */
export interface BadConfigCase {
    readonly name: string;
    /** Keys to set (or, with value `undefined`, to remove) over Pulumi.dev.yaml. */
    readonly patch: Record<string, unknown>;
    readonly message: string;
}

const head = 'Invalid config for stack "dev":\n  ';

export const badConfigCases: readonly BadConfigCase[] = [
    {
        name: "replica minimum below 1",
        patch: { replicas: { min: 0, max: 3 } },
        message: `${head}task-mcp:replicas.min = 0; allowed: an integer from 1 to 100`,
    },
    {
        name: "replica minimum above maximum",
        patch: { replicas: { min: 5, max: 3 } },
        message: `${head}task-mcp:replicas.min = 5; allowed: an integer not above replicas.max (3)`,
    },
    { name: "replica count as text", patch: { replicas: { min: "two" } }, message: `${head}task-mcp:replicas.min = "two"; allowed: an integer from 1 to 100` },
    {
        name: "availability target of 100",
        patch: { slo: { availabilityPercent: 100 } },
        message: `${head}task-mcp:slo.availabilityPercent = 100; allowed: a number strictly between 0 and 100`,
    },
    {
        name: "error-rate target of 0",
        patch: { slo: { errorRatePercent: 0 } },
        message: `${head}task-mcp:slo.errorRatePercent = 0; allowed: a number strictly between 0 and 100`,
    },
    {
        name: "image without tag",
        patch: { image: "ghcr.io/fission-ai/task-mcp-http" },
        message: `${head}task-mcp:image = "ghcr.io/fission-ai/task-mcp-http"; allowed: an image pinned to a tag or digest, e.g. ghcr.io/fission-ai/task-mcp-http:1.4.2 or ...@sha256:<64 hex> (not :latest)`,
    },
    {
        name: "image tagged latest",
        patch: { image: "ghcr.io/fission-ai/task-mcp-http:latest" },
        message: `${head}task-mcp:image = "ghcr.io/fission-ai/task-mcp-http:latest"; allowed: an image pinned to a tag or digest, e.g. ghcr.io/fission-ai/task-mcp-http:1.4.2 or ...@sha256:<64 hex> (not :latest)`,
    },
    {
        name: "image missing",
        patch: { image: undefined },
        message: `${head}task-mcp:image missing; allowed: an image pinned to a tag or digest, e.g. ghcr.io/fission-ai/task-mcp-http:1.4.2 or ...@sha256:<64 hex> (not :latest)`,
    },
    {
        name: "unknown top-level key (typo)",
        patch: { replica: 3 },
        message: `${head}task-mcp:replica is not a known key; allowed: image, environment, renderDirectory, replicas, autoscaling, resources, terminationGracePeriodSeconds, protectNamespace, ingressNamespaces, egressPorts, canary, monitoring, slo, server, proxy, authTokenRotation, alerting`,
    },
    {
        name: "environment label in capitals",
        patch: { environment: "Prod" },
        message: `${head}task-mcp:environment = "Prod"; allowed: a lower-case name such as "prod" (letters, digits, "-"; at most 32)`,
    },
    {
        name: "manager escalation as text",
        patch: { alerting: { escalateToManager: "no" } },
        message: `${head}task-mcp:alerting.escalateToManager = "no"; allowed: true or false`,
    },
    {
        name: "token rotation label with spaces",
        patch: { authTokenRotation: "rotate now" },
        message: `${head}task-mcp:authTokenRotation = "rotate now"; allowed: a label such as "2026-11" (letters, digits, ".", "_", "-"; at most 63)`,
    },
    {
        name: "unknown nested key",
        patch: { resources: { limits: { gpu: "1" } } },
        message: `${head}task-mcp:resources.limits.gpu is not a known key; allowed: cpu, memory`,
    },
    {
        name: "memory request above limit",
        patch: { resources: { requests: { memory: "1Gi" }, limits: { memory: "512Mi" } } },
        message: `${head}task-mcp:resources.requests.memory = "1Gi"; allowed: a memory request not above limits.memory (512Mi)`,
    },
    {
        name: "malformed CPU quantity",
        patch: { resources: { limits: { cpu: "lots" } } },
        message: `${head}task-mcp:resources.limits.cpu = "lots"; allowed: a CPU quantity such as "250m" or "1"`,
    },
    {
        name: "canary enabled without image",
        patch: { canary: { enabled: true } },
        message: `${head}task-mcp:canary.image missing; allowed: an image (required when canary.enabled is true)`,
    },
    {
        name: "canary weight above 50",
        patch: { canary: { enabled: true, image: "ghcr.io/fission-ai/task-mcp-http:1.5.0", weightPercent: 80 } },
        message: `${head}task-mcp:canary.weightPercent = 80; allowed: an integer from 1 to 50`,
    },
    {
        name: "contact that is not an e-mail",
        patch: { alerting: { contacts: { oncall: "pager" } } },
        message: `${head}task-mcp:alerting.contacts.oncall = "pager"; allowed: an e-mail address such as oncall@company.com`,
    },
    {
        name: "maintenance window ending before it starts",
        patch: { alerting: { maintenanceWindows: [{ name: "nightly", weekdays: ["monday"], startTime: "04:00", endTime: "02:00" }] } },
        message: `${head}task-mcp:alerting.maintenanceWindows.0.endTime = "02:00"; allowed: a time after startTime`,
    },
    {
        name: "maintenance window on an unknown weekday",
        patch: { alerting: { maintenanceWindows: [{ name: "nightly", weekdays: ["funday"], startTime: "02:00", endTime: "04:00" }] } },
        message: `${head}task-mcp:alerting.maintenanceWindows.0.weekdays.0 = "funday"; allowed: weekday names: monday, tuesday, wednesday, thursday, friday, saturday, sunday`,
    },
    {
        name: "maintenance window in a time zone, with a shared Alertmanager",
        patch: {
            monitoring: { sharedAlertmanager: true },
            alerting: { maintenanceWindows: [{ name: "nightly", weekdays: ["monday"], startTime: "02:00", endTime: "04:00", location: "Europe/Berlin" }] },
        },
        message: `${head}task-mcp:alerting.maintenanceWindows.0.location = "Europe/Berlin"; allowed: "UTC" while monitoring.sharedAlertmanager is true (an AlertmanagerConfig's time intervals have no time zone)`,
    },
    {
        name: "runbook base URL that is not http(s)",
        patch: { monitoring: { runbookBaseUrl: "ftp://docs.company.com" } },
        message: `${head}task-mcp:monitoring.runbookBaseUrl = "ftp://docs.company.com"; allowed: an http(s) URL`,
    },
    {
        name: "grace period too short to drain streams",
        patch: { terminationGracePeriodSeconds: 5 },
        message: `${head}task-mcp:terminationGracePeriodSeconds = 5; allowed: an integer from 10 to 3600`,
    },
    {
        name: "metric name override with a dash",
        patch: { server: { metrics: { requestsTotal: "http-requests" } } },
        message: `${head}task-mcp:server.metrics.requestsTotal = "http-requests"; allowed: a Prometheus metric or label name`,
    },
    {
        name: "unknown server profile",
        patch: { server: { profile: "latest" } },
        message: `${head}task-mcp:server.profile = "latest"; allowed: one of: upstream, upstream-otel, guide`,
    },
    {
        name: "duration unit the rules cannot scale",
        patch: { server: { durationUnit: "us" } },
        message: `${head}task-mcp:server.durationUnit = "us"; allowed: s or ms (the units the rules can scale to seconds)`,
    },
    {
        name: "metrics port out of range",
        patch: { server: { metricsEndpoints: [{ name: "otel-metrics", port: 70000, path: "/metrics" }] } },
        message: `${head}task-mcp:server.metricsEndpoints.0.port = 70000; allowed: an integer from 1 to 65535`,
    },
    {
        name: "metrics endpoint without a port",
        patch: { server: { metricsEndpoints: [{ name: "otel-metrics", path: "/metrics" }] } },
        message: `${head}task-mcp:server.metricsEndpoints.0.port missing; allowed: an integer from 1 to 65535`,
    },
    {
        name: "metrics endpoint named http on another port",
        patch: { server: { metricsEndpoints: [{ name: "http", port: 9464, path: "/metrics" }] } },
        message: `${head}task-mcp:server.metricsEndpoints.0.name = "http"; allowed: port name "http" exactly for port 3000 (the HTTP port)`,
    },
    {
        name: "server env that the program sets itself",
        patch: { server: { env: { AUTH_TOKENS: "abc" } } },
        message: `${head}task-mcp:server.env.AUTH_TOKENS = "abc"; allowed: an env var name ([A-Z_][A-Z0-9_]*) other than PORT and AUTH_TOKENS, which the program sets`,
    },
    {
        name: "probe paths overridden in stack config",
        patch: { server: { probes: { readiness: "/ready" } } },
        message: `${head}task-mcp:server.probes is not a known key; allowed: profile, metricsEndpoints, metrics, durationUnit, statusLabelFormat, requestSource, env, workingDirectory, command`,
    },
    {
        name: "proxy image without a tag",
        patch: { proxy: { image: "caddy" } },
        message: `${head}task-mcp:proxy.image = "caddy"; allowed: an image pinned to a tag or digest, e.g. caddy:2.11.9 or ...@sha256:<64 hex> (not :latest)`,
    },
    {
        name: "proxy image tagged latest",
        patch: { proxy: { image: "caddy:latest" } },
        message: `${head}task-mcp:proxy.image = "caddy:latest"; allowed: an image pinned to a tag or digest, e.g. caddy:2.11.9 or ...@sha256:<64 hex> (not :latest)`,
    },
    {
        name: "proxy listening on the app's port",
        patch: { proxy: { appPort: 3000 } },
        message: `${head}task-mcp:proxy.appPort = 3000; allowed: a port other than 3000 (the HTTP port): the proxy's ports, the HTTP port and the server's metrics ports must differ`,
    },
    {
        name: "proxy metrics port on the server's exporter port",
        patch: {
            server: {
                requestSource: "proxy",
                metricsEndpoints: [
                    { name: "http", port: 3000, path: "/metrics" },
                    { name: "otel-metrics", port: 9464, path: "/metrics" },
                ],
            },
            proxy: { metricsPort: 9464 },
        },
        message: `${head}task-mcp:proxy.metricsPort = 9464; allowed: a port other than 9464 (server metrics endpoint otel-metrics): the proxy's ports, the HTTP port and the server's metrics ports must differ`,
    },
    {
        name: "unknown request source",
        patch: { server: { requestSource: "sidecar" } },
        message: `${head}task-mcp:server.requestSource = "sidecar"; allowed: one of: app, proxy`,
    },
    {
        name: "blackbox exporter address without a port",
        patch: { monitoring: { blackboxExporter: { address: "http://blackbox.monitoring.svc" } } },
        message: `${head}task-mcp:monitoring.blackboxExporter.address = "http://blackbox.monitoring.svc"; allowed: host:port, such as prometheus-blackbox-exporter.monitoring.svc:9115`,
    },
    {
        name: "two bad keys at once",
        patch: { replicas: { min: 0, max: 3 }, protectNamespace: "yes" },
        message: `${head}task-mcp:replicas.min = 0; allowed: an integer from 1 to 100\n  task-mcp:protectNamespace = "yes"; allowed: true or false`,
    },
];
