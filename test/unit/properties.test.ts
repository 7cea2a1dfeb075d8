/**
 * Config fuzzing: generated stack configs. Every valid one yields a stack whose invariants hold;
 * every invalid one fails with the one-message error and registers no resource.
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import fc from "fast-check";
import { runbooks } from "../../components/contract";
import { parseConfig } from "../../components/config/errors";
import { cpuCores, memoryBytes } from "../../components/config/quantity";
import { StackConfig, stackConfigFields, stackConfigSchema } from "../../components/config/schema";
import { monitoringContext } from "../../components/monitoring/context";
import { buildRuleGroups } from "../../components/monitoring/rules";
import { routingTree } from "../../components/monitoring/routing";
import { matchesAll } from "../../components/monitoring/conventions";
import { deploymentSpec, hpaSpec, workloadSettings } from "../../components/workload";
import { runProgram } from "../support/mocks";

const cpu = fc.oneof(
    fc.integer({ min: 1, max: 4000 }).map((m) => `${m}m`),
    fc.integer({ min: 1, max: 4 }).map(String),
);
const memory = fc.integer({ min: 16, max: 8192 }).map((mi) => `${mi}Mi`);
const percent = fc.double({ min: 0.01, max: 99.99, noNaN: true });
const tag = fc.stringMatching(/^[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{1,2}(-rc\.[0-9])?$/);

/** Valid configs: ordered pairs are generated as (low, low + delta). */
const validConfig = fc
    .record({
        tag,
        min: fc.integer({ min: 1, max: 50 }),
        extra: fc.integer({ min: 0, max: 50 }),
        requestCpu: cpu,
        requestMemory: memory,
        canary: fc.option(fc.record({ weightPercent: fc.integer({ min: 1, max: 50 }), tag }), { nil: undefined }),
        availability: percent,
        errorRate: percent,
        p95: fc.integer({ min: 1, max: 60000 }),
        windows: fc.array(fc.record({ start: fc.integer({ min: 0, max: 22 }), length: fc.integer({ min: 1, max: 2 }) }), { maxLength: 2 }),
    })
    .map((g) => ({
        image: `ghcr.io/fission-ai/task-mcp-http:${g.tag}`,
        replicas: { min: g.min, max: g.min + g.extra },
        resources: {
            requests: { cpu: g.requestCpu, memory: g.requestMemory },
            limits: { cpu: `${Math.ceil(cpuCores(g.requestCpu) * 1000) + 100}m`, memory: `${memoryBytes(g.requestMemory) / 2 ** 20 + 64}Mi` },
        },
        ...(g.canary ? { canary: { enabled: true, image: `ghcr.io/fission-ai/task-mcp-http:${g.canary.tag}`, weightPercent: g.canary.weightPercent } } : {}),
        slo: { availabilityPercent: g.availability, errorRatePercent: g.errorRate, latencyP95Ms: g.p95 },
        alerting: {
            maintenanceWindows: g.windows.map((w, i) => ({
                name: `w${i}`,
                weekdays: ["sunday"],
                startTime: `${String(w.start).padStart(2, "0")}:00`,
                endTime: `${String(w.start + w.length).padStart(2, "0")}:00`,
            })),
        },
    }));

describe("config fuzzing (fast-check)", () => {
    it("every valid config yields a stack whose invariants hold", () => {
        fc.assert(
            fc.property(validConfig, (input) => {
                const config: StackConfig = parseConfig(stackConfigSchema, input, "fuzz", "task-mcp:");
                const settings = workloadSettings(config);
                const hpa = hpaSpec(settings);
                expect(hpa.minReplicas).to.be.at.most(hpa.maxReplicas as number);
                const container = (deploymentSpec(settings, "stable").template as any).spec.containers[0];
                expect(cpuCores(container.resources.requests.cpu)).to.be.at.most(cpuCores(container.resources.limits.cpu));
                expect(memoryBytes(container.resources.requests.memory)).to.be.at.most(memoryBytes(container.resources.limits.memory));
                const alerts = buildRuleGroups(monitoringContext(config))
                    .flatMap((g) => g.rules)
                    .filter((r) => r.alert);
                const routes = routingTree(config.alerting, {}).route.routes!;
                for (const a of alerts) {
                    expect(runbooks).to.include(a.labels!.runbook);
                    expect(a.annotations!.runbook_url).to.match(new RegExp(`/docs/operations/runbooks/${a.labels!.runbook}\\.md$`));
                    expect(
                        routes.some((r) => matchesAll(r.matchers ?? [], { alertname: a.alert!, ...a.labels! })),
                        `${a.alert} routes somewhere`,
                    ).to.equal(true);
                }
            }),
            { numRuns: 200 },
        );
    });

    /** One bad mutation at a time, each with the key its message must name. */
    const badMutation = fc.oneof(
        fc.integer({ max: 0 }).map((v) => ({ key: "task-mcp:replicas.min", patch: { replicas: { min: v, max: 3 } } })),
        fc.integer({ min: 101 }).map((v) => ({ key: "task-mcp:replicas.max", patch: { replicas: { min: 1, max: v } } })),
        fc
            .oneof(fc.constant(0), fc.constant(100), fc.double({ min: 100, max: 1e6, noNaN: true }))
            .map((v) => ({ key: "task-mcp:slo.availabilityPercent", patch: { slo: { availabilityPercent: v } } })),
        fc.stringMatching(/^[A-Z ]{1,8}$/).map((v) => ({ key: "task-mcp:image", patch: { image: v } })),
        fc
            .stringMatching(/^[a-z]{3,10}$/)
            .filter((k) => !(k in stackConfigFields.shape))
            .map((k) => ({ key: `task-mcp:${k}`, patch: { [k]: 1 } })),
        fc.integer({ min: 0, max: 9 }).map((v) => ({ key: "task-mcp:terminationGracePeriodSeconds", patch: { terminationGracePeriodSeconds: v } })),
    );

    it("every invalid config fails with one message naming the key and the stack, and registers nothing", async () => {
        await fc.assert(
            fc.asyncProperty(badMutation, async ({ key, patch }) => {
                const run = await runProgram("dev", { image: "ghcr.io/fission-ai/task-mcp-http:1.4.2", ...patch });
                expect(run.error).to.be.instanceOf(pulumi.RunError).and.have.property("name", "ConfigError");
                expect(run.error!.message.startsWith('Invalid config for stack "dev":\n')).to.equal(true);
                expect(run.error!.message).to.contain(key).and.contain("allowed");
                expect(run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).to.deep.equal([]);
            }),
            { numRuns: 40 },
        );
    });
});
