/** The pack's policies: each pure check above, mandatory, with the text a failing preview prints. */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { checkImageTag } from "./image-tag";
import { checkProbes } from "./probes";
import { Check } from "./resource";
import { checkResources } from "./resources";
import { checkRunbooks } from "./runbooks";
import { checkSecrets } from "./secrets";
import { checkSecurityContext } from "./security-context";

export interface PolicyDefinition {
    readonly name: string;
    readonly description: string;
    readonly check: Check;
}

export const policyDefinitions: readonly PolicyDefinition[] = [
    { name: "task-mcp-probes", description: "The service's pods probe the paths their server profile answers, on the app's own port.", check: checkProbes },
    { name: "container-resources", description: "Every container requests and limits CPU and memory.", check: checkResources },
    { name: "restricted-security-context", description: "Pods meet the Pod Security restricted profile.", check: checkSecurityContext },
    { name: "pinned-images", description: "Images are pinned to a version tag or digest, never latest.", check: checkImageTag },
    { name: "alerts-link-runbooks", description: "Every alert links one of the operations guide's runbooks.", check: checkRunbooks },
    { name: "secrets-never-plain", description: "Credentials only in Secrets: never in plain env values, ConfigMaps or annotations.", check: checkSecrets },
];

export function toPolicy(definition: PolicyDefinition): ResourceValidationPolicy {
    return {
        name: definition.name,
        description: definition.description,
        enforcementLevel: "mandatory",
        validateResource: (args, reportViolation) => {
            for (const violation of definition.check({ type: args.type, props: args.props })) reportViolation(violation);
        },
    };
}
