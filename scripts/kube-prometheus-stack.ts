/**
 * For scripts/cluster.sh: prints the kube-prometheus-stack objects (scripts/lib/kube-prometheus-stack.ts)
 * as YAML for `kubectl apply -f -`, or with `--generated` the names of the Secrets the operator writes.
 */
import { stringify } from "yaml";
import { generatedSecrets, platformObjects } from "./lib/kube-prometheus-stack";

if (process.argv.includes("--generated")) console.log(generatedSecrets.join("\n"));
else console.log(platformObjects().map((o) => stringify(o, { aliasDuplicateObjects: false })).join("---\n"));
