import { parseConfig } from "../../components/config/errors";
import { StackConfig, stackConfigSchema } from "../../components/config/schema";
import { monitoringContext } from "../../components/monitoring/context";
import { MonitoringContext } from "../../components/monitoring/types";
import { stackFileConfig } from "./stack-config";

/** The validated config of a committed stack, as the program sees it. */
export function stackConfig(stack: string, patch: Record<string, unknown> = {}): StackConfig {
    return parseConfig(stackConfigSchema, { ...stackFileConfig(stack), ...patch }, stack, "task-mcp:");
}

export function contextFor(stack: string, patch: Record<string, unknown> = {}): MonitoringContext {
    return monitoringContext(stackConfig(stack, patch));
}
