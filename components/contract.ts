/**
 * The operations contract: every name the operations guide (docs/operations/README.md) relies
 * on, in one place. Components, rules, dashboards, routing, docs and tests read these values;
 * nothing else spells them out by hand.
 */

/** Kubernetes names the guide's commands use (`kubectl ... -n task-mcp -l app=task-mcp-http`). */
export const workload = {
    namespace: "task-mcp",
    /** Deployment, Service, ServiceAccount and HPA name; also the `app` label value. */
    name: "task-mcp-http",
    appLabel: "app",
    port: 3000,
    portName: "http",
    /** Environment variable the server reads its bearer tokens from. */
    authTokensEnv: "AUTH_TOKENS",
    /** Published image repository; the tag or digest is stack config. */
    imageRepository: "ghcr.io/fission-ai/task-mcp-http",
} as const;

/** In-cluster URL the guide curls (`curl http://task-mcp-http:3000/metrics`). */
export const serviceUrl = `http://${workload.name}:${workload.port}`;

/** The guide's "Monitoring Dashboards" list. */
export const dashboards = {
    overview: { uid: "task-mcp-overview", title: "Task MCP / Overview" },
    api: { uid: "task-mcp-api", title: "Task MCP / API Performance" },
    infrastructure: { uid: "task-mcp-infrastructure", title: "Task MCP / Infrastructure" },
    security: { uid: "task-mcp-security", title: "Task MCP / Security" },
} as const;
export type DashboardKey = keyof typeof dashboards;

/**
 * The runbooks under docs/operations/runbooks/; every alert links exactly one. The guide's eight,
 * and `watchdog`: what to do when the dead man's switch says the alerting pipeline went quiet.
 */
export const runbooks = [
    "service-downtime",
    "high-error-rate",
    "performance-degradation",
    "memory-issues",
    "cpu-issues",
    "streaming-issues",
    "security-incidents",
    "slo-violations",
    "watchdog",
] as const;
export type Runbook = (typeof runbooks)[number];

export function runbookPath(runbook: Runbook): string {
    return `docs/operations/runbooks/${runbook}.md`;
}

/**
 * The guide's "Key SLOs" table, one entry per row: its title and default target (stacks may
 * tighten or loosen it), and the little we decide per SLO: what its SLI counts (requests, or the
 * probe through the Service), its series' `slo` label and alert names, a latency alert's severity.
 * Everything else derives from this list: the stack's `slo.<row>Percent` / `slo.<row>Ms` keys
 * (`sloConfigKey`), the rule groups and alerts, the Overview stats, the docs' tables and the
 * tests' expected groups (components/monitoring/slo.ts). A new SLO of a kind we have is one entry.
 */
export const sloTable = {
    availability: {
        kind: "availability",
        title: "API Availability",
        objectivePercent: 99.9,
        errorBudgetMinutes: 43.2,
        sli: "requests",
        id: "api-availability",
        alertStem: "TaskMcpApiAvailability",
    },
    healthAvailability: {
        kind: "availability",
        title: "Health Check Availability",
        objectivePercent: 99.95,
        errorBudgetMinutes: 21.6,
        sli: "probe",
        id: "health-availability",
        alertStem: "TaskMcpHealthAvailability",
    },
    latencyP95: { kind: "latency", title: "p95 Latency", quantile: 0.95, thresholdMs: 200, severity: "warning" },
    latencyP99: { kind: "latency", title: "p99 Latency", quantile: 0.99, thresholdMs: 500, severity: "critical" },
    errorRate: { kind: "errorRate", title: "Error Rate", maxPercent: 1 },
} as const;
export type SloRow = keyof typeof sloTable;
export const sloRows = Object.keys(sloTable) as SloRow[];

/** The stack config key (under `slo`) of a row's target: milliseconds for latency, else a percentage. */
export type SloConfigKey<R extends SloRow = SloRow> = R extends SloRow ? ((typeof sloTable)[R] extends { kind: "latency" } ? `${R}Ms` : `${R}Percent`) : never;
export const sloConfigKey = <R extends SloRow>(row: R): SloConfigKey<R> => `${row}${sloTable[row].kind === "latency" ? "Ms" : "Percent"}` as SloConfigKey<R>;

/** A row's default target, in its config key's unit. */
export function sloDefaultTarget(row: SloRow): number {
    const spec = sloTable[row];
    return spec.kind === "latency" ? spec.thresholdMs : spec.kind === "availability" ? spec.objectivePercent : spec.maxPercent;
}

/** SLO budgets are computed over this window (the guide's "minutes/month"). */
export const sloPeriodDays = 30;

/** Roles of the "Emergency Contacts" table, in escalation order. */
export const escalationRoles = ["oncall", "lead", "manager"] as const;
export type EscalationRole = (typeof escalationRoles)[number];
export type ContactRole = EscalationRole | "security";

/** The guide's "Emergency Contacts" table: default contacts and response times. */
export const emergencyContacts: Record<ContactRole, { title: string; email: string; responseMinutes: number }> = {
    oncall: { title: "On-call Engineer", email: "oncall@company.com", responseMinutes: 15 },
    lead: { title: "Engineering Lead", email: "eng-lead@company.com", responseMinutes: 30 },
    manager: { title: "Engineering Manager", email: "eng-manager@company.com", responseMinutes: 60 },
    security: { title: "Security Team", email: "security@company.com", responseMinutes: 30 },
};

/** The guide's "Support" section. */
export const support = {
    slackChannel: "#task-mcp-operations",
    email: "ops-team@company.com",
} as const;

/**
 * The guide's kubectl commands, with the contract's names, for docs and cluster tests. The curl
 * commands depend on the server: `serverCommands(profile)` in server-profiles.ts.
 */
export const guideCommands = {
    status: `kubectl get pods -n ${workload.namespace} -l ${workload.appLabel}=${workload.name}`,
    logs: `kubectl logs -f deployment/${workload.name} -n ${workload.namespace}`,
    scale: `kubectl scale deployment ${workload.name} --replicas=5 -n ${workload.namespace}`,
    restart: `kubectl rollout restart deployment/${workload.name} -n ${workload.namespace}`,
} as const;
