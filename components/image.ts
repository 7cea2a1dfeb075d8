/** The one image-reference parser: the schema, the pod labels and the policy pack read images through it. */
export interface ImageReference {
    /** Registry, port and path, e.g. `ghcr.io/fission-ai/task-mcp-http`. */
    readonly name: string;
    readonly tag?: string;
    /** The hex after `@sha256:`. */
    readonly digest?: string;
}

export function imageReference(image: string): ImageReference {
    const [named, digest] = image.split("@sha256:");
    // A colon after the last slash starts the tag; one before it is a registry port.
    const lastSlash = named.lastIndexOf("/");
    const colon = named.indexOf(":", lastSlash + 1);
    const name = colon === -1 ? named : named.slice(0, colon);
    const tag = colon === -1 ? undefined : named.slice(colon + 1);
    return { name, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}
