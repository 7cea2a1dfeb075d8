/**
 * The Pod Security "restricted" profile, checked before the API server sees the pods: the
 * namespace enforces it too, but admission only rejects the pods, long after `pulumi up` has
 * reported the Deployment as created.
 */
import { Check, Container, PodSpec, containersOf, podSpecOf } from "./resource";

const allowedSeccomp = ["RuntimeDefault", "Localhost"];

function containerProblems(pod: PodSpec, c: Container): string[] {
    const sc = c.securityContext ?? {};
    const pc = pod.securityContext ?? {};
    const problems: string[] = [];
    if (sc.privileged) problems.push("is privileged");
    if (sc.allowPrivilegeEscalation !== false) problems.push("does not set allowPrivilegeEscalation: false");
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) problems.push("does not drop ALL capabilities");
    const added = (sc.capabilities?.add ?? []).filter((cap) => cap !== "NET_BIND_SERVICE");
    if (added.length) problems.push(`adds capabilities ${added.join(", ")}`);
    if ((sc.runAsNonRoot ?? pc.runAsNonRoot) !== true) problems.push("may run as root (runAsNonRoot is not true)");
    if ((sc.runAsUser ?? pc.runAsUser) === 0) problems.push("runs as user 0");
    const seccomp = sc.seccompProfile?.type ?? pc.seccompProfile?.type;
    if (!allowedSeccomp.includes(seccomp ?? "")) problems.push(`has seccomp profile ${seccomp ?? "(none)"}; expected RuntimeDefault`);
    return problems.map((p) => `container ${c.name} ${p}`);
}

export const checkSecurityContext: Check = (resource) => {
    const pod = podSpecOf(resource);
    if (!pod) return [];
    const host = (["hostNetwork", "hostPID", "hostIPC"] as const).filter((k) => pod[k]).map((k) => `pod uses ${k}`);
    const hostPaths = (pod.volumes ?? []).filter((v) => v.hostPath).map((v) => `volume ${v.name} is a hostPath`);
    return [...host, ...hostPaths, ...containersOf(pod).flatMap((c) => containerProblems(pod, c))];
};
