/** Every container requests and limits CPU and memory, so scheduling and the HPA have a basis. */
import { Check, containersOf, podSpecOf } from "./resource";

const required = ["cpu", "memory"] as const;

export const checkResources: Check = (resource) => {
    const spec = podSpecOf(resource);
    if (!spec) return [];
    return containersOf(spec).flatMap((c) =>
        (["requests", "limits"] as const).flatMap((kind) => {
            const missing = required.filter((r) => !c.resources?.[kind]?.[r]);
            return missing.length ? [`container ${c.name} sets no ${kind} for ${missing.join(" and ")}`] : [];
        }),
    );
};
