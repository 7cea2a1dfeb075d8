/** Images are pinned: a tag other than `latest`, or a digest. Rollbacks depend on it. */
import { Check, containersOf, podSpecOf } from "./resource";

/** The tag of an image reference, if any (a registry port is not a tag). */
function tagOf(image: string): string | undefined {
    const name = image.split("@")[0];
    const lastPart = name.slice(name.lastIndexOf("/") + 1);
    return lastPart.includes(":") ? lastPart.split(":").pop() : undefined;
}

export const checkImageTag: Check = (resource) => {
    const spec = podSpecOf(resource);
    if (!spec) return [];
    return containersOf(spec).flatMap((c) => {
        const image = c.image ?? "";
        if (image.includes("@sha256:")) return [];
        const tag = tagOf(image);
        if (tag === undefined) return [`container ${c.name} image ${image || "(none)"} has no tag; pin a version tag or a digest`];
        if (tag === "latest") return [`container ${c.name} image ${image} uses the latest tag; pin a version tag or a digest`];
        return [];
    });
};
