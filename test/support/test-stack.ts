/** A throwaway copy of a stack for engine tests: own work dir, own file backend, render mode. */
import { EngineEvent, PulumiFn, Stack } from "@pulumi/pulumi/automation";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { engineStack } from "../../scripts/lib/engine";
export { renderedFiles } from "../../scripts/lib/engine";
import { isSecureValue, patchConfig, project, stackFile } from "../../scripts/lib/stacks";

export interface TestStack {
    readonly stack: Stack;
    readonly dir: string;
    readonly manifests: string;
    readonly stateFile: string;
    cleanup(): void;
}

/** The token the engine tests set instead of a generated one, so their renders are stable (test/engine/token.test.ts runs the random provider). */
export const placeholderToken = { secure: "placeholder-auth-token-not-a-secret" };

/**
 * `name` from Pulumi.<name>.yaml, rendering to <dir>/manifests, with `patch` over its config
 * (keys without the `task-mcp:` prefix; `undefined` removes a key; a `{ secure: ... }` value is
 * set as a secret).
 * AUTH_TOKENS is that placeholder unless `patch` says otherwise.
 */
export async function testStack(name: string, patch: Record<string, unknown> = {}, program?: PulumiFn | { source: string }): Promise<TestStack> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `task-mcp-engine-${name}-`));
    const config = patchConfig(stackFile(name).config ?? {}, { authTokens: placeholderToken, renderDirectory: "manifests", ...patch }, `${project}:`);
    const secrets = Object.entries(config).filter(([, v]) => isSecureValue(v)) as Array<[string, { secure: string }]>;
    for (const [key] of secrets) delete config[key];
    const stack = await engineStack({
        stack: name,
        workDir: dir,
        backendDir: path.join(dir, "state"),
        stackSettings: { config: config as never },
        transpileOnly: true,
        ...(typeof program === "function" ? { program } : { source: program?.source }),
    });
    for (const [key, value] of secrets) await stack.setConfig(key, { value: value.secure, secret: true });
    return {
        stack,
        dir,
        manifests: path.join(dir, "manifests"),
        stateFile: path.join(dir, "state", ".pulumi", "stacks", project, `${name}.json`),
        cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
    };
}

/** The resources in a stack's state (none before its first update). */
export async function stateResources(s: TestStack): Promise<Array<{ urn: string; type: string; protect?: boolean }>> {
    return (await s.stack.exportStack()).deployment.resources ?? [];
}

export interface Step {
    readonly op: string;
    readonly type: string;
    readonly name: string;
    /** Property paths the provider reports as changed (the detailed diff). */
    readonly diffs: string[];
}

/** Collects the engine's resource steps from a preview or update. */
export function stepRecorder() {
    const steps: Step[] = [];
    return {
        steps,
        onEvent: (event: EngineEvent) => {
            const meta = event.resourcePreEvent?.metadata;
            if (meta) steps.push({ op: meta.op, type: meta.type, name: meta.urn.split("::").pop()!, diffs: Object.keys(meta.detailedDiff ?? {}).sort() });
        },
    };
}
