/** Images are pinned: a tag other than `latest`, or a digest. Rollbacks depend on it. */
import { imageReference } from "../components/image";
import { Check, containersOf, podSpecOf } from "./resource";

export const checkImageTag: Check = (resource) => {
    const spec = podSpecOf(resource);
    if (!spec) return [];
    return containersOf(spec).flatMap((c) => {
        const image = c.image ?? "";
        const { tag, digest } = imageReference(image);
        if (digest) return [];
        if (tag === undefined) return [`container ${c.name} image ${image || "(none)"} has no tag; pin a version tag or a digest`];
        if (tag === "latest") return [`container ${c.name} image ${image} uses the latest tag; pin a version tag or a digest`];
        return [];
    });
};
