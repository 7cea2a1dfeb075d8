/** The Node preloads in runtime/: what they change and what they must not. */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";
import { repoRoot } from "../../scripts/lib/stacks";

/** Runs `script` in a fresh Node with runtime/lazy-typescript.js preloaded; returns what it prints as JSON. */
function withLazyTypescript(script: string): Record<string, unknown> {
    const run = spawnSync(process.execPath, ["--require", path.join(repoRoot, "runtime", "lazy-typescript.js"), "-e", script], {
        cwd: repoRoot,
        encoding: "utf8",
    });
    if (run.status !== 0) throw new Error(`node exited ${run.status}:\n${run.stderr}`);
    return JSON.parse(run.stdout);
}

describe("runtime/lazy-typescript.js (the policy pack's preload)", () => {
    it("keeps TypeScript unloaded while @pulumi/pulumi and @pulumi/policy load, then gives the real module on first use", () => {
        const seen = withLazyTypescript(`
            const sdk = require("path").dirname(require.resolve("@pulumi/pulumi/package.json"));
            const file = require.resolve("typescript", { paths: [sdk] });
            const standIn = require.cache[file];
            require("@pulumi/pulumi");
            require("@pulumi/policy");
            const deferred = require.cache[file] === standIn;
            const ts = require("@pulumi/pulumi/typescript-shim");
            const source = ts.createSourceFile("x.ts", "const a = 1;", ts.ScriptTarget.Latest);
            console.log(JSON.stringify({
                deferred,
                loadedAfterUse: require.cache[file] !== standIn && require.cache[file].loaded,
                version: ts.version,
                realVersion: require(require("path").join(require("path").dirname(file), "..", "package.json")).version,
                statements: source.statements.length,
                hasSyntaxKind: "SyntaxKind" in ts,
            }));
        `);
        expect(seen).to.deep.equal({
            deferred: true,
            loadedAfterUse: true,
            version: seen.realVersion,
            realVersion: seen.realVersion,
            statements: 1,
            hasSyntaxKind: true,
        });
        expect(seen.realVersion).to.match(/^\d+\.\d+\.\d+/);
    });
});
