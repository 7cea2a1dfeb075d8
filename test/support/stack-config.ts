import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

export const repoRoot = path.resolve(__dirname, "..", "..");
export const project = "task-mcp";

/** The `task-mcp:` keys of Pulumi.<stack>.yaml, without the prefix. */
export function stackFileConfig(stack: string): Record<string, unknown> {
    const file = parse(fs.readFileSync(path.join(repoRoot, `Pulumi.${stack}.yaml`), "utf8")) as { config?: Record<string, unknown> };
    return Object.fromEntries(
        Object.entries(file.config ?? {})
            .filter(([key]) => key.startsWith(`${project}:`))
            .map(([key, value]) => [key.slice(project.length + 1), value]),
    );
}
