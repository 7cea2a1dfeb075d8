/**
 * The CRD schemas the unit suite validates the program's custom resources against: for each kind
 * in `operatorKinds`, the pinned prometheus-operator's schema as scripts/kubeconform-schemas.ts
 * hardens it (unknown fields refused), without descriptions. Committed under test/crd-schemas so
 * the unit suite needs no Go module; `npm run crd-schemas` rewrites them from .tools/schemas (made
 * by scripts/tools.sh from the pinned module), and the tools suite fails when the two differ.
 */
import Ajv from "ajv";
import * as fs from "fs";
import * as path from "path";
import { operatorKinds } from "../../components/monitoring/custom-resources";
import { schemaFileName } from "../kubeconform-schemas";
import { repoRoot } from "./stacks";

type Schema = { [key: string]: unknown };

export const committedCrdSchemaDir = path.join(repoRoot, "test", "crd-schemas");
const pinnedSchemaDir = path.join(repoRoot, ".tools", "schemas");

/** One schema file per kind the program declares, by kubeconform's naming. */
export const crdSchemaFiles = Object.values(operatorKinds).map((k) => schemaFileName(k.apiVersion, k.kind));

/** The schema without its `description`s (most of a CRD's bytes), recursively. */
export function withoutDescriptions(schema: unknown): unknown {
    if (Array.isArray(schema)) return schema.map(withoutDescriptions);
    if (schema === null || typeof schema !== "object") return schema;
    return Object.fromEntries(
        Object.entries(schema as Schema)
            // `description` is a keyword except directly under `properties`, where it names a field.
            .filter(([key, value]) => key !== "description" || typeof value !== "string")
            .map(([key, value]) => [key, withoutDescriptions(value)]),
    );
}

/** The schema for `file` from the pinned operator module, as the unit suite keeps it. */
export function pinnedCrdSchema(file: string): unknown {
    const source = path.join(pinnedSchemaDir, file);
    if (!fs.existsSync(source)) throw new Error(`no ${source}: run bash scripts/tools.sh`);
    return withoutDescriptions(JSON.parse(fs.readFileSync(source, "utf8")));
}

/** Pretty-printed with a line per field, so a version bump reads as a diff. */
export const crdSchemaText = (schema: unknown) => `${JSON.stringify(schema, null, 1)}\n`;

export function committedCrdSchema(file: string): Schema {
    return JSON.parse(fs.readFileSync(path.join(committedCrdSchemaDir, file), "utf8"));
}

/**
 * The CRDs' patterns are Go (RE2) regular expressions. The one construct JavaScript lacks is the
 * inline flag `(?i)`: it is dropped and the whole pattern matched case-insensitively, a little
 * more permissive than Go where a pattern makes only a group case-insensitive.
 */
const goRegExp = Object.assign(
    (pattern: string, flags: string) => (pattern.includes("(?i)") ? new RegExp(pattern.replaceAll("(?i)", ""), `${flags}i`) : new RegExp(pattern, flags)),
    { code: "goRegExp" },
);

/**
 * A validator for the committed schemas: what one object breaks, as `path: message` lines (none
 * when valid). Formats (int64, date-time) are not checked, as kubeconform does not either.
 */
export function crdValidator(): (object: { apiVersion: string; kind: string }) => string[] {
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, code: { regExp: goRegExp } });
    const validators = new Map(crdSchemaFiles.map((file) => [file, ajv.compile(committedCrdSchema(file))]));
    return (object) => {
        const validate = validators.get(schemaFileName(object.apiVersion, object.kind));
        if (!validate) return [`no CRD schema for ${object.apiVersion} ${object.kind}`];
        if (validate(object)) return [];
        return (validate.errors ?? []).map(
            (e) => `${e.instancePath || "/"}: ${e.message}${"additionalProperty" in e.params ? ` (${e.params.additionalProperty})` : ""}`,
        );
    };
}
