/**
 * No dead rule: what the program renders can fire. For every committed stack and every server
 * profile, no rendered alert or recording rule reads a signal that the profile's server, the
 * proxy, the probe and the cluster cannot produce; and under the profile dev and prod deploy,
 * every paging alert and every Key SLO is rendered with a source.
 */
import { expect } from "chai";
import { monitoringContext } from "../../components/monitoring/context";
import { renderedGroupSpecs, ruleGroupSpecs } from "../../components/monitoring/rules";
import { deadRules } from "../../components/monitoring/signals";
import { keySlos } from "../../components/monitoring/slo";
import { serverProfileNames } from "../../components/server-profiles";
import { committedStacks, stackConfig } from "../../scripts/lib/stacks";

describe("dead rules", () => {
    it("finds the committed stacks (dev, prod and local at least)", () => {
        expect(committedStacks()).to.include.members(["dev", "prod", "local"]);
    });

    for (const stack of committedStacks()) {
        for (const profile of [undefined, ...serverProfileNames]) {
            it(`${stack}, ${profile ?? "its own profile"}: renders no rule that could never return data`, () => {
                const ctx = monitoringContext(stackConfig(stack, profile ? { server: { profile } } : {}));
                expect(deadRules(ctx, renderedGroupSpecs(ctx))).to.deep.equal([]);
            });
        }

        it(`${stack}: every paging alert and every Key SLO is rendered and fed, under the profile it deploys`, () => {
            const ctx = monitoringContext(stackConfig(stack));
            const rendered = renderedGroupSpecs(ctx);
            const renderedAlerts = new Set(rendered.flatMap((g) => g.alerts.map((a) => a.alert)));
            const paging = ruleGroupSpecs(ctx).flatMap((g) => g.alerts.filter((a) => a.severity === "critical").map((a) => a.alert));
            expect(paging.filter((a) => !renderedAlerts.has(a))).to.deep.equal([]);
            const groups = new Set(rendered.map((g) => g.name));
            expect(
                keySlos(ctx)
                    .filter((s) => !groups.has(s.group.name))
                    .map((s) => s.title),
            ).to.deep.equal([]);
        });
    }

    it("can fail: a server that lacks request metrics but is read as the source is caught", () => {
        const ctx = monitoringContext(stackConfig("dev", { server: { profile: "upstream", requestSource: "app" } }));
        // Rendered as if the server fed them (its groups' `needs` dropped): the check names them.
        const unguarded = ruleGroupSpecs(ctx).map((g) => ({ ...g, needs: [], alerts: g.alerts.map((a) => ({ ...a, needs: [] })) }));
        const dead = deadRules(ctx, unguarded).map((d) => d.rule);
        expect(dead).to.include.members([
            "TaskMcpApiAvailabilityFastBurn",
            "TaskMcpHighErrorRate",
            "TaskMcpLatencyP99High",
            "TaskMcpStreamingErrors",
            "TaskMcpAuthFailureSpike",
        ]);
        expect(dead).to.not.include("TaskMcpHealthAvailabilityFastBurn");
        // With the guards, that server renders none of them.
        expect(deadRules(ctx, renderedGroupSpecs(ctx))).to.deep.equal([]);
    });
});
