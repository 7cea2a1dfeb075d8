import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ConfigError } from "./errors";
import { parseStackConfig, SecretKey, secretKeys, StackConfig, stackConfigFields } from "./schema";

/** Validated stack config plus the secrets, which only ever exist as secret Outputs. */
export interface LoadedConfig {
    readonly stack: string;
    readonly config: StackConfig;
    readonly secrets: Partial<Record<SecretKey, pulumi.Output<string>>>;
}

/**
 * Top-level keys whose schema is a string (optional or defaulted included): their raw value is
 * never JSON-parsed, so `authTokenRotation: "2026"` stays the string "2026", not a number.
 */
function isStringKey(key: string): boolean {
    let field: z.ZodType | undefined = (stackConfigFields.shape as Record<string, z.ZodType>)[key];
    while (field instanceof z.ZodOptional || field instanceof z.ZodDefault || field instanceof z.ZodPrefault) field = field.unwrap() as z.ZodType;
    return field instanceof z.ZodString;
}

function decode(key: string, raw: string): unknown {
    if (isStringKey(key)) return raw;
    try {
        return JSON.parse(raw);
    } catch {
        return raw;
    }
}

/**
 * The edge between the pure schema and Pulumi: a ConfigError thrown by `parse` becomes a
 * `pulumi.RunError` (named ConfigError), which `pulumi preview` prints as the message alone,
 * without a stack trace, before any resource is registered.
 */
export function validated<T>(parse: () => T): T {
    try {
        return parse();
    } catch (error) {
        if (error instanceof ConfigError) throw Object.assign(new pulumi.RunError(error.message), { name: error.name });
        throw error;
    }
}

/**
 * Reads every `<project>:` key of the current stack, validates it against the one schema and
 * fails with a single ConfigError before the caller declares any resource.
 */
export function loadStackConfig(): LoadedConfig {
    const project = pulumi.getProject();
    const stack = pulumi.getStack();
    const prefix = `${project}:`;
    const plain: Record<string, unknown> = {};
    const present = new Set<string>();
    for (const [fullKey, raw] of Object.entries(pulumi.runtime.allConfig())) {
        if (!fullKey.startsWith(prefix)) continue;
        const key = fullKey.slice(prefix.length);
        present.add(key);
        if (!(secretKeys as readonly string[]).includes(key)) plain[key] = decode(key, raw);
    }
    const config = validated(() => parseStackConfig(plain, stack, prefix));
    const projectConfig = new pulumi.Config(project);
    const secrets: LoadedConfig["secrets"] = {};
    for (const key of secretKeys) {
        if (present.has(key)) secrets[key] = projectConfig.requireSecret(key);
    }
    return { stack, config, secrets };
}
