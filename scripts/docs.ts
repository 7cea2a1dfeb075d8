/**
 * `npm run docs`: writes every generated page: docs/operations/ (scripts/docs/generate.ts),
 * docs/config-errors.md and docs/server-compatibility.md.
 */
import * as fs from "fs";
import * as path from "path";
import { badConfigCases } from "./lib/bad-config";
import { configErrorsPage } from "./docs/config-errors";
import { generateOperationsDocs } from "./docs/generate";
import { serverCompatibilityPage } from "./docs/server";
import { repoRoot, stackConfig } from "./lib/stacks";

const root = path.join(repoRoot, "docs", "operations");
fs.rmSync(root, { recursive: true, force: true });
for (const [file, content] of Object.entries(generateOperationsDocs())) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
    console.log(`docs/operations/${file}`);
}
fs.writeFileSync(path.join(repoRoot, "docs", "config-errors.md"), configErrorsPage(badConfigCases));
console.log("docs/config-errors.md");
fs.writeFileSync(
    path.join(repoRoot, "docs", "server-compatibility.md"),
    serverCompatibilityPage(stackConfig("prod"), (profile) => stackConfig("prod", { server: { profile } })),
);
console.log("docs/server-compatibility.md");
