/**
 * Runs the real program (index.ts) under Pulumi's mocks and records every resource it
 * registers, so tests can assert on the resource graph without an engine or a cluster.
 */
import * as pulumi from "@pulumi/pulumi";
import { project } from "../../scripts/lib/stacks";

export interface Registered {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, any>;
    /** Resource options as the program passed them (protect, dependsOn, ...). */
    readonly opts: pulumi.CustomResourceOptions;
    /** The provider reference (URN::id) a custom resource was registered with. */
    readonly provider?: string;
}

export interface ProgramRun {
    readonly resources: Registered[];
    readonly exports: Record<string, any>;
    readonly error?: Error;
}

/** The value the mocked @pulumi/random returns as a generated password. */
export const generatedToken = "mock-generated-token-0123456789";

/**
 * Loads index.ts afresh with `config` (keys without the `task-mcp:` prefix; objects are
 * JSON-encoded as the CLI does) and `secrets` (set as secret config).
 */
export async function runProgram(stack: string, config: Record<string, unknown>, secrets: Record<string, string> = {}): Promise<ProgramRun> {
    const resources: Registered[] = [];
    const optsByName = new Map<string, pulumi.CustomResourceOptions>();
    const all: Record<string, string> = {};
    for (const [key, value] of Object.entries({ ...config, ...secrets })) {
        all[`${project}:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    }
    pulumi.runtime.setAllConfig(
        all,
        Object.keys(secrets).map((key) => `${project}:${key}`),
    );
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                resources.push({ type: args.type, name: args.name, inputs: args.inputs, opts: optsByName.get(args.name) ?? {}, provider: args.provider });
                const state = args.type === "random:index/randomPassword:RandomPassword" ? { ...args.inputs, result: generatedToken } : args.inputs;
                return { id: `${args.name}-id`, state };
            },
            call: (args) => args.inputs,
        },
        project,
        stack,
        false,
    );
    const modulePath = require.resolve("../../index");
    delete require.cache[modulePath];
    // Not called `exports`: under CommonJS that name would shadow this module's own exports.
    let programExports: Record<string, any> = {};
    let error: Error | undefined;
    try {
        // As the language host does: the program runs inside the root Stack resource.
        await pulumi.runtime.runInPulumiStack(async () => {
            // Mocks do not pass resource options on; a stack transformation sees them first.
            pulumi.runtime.registerStackTransformation((args) => {
                optsByName.set(args.name, args.opts);
                return undefined;
            });
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program must load after the mocks are set, inside this run
            programExports = require(modulePath);
            return programExports;
        });
    } catch (e) {
        error = e as Error;
    }
    // Waits until every registration the program started has reached the mocks.
    await pulumi.runtime.disconnect();
    return { resources, exports: programExports, error };
}

/** Resolves an Output's value and whether it is secret. */
export async function unwrap<T>(output: pulumi.Output<T>): Promise<{ value: T; secret: boolean }> {
    const value = await new Promise<T>((resolve) => output.apply((v) => resolve(v)));
    return { value, secret: await pulumi.isSecret(output) };
}

export function byType(run: ProgramRun, type: string): Registered[] {
    return run.resources.filter((r) => r.type === type);
}

export function one(run: ProgramRun, type: string, name?: string): Registered {
    const found = byType(run, type).filter((r) => name === undefined || r.inputs.metadata?.name === name);
    if (found.length !== 1) throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}`);
    return found[0];
}
