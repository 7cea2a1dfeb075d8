/**
 * promtool unit-test suites as TypeScript data, written to promtool's YAML format.
 * A case names the alert, the eval time and the labels that come from the series. What the
 * contract fixes (severity, routing, runbook, namespace, the runbook link) comes from the
 * caller's `AlertContract` (the tests' test/promql/alert-contract.ts), never from the rules under
 * test; only the rest (an SLO's `slo`/`burn` labels, summary, description, dashboard link) is
 * read from the rule file.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { prometheusTool, prometheusToolVersion } from "./prometheus-tools";
import { parse, stringify } from "yaml";
import { serviceSelector } from "../../components/monitoring/promql";
import { RuleFileEntry, RuleFileGroup } from "../../components/monitoring/rule-spec";

export interface Series {
    readonly series: string;
    /** promtool expanding notation, e.g. "0+60x180". */
    readonly values: string;
}

export interface AlertExpectation {
    readonly at: string;
    readonly alert: string;
    /** One entry per expected firing alert: the labels its series contribute. Empty: silent. */
    readonly firing: ReadonlyArray<Record<string, string>>;
}

export interface ExprExpectation {
    readonly at: string;
    readonly expr: string;
    readonly samples: ReadonlyArray<{ labels: string; value: number }>;
}

export interface PromtoolTest {
    readonly name: string;
    readonly interval?: string;
    readonly series: readonly Series[];
    readonly alerts?: readonly AlertExpectation[];
    readonly exprs?: readonly ExprExpectation[];
}

export interface PromtoolSuite {
    readonly name: string;
    readonly evaluationInterval?: string;
    readonly tests: readonly PromtoolTest[];
}

/** A series of this service: `metric{namespace,job,<labels>}`. */
export function series(metric: string, labels: Record<string, string>, values: string): Series {
    const extra = Object.entries(labels)
        .map(([k, v]) => `,${k}="${v}"`)
        .join("");
    return { series: `${metric}{${serviceSelector}${extra}}`, values };
}

/**
 * Counter values, one sample per step from 0: each segment adds `perStep` per step for `steps`
 * steps, continuing from where the previous one ended. Floats are fine: promtool takes them.
 */
export function counter(segments: ReadonlyArray<{ perStep: number; steps: number }>): string {
    const parts = [`0+${round(segments[0].perStep)}x${segments[0].steps}`];
    let value = segments[0].perStep * segments[0].steps;
    for (const s of segments.slice(1).filter((seg) => seg.steps > 0)) {
        parts.push(`${round(value + s.perStep)}+${round(s.perStep)}x${s.steps - 1}`);
        value += s.perStep * s.steps;
    }
    return parts.join(" ");
}
const round = (v: number) => Number(v.toPrecision(12));

function expandAnnotations(annotations: Record<string, string>, labels: Record<string, string>): Record<string, string> {
    return Object.fromEntries(
        Object.entries(annotations).map(([k, v]) => [k, v.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, name: string) => labels[name] ?? "")]),
    );
}

export function loadRules(rulesFile: string): Map<string, RuleFileEntry> {
    const groups = (parse(fs.readFileSync(rulesFile, "utf8")) as { groups: RuleFileGroup[] }).groups;
    return new Map(
        groups
            .flatMap((g) => g.rules)
            .filter((r) => r.alert)
            .map((r) => [r.alert!, r]),
    );
}

/** What a firing alert must carry, independent of the rules under test. */
export interface AlertContract {
    /** Labels the contract fixes for `alert` (they override the rule's own in the expectation). */
    labels(alert: string): Record<string, string>;
    /** The runbook link expected, given the one the rule carries (for its base URL). */
    runbookUrl(alert: string, ruleUrl: string): string;
}

/** The promtool test file for `suite` against `rulesFile`; firing alerts need a `contract`. */
export function renderSuite(suite: PromtoolSuite, rulesFile: string, contract?: AlertContract): string {
    const rules = loadRules(rulesFile);
    const doc = {
        rule_files: [path.resolve(rulesFile)],
        evaluation_interval: suite.evaluationInterval ?? "1m",
        tests: suite.tests.map((t) => ({
            name: t.name,
            interval: t.interval ?? "1m",
            input_series: t.series,
            alert_rule_test: (t.alerts ?? []).map((a) => {
                const rule = rules.get(a.alert);
                if (!rule) throw new Error(`${suite.name}/${t.name}: no alert ${a.alert} in ${rulesFile}`);
                return {
                    eval_time: a.at,
                    alertname: a.alert,
                    exp_alerts: a.firing.map((fromSeries) => {
                        if (!contract) throw new Error(`${suite.name}/${t.name}: expecting ${a.alert} to fire needs an AlertContract`);
                        const labels = { ...rule.labels, ...fromSeries, ...contract.labels(a.alert) };
                        const annotations = expandAnnotations(rule.annotations ?? {}, labels);
                        annotations.runbook_url = contract.runbookUrl(a.alert, annotations.runbook_url ?? "");
                        return { exp_labels: labels, exp_annotations: annotations };
                    }),
                };
            }),
            promql_expr_test: (t.exprs ?? []).map((e) => ({ expr: e.expr, eval_time: e.at, exp_samples: e.samples })),
        })),
    };
    return stringify(doc, { lineWidth: 0 });
}

export interface PromtoolResult {
    readonly ok: boolean;
    readonly output: string;
}

/** Writes the suite next to `outDir` and runs `promtool test rules` on it. */
export function runSuite(suite: PromtoolSuite, rulesFile: string, outDir: string, contract?: AlertContract): PromtoolResult {
    fs.mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `${suite.name}.test.yaml`);
    fs.writeFileSync(file, renderSuite(suite, rulesFile, contract));
    const result = spawnSync(prometheusTool("promtool"), ["test", "rules", file], { encoding: "utf8" });
    return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

export const promtoolVersion = () => prometheusToolVersion("promtool");
