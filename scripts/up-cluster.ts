/**
 * `npm run up:cluster`: the dev stack's config applied to the local control plane (`npm run
 * cluster:up` first), as `pulumi up` with the policy pack: stack `dev` in a file backend of its
 * own under .state/cluster, run from a copy of Pulumi.dev.yaml so that nothing committed changes.
 * `-- --destroy` removes it. It only ever talks to the local cluster's kubeconfig, whatever
 * KUBECONFIG says.
 */
import * as fs from "fs";
import { clusterKubeconfig, clusterStack } from "./lib/cluster";
import { engineStack } from "./lib/engine";
import { isSecureValue, stackFile } from "./lib/stacks";

async function main() {
    if (!fs.existsSync(clusterKubeconfig)) throw new Error(`no local cluster (${clusterKubeconfig} is missing): run npm run cluster:up first`);
    process.env.KUBECONFIG = clusterKubeconfig;
    fs.mkdirSync(clusterStack.workDir, { recursive: true });
    // The committed file's secure values belong to its own secrets provider, not this passphrase
    // backend's: left out (the program generates the token; no Slack or switch URL locally).
    const config = Object.fromEntries(Object.entries(stackFile(clusterStack.name).config ?? {}).filter(([, value]) => !isSecureValue(value)));
    const stack = await engineStack({
        stack: clusterStack.name,
        workDir: clusterStack.workDir,
        backendDir: clusterStack.backendDir,
        stackSettings: { config: config as never },
    });
    const onOutput = (out: string) => process.stdout.write(out);
    if (process.argv.includes("--destroy")) {
        await stack.destroy({ onOutput });
        return;
    }
    // A cluster made anew since the last run lost what the state holds: refresh finds that first.
    await stack.up({ onOutput, refresh: true });
    console.log(`\n==> ${clusterStack.name} is up on the local cluster: kubectl get pods -n task-mcp (KUBECONFIG=${clusterKubeconfig})`);
    console.log(`    its pulumi commands: cd ${clusterStack.workDir} with PULUMI_BACKEND_URL=file://${clusterStack.backendDir}`);
}

main().catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
});
