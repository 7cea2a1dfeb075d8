/** The local control plane (scripts/cluster.sh: etcd, kube-apiserver, kwok nodes) and kubectl against it. */
import { execFileSync } from "child_process";
import * as path from "path";
import { repoRoot } from "./stacks";

/** Written by `scripts/cluster.sh up`. */
export const clusterKubeconfig = path.join(repoRoot, ".cluster", "kubeconfig");
export function clusterScript(command: "up" | "down"): void {
    execFileSync("bash", [path.join(repoRoot, "scripts", "cluster.sh"), command], { stdio: "inherit" });
}
/** kubectl against the local control plane; throws with kubectl's stderr when it fails. */
export function clusterKubectl(...args: string[]): string {
    return execFileSync("kubectl", ["--kubeconfig", clusterKubeconfig, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

