import { PromtoolSuite } from "../support/promtool";
import { latencyErrorsSuite } from "./latency-errors";
import { runbooksSuite } from "./runbooks";
import { pageSuite, ticketSuite } from "./slo-burn";

/** Every promtool suite; each runs against the exported prod rules. */
export const suites: readonly PromtoolSuite[] = [pageSuite, ticketSuite, latencyErrorsSuite, runbooksSuite];
