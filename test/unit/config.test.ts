import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { monitoringSettings, TaskMcpMonitoring } from "../../components/monitoring/component";
import { TaskMcpNamespace } from "../../components/namespace";
import { serviceSettings, TaskMcpService } from "../../components/service";
import { badConfigCases } from "../../scripts/lib/bad-config";
import { runProgram } from "../support/mocks";
import { exportedStacks, patchConfig, stackFileConfig } from "../../scripts/lib/stacks";
import { fixtureConfig } from "../support/fixtures";

describe("stack config", () => {
    // The program on the real stack files; the builders' unit tests use test/support/fixtures.ts
    // (the golden, docs and dead-rules tests read the real files' exports on purpose).
    for (const stack of exportedStacks) {
        it(`Pulumi.${stack}.yaml is valid and declares the full stack`, async () => {
            const run = await runProgram(stack, stackFileConfig(stack));
            expect(run.error).to.equal(undefined);
            expect(run.resources.length).to.be.greaterThan(15);
        });
    }

    it("the deployed stacks differ in config only: same resource names and types", async () => {
        // One at a time: the Pulumi runtime is process-global.
        const names = async (s: string) =>
            (await runProgram(s, stackFileConfig(s))).resources
                .map((r) => `${r.type} ${r.name}`)
                .filter((n) => !n.startsWith("pulumi:pulumi:Stack"))
                .sort();
        const [first, ...rest] = exportedStacks;
        const expected = await names(first);
        expect(expected.length).to.be.greaterThan(15);
        for (const stack of rest) expect(await names(stack), stack).to.deep.equal(expected);
    });

    it("JSON-decodes objects but keeps string keys verbatim", async () => {
        // "2026" is valid JSON (a number): only the schema's string type keeps it a string.
        const run = await runProgram("dev", { ...fixtureConfig("dev"), authTokenRotation: "2026", renderDirectory: "1" });
        expect(run.error).to.equal(undefined);
        const deployment = run.resources.find((r) => r.type === "kubernetes:apps/v1:Deployment")!;
        expect(deployment.inputs.spec.template.metadata.annotations["task-mcp.io/auth-token-rotation"]).to.equal("2026");
    });

    describe("bad values stop the program with one message naming key, stack and what is allowed, and register nothing", () => {
        for (const badCase of badConfigCases) {
            it(badCase.name, async () => {
                const run = await runProgram("dev", patchConfig(fixtureConfig("dev"), badCase.patch));
                expect(run.error).to.be.instanceOf(pulumi.RunError).and.have.property("name", "ConfigError");
                expect(run.error!.message).to.equal(badCase.message);
                expect(run.resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).to.deep.equal([]);
            });
        }
    });

    it("every reusable component's args are validated the same way, before any resource", async () => {
        await runProgram("dev", fixtureConfig("dev")); // sets up mocks for the direct construction below
        const fails = (build: () => unknown, message: string) => expect(build).to.throw(pulumi.RunError, `Invalid config for stack "dev":\n  ${message}`);
        fails(() => new TaskMcpNamespace("ns", { podSecurity: "privileged" as never }), 'ns.podSecurity = "privileged"; allowed: "restricted" or "baseline"');
        const namespace = new TaskMcpNamespace("ns-ok");
        fails(
            () => serviceSettings({ image: "repo/img:1", replicas: { min: 4, max: 2 } }, "mine"),
            "mine.replicas.min = 4; allowed: an integer not above replicas.max (2)",
        );
        fails(
            () => monitoringSettings({ alerting: { contacts: { oncall: "pager" } } }, "mon"),
            'mon.alerting.contacts.oncall = "pager"; allowed: an e-mail address such as oncall@company.com',
        );
        // Valid settings, defaults applied, build the components.
        new TaskMcpService("mine", { namespace, settings: serviceSettings({ image: "repo/img:1" }) });
        new TaskMcpMonitoring("mon", { namespace, settings: monitoringSettings({}) });
    });
});
