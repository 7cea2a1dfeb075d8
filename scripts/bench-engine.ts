/**
 * `npm run bench:engine`: wall time of `pulumi preview` of the prod stack (render mode), without
 * and with the policy pack, beside a one-resource program's preview in the same run (the
 * engine's floor), as ratios; and the unit test suite's time. `--write` records the figures in docs/engine-benchmark.md.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { testStack } from "./lib/test-stack";
import { repoRoot } from "./lib/stacks";

const runs = 3;

/** One resource through one provider: what any program pays for the engine, the host and a plugin. */
const floorProgram = `import * as k8s from "@pulumi/kubernetes";
const render = new k8s.Provider("render", { renderYamlToDirectory: "manifests" });
new k8s.core.v1.ConfigMap("one", { metadata: { name: "one", namespace: "default" }, data: { a: "b" } }, { provider: render });
`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Without the policy pack unless `policies`: the floor is the engine alone. */
async function timePreviews(stack: Awaited<ReturnType<typeof testStack>>, policies = false): Promise<{ times: number[]; planned: number }> {
    const times: number[] = [];
    let planned = 0;
    for (let i = 0; i < runs; i++) {
        const started = process.hrtime.bigint();
        planned = (await stack.stack.preview(policies ? {} : { policyPacks: [] })).changeSummary.create ?? 0;
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    return { times, planned };
}

async function main() {
    // policy/analyzer falls back to ts-node when any source is newer than the compiled pack: build
    // it, or the "compiled" row silently measures ts-node (it once did, after an edit).
    const build = spawnSync("npm", ["run", "build:policy"], { cwd: repoRoot, encoding: "utf8" });
    if (build.status !== 0) throw new Error(`npm run build:policy failed:\n${build.stdout}${build.stderr}`);
    // The floor runs as the program does: the CLI, the language host, ts-node (transpile only).
    const floor = await testStack("prod", {}, { source: floorProgram });
    const prod = await testStack("prod");
    try {
        // Alternate so drift in machine load hits both alike; the first preview of each warms plugins.
        await floor.stack.preview();
        await prod.stack.preview();
        const { times: floorTimes } = await timePreviews(floor);
        process.env.NODE_DISABLE_COMPILE_CACHE = "1";
        const { times: uncachedFloorTimes } = await timePreviews(floor);
        delete process.env.NODE_DISABLE_COMPILE_CACHE;
        const { times: prodTimes, planned } = await timePreviews(prod);
        const { times: policyTimes } = await timePreviews(prod, true);
        // The steps before: without Node's compile cache (program and pack), then the pack through ts-node.
        process.env.NODE_DISABLE_COMPILE_CACHE = "1";
        const { times: uncachedPolicyTimes } = await timePreviews(prod, true);
        process.env.TASK_MCP_POLICY_PACK = "ts";
        const { times: tsPolicyTimes } = await timePreviews(prod, true);
        delete process.env.TASK_MCP_POLICY_PACK;
        delete process.env.NODE_DISABLE_COMPILE_CACHE;
        const started = process.hrtime.bigint();
        const unit = spawnSync("npx", ["mocha", "test/unit/**/*.test.ts"], { cwd: repoRoot, encoding: "utf8" });
        const unitMs = Number(process.hrtime.bigint() - started) / 1e6;
        if (unit.status !== 0) throw new Error(`unit tests failed:\n${unit.stdout}${unit.stderr}`);
        const rows = [
            `| one-resource program preview (floor) | ${median(floorTimes).toFixed(0)} ms | 1.00 |`,
            `| the floor without Node's compile cache | ${median(uncachedFloorTimes).toFixed(0)} ms | ${(median(uncachedFloorTimes) / median(floorTimes)).toFixed(2)} |`,
            `| prod stack preview (${planned} resources to create) | ${median(prodTimes).toFixed(0)} ms | ${(median(prodTimes) / median(floorTimes)).toFixed(2)} |`,
            `| prod stack preview with the policy pack (compiled) | ${median(policyTimes).toFixed(0)} ms | ${(median(policyTimes) / median(floorTimes)).toFixed(2)} |`,
            `| the same, without the compile cache | ${median(uncachedPolicyTimes).toFixed(0)} ms | ${(median(uncachedPolicyTimes) / median(floorTimes)).toFixed(2)} |`,
            `| the same, through ts-node (the pack as it first ran) | ${median(tsPolicyTimes).toFixed(0)} ms | ${(median(tsPolicyTimes) / median(floorTimes)).toFixed(2)} |`,
            `| unit test suite (mocha, Pulumi mocks) | ${unitMs.toFixed(0)} ms | ${(unitMs / median(floorTimes)).toFixed(2)} |`,
        ];
        const table = ["| measurement (median of 3) | wall time | ratio to floor |", "| --- | --- | --- |", ...rows].join("\n");
        console.log(table);
        if (process.argv.includes("--write")) {
            const doc = [
                "# Engine benchmark",
                "",
                "Generated by `npm run bench:engine -- --write`: the real Pulumi engine (CLI from `tools/go.mod`),",
                "the Node.js language host, file backend, Kubernetes provider in render mode, on this 2-core",
                "machine. The floor is a one-resource program previewed in the same run, through the same CLI",
                "and language host, so each ratio says what this program costs beyond the engine's fixed start-up.",
                "Program and policy pack start with Node 22's compile cache (`runtime/compile-cache.js`, preloaded",
                "through Pulumi.yaml's `nodeargs` and by `policy/analyzer`): ts-node and the SDK load TypeScript at",
                "every start, and the cache keeps its compiled code. The pack runs compiled to JavaScript",
                "(`npm run build:policy`, run here first, by setup and by `npm test`). The rows marked 'without'",
                "take those steps away again; their ratios are still to the floor of the first row.",
                "",
                table,
                "",
            ].join("\n");
            fs.writeFileSync(path.join(repoRoot, "docs", "engine-benchmark.md"), doc);
            console.log("wrote docs/engine-benchmark.md");
        }
    } finally {
        floor.cleanup();
        prod.cleanup();
    }
}

main().catch((e: Error) => {
    console.error(e.message);
    process.exit(1);
});
