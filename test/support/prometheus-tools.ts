/**
 * The Prometheus and Alertmanager binaries every suite runs: the current releases built from
 * their Go modules into .tools/bin (scripts/tools.sh; tools/prometheus, tools/alertmanager), or
 * Debian's older packages (Prometheus 2.42, Alertmanager 0.25) with TASK_MCP_PROMETHEUS=debian,
 * which scripts/setup.sh then installs.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { repoRoot } from "../../scripts/lib/stacks";

export type PrometheusTool = "promtool" | "prometheus" | "amtool" | "alertmanager";

/** Debian's command names (its Alertmanager is `prometheus-alertmanager`). */
const debian: Record<PrometheusTool, string> = { promtool: "promtool", prometheus: "prometheus", amtool: "amtool", alertmanager: "prometheus-alertmanager" };

export const usingDebian = () => process.env.TASK_MCP_PROMETHEUS === "debian";

/** The command to run for `tool`; throws, naming the fix, when the built one is missing. */
export function prometheusTool(tool: PrometheusTool): string {
    if (usingDebian()) return debian[tool];
    const built = path.join(repoRoot, ".tools", "bin", tool);
    if (!fs.existsSync(built)) throw new Error(`${built} is missing: run bash scripts/setup.sh (or set TASK_MCP_PROMETHEUS=debian for Debian's packages)`);
    return built;
}

/** The first line of `tool --version`, for test titles and benchmark reports. */
export function prometheusToolVersion(tool: PrometheusTool): string {
    return execFileSync(prometheusTool(tool), ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).split("\n")[0];
}
