/**
 * For scripts/cluster.sh: prints the kube-prometheus-stack objects (scripts/lib/kube-prometheus-stack.ts)
 * as YAML for `kubectl apply -f -`; with `--generated` the names of the Secrets the operator writes,
 * with `--namespace` the namespace they live in.
 */
import { stringify } from "yaml";
import { generatedSecrets, platform, platformObjects } from "./lib/kube-prometheus-stack";

if (process.argv.includes("--generated")) console.log(generatedSecrets.join("\n"));
else if (process.argv.includes("--namespace")) console.log(platform.namespace);
else
    console.log(
        platformObjects()
            .map((o) => stringify(o, { aliasDuplicateObjects: false }))
            .join("---\n"),
    );
