/** `npm run export`: out/<stack>/{prometheus,alertmanager,grafana} for every committed stack. */
import * as path from "path";
import { exportStack } from "./lib/export";
import { exportedStacks, repoRoot, stackConfig } from "./lib/stacks";

for (const stack of exportedStacks) {
    const dir = path.join(repoRoot, "out", stack);
    const paths = exportStack(stackConfig(stack), dir);
    console.log(`${stack}: ${path.relative(repoRoot, paths.rules)}, ${path.relative(repoRoot, paths.alertmanager)}, ${paths.dashboards.length} dashboards`);
}
