/** `npm run crd-schemas`: rewrites test/crd-schemas from the pinned operator's CRDs (scripts/lib/crd-schemas.ts). */
import * as fs from "fs";
import * as path from "path";
import { committedCrdSchemaDir, crdSchemaFiles, crdSchemaText, pinnedCrdSchema } from "./lib/crd-schemas";

fs.mkdirSync(committedCrdSchemaDir, { recursive: true });
for (const file of crdSchemaFiles) {
    const text = crdSchemaText(pinnedCrdSchema(file));
    fs.writeFileSync(path.join(committedCrdSchemaDir, file), text);
    console.log(`${path.relative(process.cwd(), path.join(committedCrdSchemaDir, file))}: ${(text.length / 1024).toFixed(0)} KiB`);
}
