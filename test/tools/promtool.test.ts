import { expect } from "chai";
import { spawnSync } from "child_process";
import { prometheusTool } from "../support/prometheus-tools";
import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { ExportedPaths, exportStack } from "../../scripts/lib/export";
import { exportedStacks, stackConfig } from "../../scripts/lib/stacks";
import { exportAll, testOut } from "../support/exported";
import { loadRules, promtoolVersion, runSuite } from "../support/promtool";
import { suites } from "../promql";
import { contract } from "../promql/alert-contract";

describe(`rules under promtool (${promtoolVersion()})`, function () {
    this.timeout(300_000);
    let exported: Record<string, ExportedPaths>;
    before(() => {
        exported = exportAll();
    });

    for (const stack of exportedStacks) {
        it(`promtool check rules passes for ${stack}`, () => {
            const result = spawnSync(prometheusTool("promtool"), ["check", "rules", exported[stack].rules], { encoding: "utf8" });
            expect(result.status, result.stdout + result.stderr).to.equal(0);
            expect(result.stdout).to.match(/SUCCESS: \d+ rules found/);
        });
    }

    // Every suite on prod's rules for each profile: its names, label format and duration unit.
    // upstream-otel has the same rules as upstream (it differs in endpoints and env only).
    for (const profile of ["upstream", "guide"] as const) {
        describe(`server profile ${profile}`, () => {
            const config = stackConfig("prod", { server: { profile } });
            let rules: string;
            before(() => {
                rules = exportStack(config, path.join(testOut, `prod-${profile}`)).rules;
            });

            for (const suite of suites(config.server)) {
                it(`promtool test rules: ${suite.name}`, () => {
                    const result = runSuite(suite, rules, path.join(testOut, "promql", profile), contract);
                    expect(result.ok, result.output).to.equal(true);
                });
            }

            it("has, for every alert, a case where it fires and one where it stays silent (the Watchdog, which always fires, excepted)", () => {
                const expectations = suites(config.server).flatMap((s) => s.tests.flatMap((t) => t.alerts ?? []));
                const missing = [...loadRules(rules).keys()].flatMap((alert) => [
                    ...(expectations.some((e) => e.alert === alert && e.firing.length > 0) ? [] : [`${alert} never fires`]),
                    ...(alert === "Watchdog" || expectations.some((e) => e.alert === alert && e.firing.length === 0) ? [] : [`${alert} is never silent`]),
                ]);
                expect(missing).to.deep.equal([]);
            });
        });
    }

    it("fails when a threshold is broken (the suites can go red)", () => {
        const broken = path.join(testOut, "broken", "rules.yaml");
        fs.mkdirSync(path.dirname(broken), { recursive: true });
        fs.writeFileSync(broken, fs.readFileSync(exported.prod.rules, "utf8").replaceAll(">= 0.0144", ">= 0.144"));
        const page = suites(stackConfig("prod").server).find((s) => s.name === "slo-burn-page")!;
        const result = runSuite({ ...page, tests: page.tests.slice(0, 1) }, broken, path.join(testOut, "broken"), contract);
        expect(result.ok).to.equal(false);
        expect(result.output).to.contain("TaskMcpApiAvailabilityFastBurn");
    });

    it("fails when a rule carries a wrong severity, routing or runbook (expectations come from the contract, not the rules)", () => {
        const runbooksSuite = suites(stackConfig("prod").server).find((s) => s.name === "runbooks")!;
        const mutations: Array<[string, (labels: Record<string, string>) => void]> = [
            ["severity", (l) => (l.severity = "warning")],
            ["routing", (l) => (l.routing = "ops")],
            ["runbook", (l) => (l.runbook = "cpu-issues")],
        ];
        for (const [name, mutate] of mutations) {
            const doc = parse(fs.readFileSync(exported.prod.rules, "utf8"));
            for (const g of doc.groups) for (const r of g.rules) if (r.alert === "TaskMcpServiceDown") mutate(r.labels);
            const broken = path.join(testOut, `wrong-${name}`, "rules.yaml");
            fs.mkdirSync(path.dirname(broken), { recursive: true });
            fs.writeFileSync(broken, stringify(doc));
            const result = runSuite(runbooksSuite, broken, path.dirname(broken), contract);
            expect(result.ok, `a wrong ${name} passed`).to.equal(false);
            expect(result.output).to.contain("TaskMcpServiceDown");
        }
    });

    it("fails when the rules come from a stack with other limits (dev's 256Mi memory limit)", () => {
        const result = runSuite(
            suites(stackConfig("dev").server).find((s) => s.name === "runbooks")!,
            exported.dev.rules,
            path.join(testOut, "dev-promql"),
            contract,
        );
        expect(result.ok).to.equal(false);
        expect(result.output).to.contain("TaskMcpMemoryHigh");
    });
});
