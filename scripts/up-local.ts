/**
 * `npm run up:local`: the embedded default. `pulumi up` of the `local` stack under the real
 * engine: every manifest rendered to out/local/manifests, no cluster, no account.
 * `npm run up:local -- --preview` only previews; `-- --destroy` tears the stack down.
 */
import * as path from "path";
import { engineStack, localBackend, renderedFiles } from "./lib/engine";
import { repoRoot } from "./lib/stacks";

async function main() {
    const stack = await engineStack({ stack: "local", backendDir: localBackend });
    const onOutput = (out: string) => process.stdout.write(out);
    if (process.argv.includes("--preview")) {
        await stack.preview({ onOutput, diff: true });
        return;
    }
    if (process.argv.includes("--destroy")) {
        await stack.destroy({ onOutput });
        return;
    }
    await stack.up({ onOutput });
    const dir = path.join(repoRoot, "out", "local", "manifests");
    const files = renderedFiles(dir);
    console.log(`\nRendered ${files.length} manifests to ${path.relative(repoRoot, dir)}/ (Secret data in them is plain text: placeholders only).`);
    for (const f of files) console.log(`  ${f}`);
}

main().catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
});
