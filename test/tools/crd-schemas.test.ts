/**
 * The unit suite's CRD schemas (test/crd-schemas) are the pinned prometheus-operator's: each is
 * what `npm run crd-schemas` writes from .tools/schemas, which scripts/tools.sh makes from the
 * module tools/linters/go.mod pins.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { committedCrdSchemaDir, crdSchemaFiles, crdSchemaText, pinnedCrdSchema } from "../../scripts/lib/crd-schemas";

describe("test/crd-schemas", () => {
    for (const file of crdSchemaFiles) {
        it(`${file} is the pinned operator's (else: npm run crd-schemas)`, () => {
            const committed = fs.readFileSync(path.join(committedCrdSchemaDir, file), "utf8");
            // Compared as text: any difference, a field or its order, is a diff to review and commit.
            expect(committed === crdSchemaText(pinnedCrdSchema(file)), `${file} differs from the pinned module's`).to.equal(true);
        });
    }
});
