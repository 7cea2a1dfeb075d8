import { generatedNote } from "./markdown";

/** docs/config-errors.md: the catalogue of bad stack configs and their exact messages. */
export function configErrorsPage(cases: ReadonlyArray<{ name: string; patch: Record<string, unknown>; message: string }>): string {
    return [
        "# Bad stack config: the catalogue",
        "",
        generatedNote("scripts/lib/bad-config.ts (each case is a unit test)"),
        "",
        "Each row is a change to `Pulumi.dev.yaml` and the exact message `pulumi preview` stops with,",
        "before any resource is registered. `(removed)` means the key is deleted.",
        "",
        ...cases.flatMap((c, i) => [
            `## ${i + 1}. ${c.name}`,
            "",
            "```yaml",
            ...Object.entries(c.patch).map(([key, value]) => `task-mcp:${key}: ${value === undefined ? "(removed)" : JSON.stringify(value)}`),
            "```",
            "",
            "```text",
            c.message,
            "```",
            "",
        ]),
    ].join("\n");
}
