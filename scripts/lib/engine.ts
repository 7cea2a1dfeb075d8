/**
 * The real Pulumi engine (the CLI in .tools/bin) running this program, with a file backend and
 * a passphrase secrets provider: no account, no network.
 *
 * The program runs as `pulumi up` and `pulumi/actions` run it: the CLI reads `Pulumi.yaml`
 * (`runtime: nodejs`) and starts the Node.js language host, which runs `index.ts`. Only a
 * test that swaps the program for a broken one (`program`) runs it inline, the Automation API
 * serving the language-host protocol from the test's own process.
 */
import { LocalWorkspace, PulumiCommand, PulumiFn, Stack, StackSettings } from "@pulumi/pulumi/automation";
import * as fs from "fs";
import * as path from "path";
import { project, projectFile, repoRoot } from "./stacks";

export const toolsRoot = path.join(repoRoot, ".tools");
export const toolsBin = path.join(toolsRoot, "bin");
/** The policy pack every preview and update runs (its executable launcher; see the file). */
export const policyPack = path.join(repoRoot, "policy", "analyzer");

/** Not a secret: it only protects the local and test stacks. Real stacks set their own. */
export const localPassphrase = "task-mcp-local-stack-not-a-secret";

export interface EngineOptions {
    readonly stack: string;
    /** Directory for Pulumi.yaml/Pulumi.<stack>.yaml. @default the repository */
    readonly workDir?: string;
    /**
     * File backend directory, with the passphrase secrets provider. Without it the environment
     * chooses (PULUMI_BACKEND_URL, or Pulumi Cloud with PULUMI_ACCESS_TOKEN) and the stack's own
     * secrets provider applies.
     */
    readonly backendDir?: string;
    /** Stack settings to write (tests); @default the committed Pulumi.<stack>.yaml */
    readonly stackSettings?: StackSettings;
    /**
     * An inline program, for tests that break the program on purpose. @default this repository's
     * `index.ts`, run by the CLI's language host
     */
    readonly program?: PulumiFn;
    /**
     * TypeScript to run as `index.ts` instead of this repository's program, through the language
     * host all the same (the benchmark's one-resource floor). Only outside the repository.
     */
    readonly source?: string;
    /**
     * Skip the language host's type check of index.ts (tests: `npm run typecheck` has checked it
     * once already). @default false, as `pulumi up` runs it
     */
    readonly transpileOnly?: boolean;
}

/** Whether scripts/tools.sh has set up this machine's CLI and plugins (offline, in the project). */
const projectTools = () => fs.existsSync(path.join(toolsBin, "pulumi"));

export function engineEnv(backendDir?: string): Record<string, string> {
    return {
        ...(projectTools()
            ? {
                  PULUMI_HOME: process.env.PULUMI_HOME ?? path.join(repoRoot, ".pulumi-home"),
                  // Providers load from PULUMI_HOME, where scripts/tools.sh installs them, not from
                  // beside the CLI (which warns "from $PATH"); the language host is found beside it.
                  PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
                  // Nothing to download here: a missing plugin is an error, not a network call.
                  PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
              }
            : {}),
        ...(backendDir
            ? { PULUMI_BACKEND_URL: `file://${backendDir}`, PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? localPassphrase }
            : {}),
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    };
}

/** Creates or selects `stack` (this repository's program unless `program` is given) on the CLI in .tools/bin. */
export async function engineStack(options: EngineOptions): Promise<Stack> {
    const backendDir = options.backendDir;
    if (backendDir) fs.mkdirSync(backendDir, { recursive: true });
    const envVars: Record<string, string> = { ...engineEnv(backendDir), ...(options.transpileOnly ? { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } : {}) };
    if (envVars.PULUMI_HOME) process.env.PULUMI_HOME = envVars.PULUMI_HOME;
    const pulumiCommand = await PulumiCommand.get({
        root: projectTools() ? toolsRoot : undefined,
        skipVersionCheck: true,
    });
    const workDir = options.workDir ?? repoRoot;
    // In the repository the committed Pulumi.yaml and Pulumi.<stack>.yaml are used as they are;
    // elsewhere (tests) they are written from these settings beside links to the program.
    const inRepo = path.resolve(workDir) === repoRoot;
    if (!inRepo) linkProgram(workDir, options.source);
    const settings = options.stackSettings;
    const workspace = {
        workDir,
        pulumiCommand,
        envVars,
        ...(backendDir ? { secretsProvider: "passphrase" } : {}),
        ...(inRepo ? {} : { projectSettings: projectFile() }),
        ...(!inRepo && settings ? { stackSettings: { [options.stack]: settings } } : {}),
    };
    const stack = options.program
        ? await LocalWorkspace.createOrSelectStack({ stackName: options.stack, projectName: project, program: options.program }, workspace)
        : await LocalWorkspace.createOrSelectStack({ stackName: options.stack, workDir }, workspace);
    return withPolicyPack(stack);
}

/**
 * Links what the language host needs to run index.ts into `dir`, so that the program runs
 * there: its working directory, which relative paths such as renderDirectory resolve against.
 */
function linkProgram(dir: string, source?: string): void {
    if (source !== undefined) fs.writeFileSync(path.join(dir, "index.ts"), source);
    for (const entry of ["index.ts", "components", "runtime", "package.json", "tsconfig.json", "node_modules", "policy"]) {
        const link = path.join(dir, entry);
        if (!fs.existsSync(link)) fs.symlinkSync(path.join(repoRoot, entry), link);
    }
}

/**
 * Every preview and update of `stack` runs the policy pack: one place, so no caller can forget
 * it. An update previews first, as `pulumi up --yes` does (the Automation API always skips
 * that preview): the engine checks policies resource by resource, so without it a violation
 * would stop the update only after the resources registered before it were applied.
 */
function withPolicyPack(stack: Stack): Stack {
    const policyPacks = [policyPack];
    const preview = stack.preview.bind(stack);
    const up = stack.up.bind(stack);
    stack.preview = (opts) => preview({ policyPacks, ...opts });
    stack.up = async (opts) => {
        await preview({ policyPacks, refresh: opts?.refresh, target: opts?.target, onOutput: opts?.onOutput });
        return up({ policyPacks, ...opts });
    };
    return stack;
}

/** The YAML files a render-mode run wrote under `dir`, relative and sorted (none if it is absent). */
export function renderedFiles(dir: string): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs
        .readdirSync(dir, { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".yaml"))
        .sort();
}

/** Where `npm run up:local` and local bootstraps keep state. */
export const localBackend = path.join(repoRoot, ".state");
