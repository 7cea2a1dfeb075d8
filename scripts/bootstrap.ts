/**
 * `npm run bootstrap -- <stack>`: brings up a new environment from nothing: creates the stack in
 * the current backend if it does not exist, validates its config (Pulumi.<stack>.yaml) and runs
 * `pulumi up`. Uses the backend and secrets provider of the environment (PULUMI_BACKEND_URL,
 * PULUMI_ACCESS_TOKEN, PULUMI_CONFIG_PASSPHRASE) and the kubeconfig in KUBECONFIG.
 */
import * as fs from "fs";
import * as path from "path";
import { engineStack, localBackend } from "./lib/engine";
import { repoRoot } from "./lib/stacks";

async function main() {
    const name = process.argv[2];
    if (!name || !/^[a-z0-9-]+$/.test(name)) throw new Error("usage: npm run bootstrap -- <stack>   (a lower-case stack name, e.g. staging)");
    if (!fs.existsSync(path.join(repoRoot, `Pulumi.${name}.yaml`))) {
        throw new Error(`Pulumi.${name}.yaml does not exist: copy Pulumi.dev.yaml, adjust it, commit it, then run again`);
    }
    console.log(`==> bootstrapping stack ${name}`);
    const stack = await engineStack({ stack: name, backendDir: process.env.PULUMI_BACKEND_URL || process.env.PULUMI_ACCESS_TOKEN ? undefined : localBackend });
    await stack.up({ onOutput: (out) => process.stdout.write(out) });
    console.log(`==> ${name} is up; outputs: ${JSON.stringify(Object.keys(await stack.outputs()))}`);
}

main().catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
});
