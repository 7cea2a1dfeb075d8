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

/** The guide's "Key SLOs" table. Targets are defaults; stacks may tighten or loosen them. */
export const sloTable = {
    availability: { title: "API Availability", objectivePercent: 99.9, errorBudgetMinutes: 43.2 },
    healthAvailability: { title: "Health Check Availability", objectivePercent: 99.95, errorBudgetMinutes: 21.6 },
    latencyP95: { title: "p95 Latency", quantile: 0.95, thresholdMs: 200 },
    latencyP99: { title: "p99 Latency", quantile: 0.99, thresholdMs: 500 },
    errorRate: { title: "Error Rate", maxPercent: 1 },
} as const;

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
