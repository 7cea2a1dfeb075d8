/**
 * Every shell command the docs show: each ```bash block of the README and of docs/operations/,
 * one command per line (a trailing `\` joins lines), comments and blank lines dropped. `blocksOf`
 * is pure (a unit test checks the parsing); `documentedBlocks` reads the files for the cluster
 * suite, which runs them (test/cluster/commands.test.ts).
 */
import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "../../scripts/lib/stacks";

export interface DocBlock {
    /** Relative to the repository. */
    readonly file: string;
    /** 1-based line of the block's opening fence. */
    readonly line: number;
    readonly commands: readonly string[];
}

/** `cmd   # comment` -> `cmd`; a `#` inside quotes or `$(...)` stays. */
export function withoutComment(line: string): string {
    let quote: string | undefined;
    let depth = 0;
    for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (quote) {
            if (c === quote) quote = undefined;
        } else if (c === "'" || c === '"') quote = c;
        else if (c === "(") depth++;
        else if (c === ")") depth--;
        else if (c === "#" && depth === 0 && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i).trimEnd();
    }
    return line.trimEnd();
}

/** The bash blocks of one Markdown text. */
export function blocksOf(file: string, text: string): DocBlock[] {
    const blocks: DocBlock[] = [];
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
        if (!/^\s*```(bash|sh|shell)\s*$/.test(lines[i])) continue;
        const start = i;
        const commands: string[] = [];
        let pending = "";
        for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]); i++) {
            const line = withoutComment(lines[i].trim());
            if (line.endsWith("\\")) {
                pending += line.slice(0, -1).trimEnd() + " ";
                continue;
            }
            const command = (pending + line).trim();
            pending = "";
            if (command !== "") commands.push(command);
        }
        blocks.push({ file, line: start + 1, commands });
    }
    return blocks;
}

/** The README and every page under docs/operations/, in that order (pages sorted). */
export function documentedBlocks(): DocBlock[] {
    const walk = (dir: string): string[] =>
        fs
            .readdirSync(dir, { withFileTypes: true })
            .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith(".md") ? [path.join(dir, e.name)] : []));
    const files = [
        "README.md",
        ...walk(path.join(repoRoot, "docs", "operations"))
            .map((f) => path.relative(repoRoot, f))
            .sort(),
    ];
    return files.flatMap((file) => blocksOf(file, fs.readFileSync(path.join(repoRoot, file), "utf8")));
}
