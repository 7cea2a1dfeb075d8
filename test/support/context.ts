import { monitoringContext } from "../../components/monitoring/context";
import { MonitoringContext } from "../../components/monitoring/types";
import { stackConfig } from "../../scripts/lib/stacks";

export { stackConfig };

export function contextFor(stack: string, patch: Record<string, unknown> = {}): MonitoringContext {
    return monitoringContext(stackConfig(stack, patch));
}
