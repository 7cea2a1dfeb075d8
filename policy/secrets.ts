/**
 * Credentials travel only inside Secrets. Policies see values with their secretness stripped
 * (@pulumi/policy unwraps them), so this checks where credentials go rather than how they are
 * marked; the engine tests prove that state holds them encrypted.
 */
import { secretOutputs } from "../components/secret-outputs";
import { Check, containersOf, podSpecOf } from "./resource";

/** Environment variables by these names hold credentials and must come from a Secret. */
const sensitiveEnv = /TOKEN|PASSWORD|PASSWD|SECRET|WEBHOOK|API_KEY|CREDENTIAL/i;

/** Credential shapes that must never appear in a ConfigMap (Alertmanager and Grafana keys, Slack hooks). */
const credentialPatterns: readonly RegExp[] = [
    /\b(smtp_auth_password|smtp_auth_secret|slack_api_url|bearer_token|client_secret|password)["']?\s*[:=]/i,
    /https:\/\/hooks\.slack\.com\/services\//i,
];

function envProblems(resource: Parameters<Check>[0]): string[] {
    const spec = podSpecOf(resource);
    if (!spec) return [];
    return containersOf(spec).flatMap((c) =>
        (c.env ?? [])
            .filter((e) => sensitiveEnv.test(e.name) && e.value !== undefined)
            .map((e) => `container ${c.name} sets ${e.name} as a plain value; take it from a Secret (valueFrom.secretKeyRef)`),
    );
}

function configMapProblems(resource: Parameters<Check>[0]): string[] {
    if (resource.type !== "kubernetes:core/v1:ConfigMap") return [];
    const data: Record<string, string> = resource.props.data ?? {};
    return Object.entries(data)
        .filter(([key, value]) => credentialPatterns.some((p) => p.test(`${key}:`) || p.test(value)))
        .map(([key]) => `ConfigMap key ${key} holds a credential; put it in a Secret`);
}

function secretProblems(resource: Parameters<Check>[0]): string[] {
    if (resource.type !== "kubernetes:core/v1:Secret") return [];
    const missing = secretOutputs.filter((o) => !resource.additionalSecretOutputs?.includes(o));
    return missing.length ? [`Secret does not list ${missing.join(" and ")} in additionalSecretOutputs, so state could hold them in plain text`] : [];
}

export const checkSecrets: Check = (resource) => [...envProblems(resource), ...configMapProblems(resource), ...secretProblems(resource)];
