/** Reads the committed Pulumi.<stack>.yaml files the way the program sees them, without the CLI. */
import type { ProjectSettings } from "@pulumi/pulumi/automation";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { parseStackConfig, StackConfig } from "../../components/config/schema";

export const repoRoot = path.resolve(__dirname, "..", "..");
export const project = "task-mcp";

/** Every stack with a committed Pulumi.<stack>.yaml (dev, prod, local, and any new one). */
export function committedStacks(): string[] {
    return fs
        .readdirSync(repoRoot)
        .map((f) => /^Pulumi\.([^.]+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/** Pulumi.yaml as committed (the Automation API's project settings). */
export function projectFile(): ProjectSettings {
    return parse(fs.readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8"));
}

/** Pulumi.<stack>.yaml as committed (the shape the Automation API takes as stack settings). */
export function stackFile(stack: string): { config?: Record<string, unknown> } {
    return parse(fs.readFileSync(path.join(repoRoot, `Pulumi.${stack}.yaml`), "utf8"));
}

/** A `secure:` value of a stack file: encrypted by the stack's secrets provider. */
export const isSecureValue = (value: unknown): value is { secure: string } => typeof value === "object" && value !== null && "secure" in value;

/** The `task-mcp:` keys of Pulumi.<stack>.yaml, without the prefix (secure values left out). */
export function stackFileConfig(stack: string): Record<string, unknown> {
    const file = stackFile(stack);
    return Object.fromEntries(
        Object.entries(file.config ?? {})
            .filter(([key, value]) => key.startsWith(`${project}:`) && !isSecureValue(value))
            .map(([key, value]) => [key.slice(project.length + 1), value]),
    );
}

/** The secret keys Pulumi.<stack>.yaml sets (encrypted `secure:` values), without the prefix. */
export function stackSecretKeys(stack: string): string[] {
    return Object.entries(stackFile(stack).config ?? {})
        .filter(([key, value]) => key.startsWith(`${project}:`) && isSecureValue(value))
        .map(([key]) => key.slice(project.length + 1));
}

/**
 * The one stack-config patcher: `base` with `patch` applied at the top level (keys spelt without
 * `prefix`): a value replaces the key's, `undefined` removes the key.
 */
export function patchConfig(base: Record<string, unknown>, patch: Record<string, unknown>, prefix = ""): Record<string, unknown> {
    const config = { ...base };
    for (const [key, value] of Object.entries(patch)) {
        if (value === undefined) delete config[prefix + key];
        else config[prefix + key] = value;
    }
    return config;
}

/** The validated config of a committed stack, optionally patched. */
export function stackConfig(stack: string, patch: Record<string, unknown> = {}): StackConfig {
    return parseStackConfig(patchConfig(stackFileConfig(stack), patch), stack, `${project}:`);
}

/**
 * The stacks that deploy to a cluster (dev, prod, and any new one): every committed stack but
 * those that only render manifests (`renderDirectory`, as `local` does). Their rules and routing
 * are exported, checked by promtool and amtool, and documented per stack.
 */
export const exportedStacks: readonly string[] = committedStacks().filter((stack) => stackFileConfig(stack)["renderDirectory"] === undefined);
