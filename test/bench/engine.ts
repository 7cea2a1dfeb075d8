/**
 * `npm run bench:engine`: wall time of `pulumi preview` of the prod stack (render mode), without
 * and with the policy pack, beside a one-resource program's preview in the same run (the
 * engine's floor), as ratios; and the unit test suite's time. `--write` records the figures in docs/engine-benchmark.md.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { testStack } from "../support/test-stack";
import { repoRoot } from "../../scripts/lib/stacks";

const runs = 3;

/** One resource through one provider: what any program pays for the engine, the host and a plugin. */
const floorProgram = `import * as k8s from "@pulumi/kubernetes";
const render = new k8s.Provider("render", { renderYamlToDirectory: "manifests" });
new k8s.core.v1.ConfigMap("one", { metadata: { name: "one", namespace: "default" }, data: { a: "b" } }, { provider: render });
`;
/** A tsconfig beside the linked one, without SWC; the language host reads PULUMI_NODEJS_TSCONFIG_PATH. */
function writeTscConfig(dir: string): string {
    const file = path.join(dir, "tsconfig.tsc.json");
    fs.writeFileSync(file, JSON.stringify({ extends: "./tsconfig.json", "ts-node": { swc: false } }));
    return file;
}
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
        const floorMs = median(floorTimes);
        const row = (label: string, ms: number) => `| ${label} | ${ms.toFixed(0)} ms | ${(ms / floorMs).toFixed(2)} |`;
        const rows = [row("one-resource program preview (floor)", floorMs)];
        process.env.NODE_DISABLE_COMPILE_CACHE = "1";
        rows.push(row("the floor without Node's compile cache", median((await timePreviews(floor)).times)));
        delete process.env.NODE_DISABLE_COMPILE_CACHE;
        const { times: prodTimes, planned } = await timePreviews(prod);
        rows.push(row(`prod stack preview (${planned} resources to create)`, median(prodTimes)));
        const policyMs = median((await timePreviews(prod, true)).times);
        rows.push(row("prod stack preview with the policy pack", policyMs));
        // The steps before, taken away one after another: each row keeps the changes of the rows above it.
        const before: Array<[string, Record<string, string>]> = [
            // The same tsconfig without its "ts-node" section's SWC: TypeScript's own transpiler.
            ["the same, the program transpiled by TypeScript instead of SWC", { PULUMI_NODEJS_TSCONFIG_PATH: writeTscConfig(prod.dir) }],
            ["the same, TypeScript loaded at the pack's start", { TASK_MCP_POLICY_PACK: "eager" }],
            ["the same, without Node's compile cache", { NODE_DISABLE_COMPILE_CACHE: "1" }],
            ["the same, the pack through ts-node (SWC) instead of compiled", { TASK_MCP_POLICY_PACK: "ts" }],
        ];
        const saved = { ...process.env };
        try {
            for (const [label, env] of before) {
                Object.assign(process.env, env);
                rows.push(row(label, median((await timePreviews(prod, true)).times)));
            }
        } finally {
            for (const key of before.flatMap(([, env]) => Object.keys(env))) {
                if (saved[key] === undefined) delete process.env[key];
                else process.env[key] = saved[key];
            }
        }
        const started = process.hrtime.bigint();
        const unit = spawnSync("npx", ["mocha", "test/unit/**/*.test.ts"], { cwd: repoRoot, encoding: "utf8" });
        const unitMs = Number(process.hrtime.bigint() - started) / 1e6;
        if (unit.status !== 0) throw new Error(`unit tests failed:\n${unit.stdout}${unit.stderr}`);
        rows.push(row("unit test suite (mocha, Pulumi mocks)", unitMs));
        const table = ["| measurement (median of 3) | wall time | ratio to floor |", "| --- | --- | --- |", ...rows].join("\n");
        console.log(table);
        const packRatio = policyMs / floorMs;
        console.log(`prod preview with the policy pack: ${packRatio.toFixed(2)}x the floor (target: under 2x) ${packRatio < 2 ? "ok" : "OVER"}`);
        if (process.argv.includes("--write")) {
            const doc = [
                "# Engine benchmark",
                "",
                "Generated by `npm run bench:engine -- --write`: the real Pulumi engine (CLI from `tools/go.mod`),",
                "the Node.js language host, file backend, Kubernetes provider in render mode, on this 2-core",
                "machine. The floor is a one-resource program previewed in the same run, through the same CLI",
                "and language host, so each ratio says what this program costs beyond the engine's fixed start-up.",
                "What each start costs less, in the order the last rows take it away again:",
                "",
                "- the program is transpiled by SWC (tsconfig.json's `ts-node` section), not TypeScript's",
                "  transpiler; `npm run typecheck` type-checks it;",
                "- the pack runs compiled to JavaScript (`npm run build:policy`, run here first, by setup, by",
                "  `npm test` and in the workflows), with TypeScript, which the SDK loads at start for closure",
                "  serialization and a pack never uses, deferred until first use (`runtime/lazy-typescript.js`);",
                "- program and pack start with Node 22's compile cache (`runtime/compile-cache.js`, preloaded",
                "  through Pulumi.yaml's `nodeargs` and by `policy/analyzer`).",
                "",
                "Each of the last rows keeps the changes of the rows above it;",
                "their ratios are still to the floor of the first row.",
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
