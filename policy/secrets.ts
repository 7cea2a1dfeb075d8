/**
 * Credentials travel only inside Secrets, whose data the Kubernetes provider keeps encrypted in
 * state. Policies see values with their secretness stripped (@pulumi/policy unwraps them), so
 * this checks where credentials go, not how they are marked: anywhere else they would sit in
 * state, in the cluster and in `kubectl get -o yaml` in plain text.
 */
import { Check, CheckedResource, containersOf, podSpecOf } from "./resource";

/** Environment variables by these names hold credentials and must come from a Secret. */
const sensitiveEnv = /TOKEN|PASSWORD|PASSWD|SECRET|WEBHOOK|API_KEY|CREDENTIAL/i;

/** Credential shapes (Alertmanager and Grafana keys, Slack hooks) that belong in a Secret only. */
const credentialPatterns: readonly RegExp[] = [
    /\b(smtp_auth_password|smtp_auth_secret|slack_api_url|bearer_token|client_secret|password)["']?\s*[:=]/i,
    /https:\/\/hooks\.slack\.com\/services\//i,
];
const holdsCredential = (key: string, value: string) => credentialPatterns.some((p) => p.test(`${key}:`) || p.test(value));

function envProblems(resource: CheckedResource): string[] {
    const spec = podSpecOf(resource);
    if (!spec) return [];
    return containersOf(spec).flatMap((c) =>
        (c.env ?? [])
            .filter((e) => sensitiveEnv.test(e.name) && e.value !== undefined)
            .map((e) => `container ${c.name} sets ${e.name} as a plain value; take it from a Secret (valueFrom.secretKeyRef)`),
    );
}

function configMapProblems(resource: CheckedResource): string[] {
    if (resource.type !== "kubernetes:core/v1:ConfigMap") return [];
    return Object.entries((resource.props.data ?? {}) as Record<string, string>)
        .filter(([key, value]) => holdsCredential(key, value))
        .map(([key]) => `ConfigMap key ${key} holds a credential; put it in a Secret`);
}

/** Annotations are never encrypted, on any kind (a kubectl last-applied-configuration of a Secret is one). */
function annotationProblems(resource: CheckedResource): string[] {
    return Object.entries((resource.props.metadata?.annotations ?? {}) as Record<string, string>)
        .filter(([key, value]) => holdsCredential(key, value))
        .map(([key]) => `annotation ${key} holds a credential; put it in a Secret`);
}

export const checkSecrets: Check = (resource) => [...envProblems(resource), ...configMapProblems(resource), ...annotationProblems(resource)];
