import { z } from "zod";

/**
 * A config problem: one message naming every bad key, the stack and what each allows. Plain
 * data, no Pulumi: `validated()` (config/load.ts) turns it into Pulumi's RunError at the edge.
 */
export class ConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ConfigError";
    }
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
    let value: unknown = input;
    for (const key of path) {
        if (value === null || typeof value !== "object") return undefined;
        value = (value as Record<PropertyKey, unknown>)[key];
    }
    return value;
}

/** The keys an object schema knows at `path`, for "not a known key" messages. */
function knownKeys(schema: z.ZodType, path: PropertyKey[]): string {
    let node: unknown = schema;
    for (const key of [...path, undefined]) {
        while (node instanceof z.ZodDefault || node instanceof z.ZodPrefault || node instanceof z.ZodOptional || node instanceof z.ZodPipe) {
            node = node instanceof z.ZodPipe ? node.in : node.unwrap();
        }
        if (key === undefined) break;
        if (node instanceof z.ZodArray) node = node.element;
        else if (node instanceof z.ZodObject) node = node.shape[key as string];
    }
    return node instanceof z.ZodObject ? Object.keys(node.shape).join(", ") : "no other keys";
}

function describeIssue(schema: z.ZodType, issue: z.core.$ZodIssue, input: unknown, keyPrefix: string): string {
    const key = keyPrefix + issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
        const parent = issue.path.length === 0 ? keyPrefix : `${key}.`;
        return issue.keys.map((unknownKey) => `${parent}${unknownKey} is not a known key; allowed: ${knownKeys(schema, issue.path)}`).join("\n  ");
    }
    const value = valueAt(input, issue.path);
    const shown = value === undefined ? "missing" : `= ${JSON.stringify(value)}`;
    return `${key} ${shown}; allowed: ${issue.message}`;
}

/**
 * Parses `input` with `schema`, or throws one ConfigError naming every bad key, the stack and
 * what each key allows. `keyPrefix` is how the keys are spelt in Pulumi.<stack>.yaml.
 */
export function parseConfig<S extends z.ZodType>(schema: S, input: unknown, stack: string, keyPrefix: string): z.output<S> {
    const result = schema.safeParse(input);
    if (result.success) return result.data;
    const lines = result.error.issues.map((issue) => `  ${describeIssue(schema, issue, input, keyPrefix)}`);
    throw new ConfigError(`Invalid config for stack "${stack}":\n${lines.join("\n")}`);
}
