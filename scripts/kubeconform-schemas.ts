/**
 * Offline JSON schemas for kubeconform, in its `{{ .ResourceKind }}{{ .KindSuffix }}.json` layout:
 *   - built-in kinds from the Kubernetes OpenAPI (api/openapi-spec/swagger.json of the pinned
 *     k8s.io/kubernetes module), every $ref inlined ("standalone");
 *   - the monitoring kinds from the pinned prometheus-operator module's CRD files.
 * Strict: every object schema that lists its properties refuses unknown ones.
 *
 * Usage: ts-node scripts/kubeconform-schemas.ts <kubernetes module dir> <prometheus-operator module dir> <out dir>
 */
import * as fs from "fs";
import * as path from "path";
import { parseAllDocuments } from "yaml";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON schema, walked and rewritten key by key
type Schema = { [key: string]: any };

/** kubeconform's file name for an apiVersion and kind (see its registry.go). */
export function schemaFileName(apiVersion: string, kind: string): string {
    const [groupOrVersion, version] = apiVersion.split("/");
    const suffix = version ? `-${groupOrVersion.split(".")[0].toLowerCase()}-${version.toLowerCase()}` : `-${groupOrVersion.toLowerCase()}`;
    return `${kind.toLowerCase()}${suffix}.json`;
}

const intOrString = { oneOf: [{ type: "string" }, { type: "integer" }] };

/** Makes a schema strict and kubeconform-friendly, recursively. */
function harden(schema: Schema): Schema {
    if (Array.isArray(schema)) return schema.map(harden);
    if (schema === null || typeof schema !== "object") return schema;
    if (schema.format === "int-or-string" || schema["x-kubernetes-int-or-string"])
        return { ...intOrString, ...(schema.description ? { description: schema.description } : {}) };
    const out: Schema = {};
    for (const [key, value] of Object.entries(schema))
        out[key] = key === "properties" ? Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, harden(v)])) : harden(value);
    if (out.properties && out.additionalProperties === undefined && !out["x-kubernetes-preserve-unknown-fields"]) out.additionalProperties = false;
    return out;
}

function inlineRefs(schema: Schema, definitions: Record<string, Schema>, seen: string[] = []): Schema {
    if (Array.isArray(schema)) return schema.map((s) => inlineRefs(s, definitions, seen));
    if (schema === null || typeof schema !== "object") return schema;
    if (typeof schema.$ref === "string") {
        const name = schema.$ref.replace("#/definitions/", "");
        // A cycle (JSONSchemaProps refers to itself): accept anything below it.
        if (seen.includes(name)) return {};
        return inlineRefs(definitions[name], definitions, [...seen, name]);
    }
    return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, inlineRefs(v, definitions, seen)]));
}

export function builtInSchemas(swaggerFile: string): Map<string, Schema> {
    const definitions = (JSON.parse(fs.readFileSync(swaggerFile, "utf8")) as { definitions: Record<string, Schema> }).definitions;
    const out = new Map<string, Schema>();
    for (const [name, definition] of Object.entries(definitions)) {
        for (const gvk of (definition["x-kubernetes-group-version-kind"] ?? []) as Array<{ group: string; version: string; kind: string }>) {
            const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
            out.set(schemaFileName(apiVersion, gvk.kind), harden(inlineRefs(definition, definitions, [name])));
        }
    }
    return out;
}

export function crdSchemas(crdDir: string): Map<string, Schema> {
    const out = new Map<string, Schema>();
    for (const file of fs.readdirSync(crdDir).filter((f) => f.endsWith(".yaml"))) {
        for (const doc of parseAllDocuments(fs.readFileSync(path.join(crdDir, file), "utf8"))) {
            const crd = doc.toJS() as Schema | null;
            if (crd?.kind !== "CustomResourceDefinition") continue;
            for (const version of crd.spec.versions as Schema[]) {
                if (!version.schema?.openAPIV3Schema) continue;
                out.set(schemaFileName(`${crd.spec.group}/${version.name}`, crd.spec.names.kind), harden(version.schema.openAPIV3Schema));
            }
        }
    }
    return out;
}

if (require.main === module) {
    const [kubernetesDir, operatorDir, outDir] = process.argv.slice(2);
    if (!outDir) throw new Error("usage: kubeconform-schemas.ts <kubernetes module dir> <prometheus-operator module dir> <out dir>");
    fs.mkdirSync(outDir, { recursive: true });
    const schemas = new Map([
        ...builtInSchemas(path.join(kubernetesDir, "api", "openapi-spec", "swagger.json")),
        ...crdSchemas(path.join(operatorDir, "example", "prometheus-operator-crd")),
    ]);
    for (const [file, schema] of schemas) fs.writeFileSync(path.join(outDir, file), JSON.stringify(schema));
    console.log(`wrote ${schemas.size} schemas to ${outDir}`);
}
