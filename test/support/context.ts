import { monitoringContext } from "../../components/monitoring/context";
import { MonitoringContext } from "../../components/monitoring/context";
import { FixtureStack, fixtureStackConfig } from "./fixtures";

/** The monitoring context of a fixture stack (test/support/fixtures.ts), optionally patched. */
export function contextFor(stack: FixtureStack, patch: Record<string, unknown> = {}): MonitoringContext {
    return monitoringContext(fixtureStackConfig(stack, patch));
}
