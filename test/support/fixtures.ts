/**
 * The unit tests' own stack configs (keys without the `task-mcp:` prefix), shaped like a small
 * and a large environment but independent of Pulumi.<stack>.yaml: changing an environment never
 * breaks a unit test. `test/unit/config.test.ts` loads each real stack file once.
 */
import { parseStackConfig, StackConfig } from "../../components/config/schema";
import { patchConfig, project } from "../../scripts/lib/stacks";

const image = "ghcr.io/fission-ai/task-mcp-http:1.4.2";
const monitoring = (grafana: string) => ({ runbookBaseUrl: "https://github.com/fission-ai/task-mcp-infra/blob/main", grafanaBaseUrl: grafana });

const fixtures = {
    /** Small: one to three pods, dev-sized resources, no maintenance window. */
    dev: {
        image,
        replicas: { min: 1, max: 3 },
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
        monitoring: monitoring("https://grafana.dev.example.com"),
        alerting: { slackChannel: "#task-mcp-dev", escalateToManager: false },
    },
    /** Large: protected namespace, three to twelve pods, the guide's resources, a weekly window. */
    prod: {
        image,
        protectNamespace: true,
        replicas: { min: 3, max: 12 },
        resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } },
        terminationGracePeriodSeconds: 120,
        monitoring: monitoring("https://grafana.example.com"),
        alerting: {
            slackChannel: "#task-mcp-operations",
            maintenanceWindows: [{ name: "weekly", weekdays: ["sunday"], startTime: "02:00", endTime: "04:00", location: "UTC" }],
        },
    },
} as const;

export type FixtureStack = keyof typeof fixtures;
export const fixtureStacks = Object.keys(fixtures) as FixtureStack[];

/** A fresh copy of a fixture's raw config (safe to patch), with `monitoring` keys patched. */
export function fixtureConfig(stack: FixtureStack, monitoring: Record<string, unknown> = {}): Record<string, unknown> {
    const config = structuredClone(fixtures[stack]) as Record<string, unknown>;
    return { ...config, monitoring: { ...(config.monitoring as object), ...monitoring } };
}

/** A fixture's validated config, optionally patched at the top level; named for its stack, as the loaders name it. */
export function fixtureStackConfig(stack: FixtureStack, patch: Record<string, unknown> = {}): StackConfig {
    return parseStackConfig(patchConfig(fixtureConfig(stack), patch), stack, `${project}:`);
}
