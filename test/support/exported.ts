import * as path from "path";
import { exportStack, ExportedPaths } from "../../scripts/lib/export";
import { exportedStacks, repoRoot, stackConfig } from "../../scripts/lib/stacks";

export const testOut = path.join(repoRoot, "out", "test");

/** Exports every committed stack under out/test/<stack>, as `npm run export` does. */
export function exportAll(): Record<string, ExportedPaths> {
    return Object.fromEntries(exportedStacks.map((stack) => [stack, exportStack(stackConfig(stack), path.join(testOut, stack))]));
}
