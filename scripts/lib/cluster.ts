/** The local control plane (scripts/cluster.sh: etcd, kube-apiserver, kwok nodes) and kubectl against it. */
import { execFileSync } from "child_process";
import * as path from "path";
import { repoRoot } from "./stacks";

/** Written by `scripts/cluster.sh up`. */
export const clusterKubeconfig = path.join(repoRoot, ".cluster", "kubeconfig");

/**
 * Where `npm run up:cluster` keeps the dev stack it applies to the local cluster: its own file
 * backend, and a work dir with a copy of Pulumi.dev.yaml (so `pulumi config set` there never
 * touches the committed file). The runbooks' pulumi commands run there in the cluster suite.
 */
export const clusterStack = {
    name: "dev",
    workDir: path.join(repoRoot, ".state", "cluster", "work"),
    backendDir: path.join(repoRoot, ".state", "cluster", "backend"),
} as const;
export function clusterScript(command: "up" | "down"): void {
    execFileSync("bash", [path.join(repoRoot, "scripts", "cluster.sh"), command], { stdio: "inherit" });
}
/** kubectl, built with the control plane by scripts/tools.sh (its version: tools/kubernetes/go.mod). */
export const kubectlBin = path.join(repoRoot, ".tools", "bin", "kubectl");

/** kubectl against the local control plane; throws with kubectl's stderr when it fails. */
export function clusterKubectl(...args: string[]): string {
    return execFileSync(kubectlBin, ["--kubeconfig", clusterKubeconfig, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** `kubectl apply -f -` of these objects against the local control plane. */
export function clusterApply(objects: readonly object[]): void {
    execFileSync(kubectlBin, ["--kubeconfig", clusterKubeconfig, "apply", "-f", "-"], {
        input: objects.map((o) => JSON.stringify(o)).join("\n"),
        stdio: ["pipe", "ignore", "pipe"],
    });
}
