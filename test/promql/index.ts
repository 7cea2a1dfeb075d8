import { ServerProfile } from "../../components/server-profiles";
import { PromtoolSuite } from "../support/promtool";
import { latencyErrorsSuite } from "./latency-errors";
import { runbooksSuite } from "./runbooks";
import { pageSuite, ticketSuite } from "./slo-burn";

/** Every promtool suite for a server profile; each runs against the prod rules of that profile. */
export function suites(profile: ServerProfile): PromtoolSuite[] {
    return [pageSuite(profile), ticketSuite(profile), latencyErrorsSuite(profile), runbooksSuite(profile)];
}
