/** Data flows one way: the program, the policy pack and the scripts never import the tests. */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "../../scripts/lib/stacks";

const libraryDirs = ["components", "policy", "scripts"];

/** Relative imports of `file`, resolved against the repository. */
function importsOf(file: string): Array<{ file: string; target: string }> {
    const text = fs.readFileSync(path.join(repoRoot, file), "utf8");
    return [...text.matchAll(/(?:from|import)\s+"(\.{1,2}\/[^"]+)"/g)].map((m) => ({
        file,
        target: path.relative(repoRoot, path.resolve(repoRoot, path.dirname(file), m[1])),
    }));
}

const tsFilesUnder = (dir: string) =>
    fs
        .readdirSync(path.join(repoRoot, dir), { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".ts"))
        .map((f) => path.join(dir, f));

describe("dependencies", () => {
    it("no library file imports from test/", () => {
        const all = ["index.ts", ...libraryDirs.flatMap(tsFilesUnder)].flatMap(importsOf);
        expect(all.length).to.be.greaterThan(50);
        expect(all.filter((i) => i.target.split(path.sep)[0] === "test").map((i) => `${i.file} -> ${i.target}`)).to.deep.equal([]);
    });
});
