/**
 * `npm run bench:alerts`: minutes from the onset of a burn to the first page and first ticket,
 * measured by promtool on the exported prod rules, beside the SRE workbook's analytic detection
 * time for the same multi-window, multi-burn-rate windows (ratio = measured / analytic).
 *
 * Pages are looked for every minute for 7 h after onset (6 h of healthy history first);
 * tickets every 5 minutes for 3 days and 1 hour (3 days of history first). `--write` also records the
 * table in docs/alerting-benchmark.md.
 */
import * as fs from "fs";
import * as path from "path";
import { sloTable } from "../../components/contract";
import { durationSeconds } from "../../components/duration";
import { burnRateWindows } from "../../components/monitoring/slo";
import { promtoolVersion, PromtoolSuite, runSuite } from "../support/promtool";
import { errorRatioFor, seriesOf } from "../support/traffic";
import { exportStack } from "../../scripts/lib/export";
import { repoRoot, stackConfig } from "../../scripts/lib/stacks";

const burnRates = [1000, 14.4, 6, 3, 1, 0.5];
const objective = sloTable.availability.objectivePercent;
const out = path.join(repoRoot, "out", "bench");

type Kind = "page" | "ticket";
const plan: Record<Kind, { alert: string; step: number; history: number; horizon: number; severity: "critical" | "warning" }> = {
    // Horizons reach one step-hour past the longest window, so boundary cases (6x, 1x) show.
    page: { alert: "TaskMcpApiAvailabilityFastBurn", step: 1, history: 6 * 60, horizon: 7 * 60, severity: "critical" },
    ticket: { alert: "TaskMcpApiAvailabilitySlowBurn", step: 5, history: 3 * 24 * 60, horizon: 3 * 24 * 60 + 60, severity: "warning" },
};

const minutesOf = (duration: string) => durationSeconds(duration) / 60;

/**
 * The workbook's time to detect: the earliest `factor x long window / burn rate` over the window
 * pairs the burn reaches (a burn exactly at a factor reaches it when the long window is full).
 */
function analyticMinutes(kind: Kind, burnRate: number): number | undefined {
    const times = burnRateWindows
        .filter((w) => w.severity === plan[kind].severity && burnRate >= w.factor)
        .map((w) => (w.factor * minutesOf(w.longWindow)) / burnRate);
    return times.length > 0 ? Math.min(...times) : undefined;
}

/** Runs one scenario expecting silence at every step; the first step promtool reports as failing is the first alert. */
function measure(kind: Kind, burnRate: number, rulesFile: string): number | undefined {
    const p = plan[kind];
    const steps = Array.from({ length: p.horizon / p.step }, (_, i) => p.history + (i + 1) * p.step);
    const suite: PromtoolSuite = {
        name: `bench-${kind}-${burnRate}x`,
        evaluationInterval: `${p.step}m`,
        tests: [
            {
                name: `${burnRate}x`,
                interval: `${p.step}m`,
                series: traffic(
                    [
                        { minutes: p.history, errorRatio: 0 },
                        { minutes: p.horizon, errorRatio: errorRatioFor(burnRate, objective) },
                    ],
                    p.step,
                ),
                alerts: steps.map((minute) => ({ at: `${minute}m`, alert: p.alert, firing: [] })),
            },
        ],
    };
    const result = runSuite(suite, rulesFile, out);
    const times = [...result.output.matchAll(new RegExp(`alertname: ${p.alert}, time: ([0-9a-z]+),`, "g"))].map((m) => minutesOf(m[1]));
    return times.length > 0 ? Math.min(...times) - p.history : undefined;
}

const fmt = (minutes: number | undefined) => (minutes === undefined ? "never" : `${Number(minutes.toFixed(1))}`);
const ratio = (measured?: number, analytic?: number) =>
    measured === undefined && analytic === undefined
        ? "-"
        : measured === undefined || analytic === undefined
          ? "none in horizon"
          : `${(measured / analytic).toFixed(2)}`;

const prod = stackConfig("prod");
const { traffic } = seriesOf(prod.server);
const rules = exportStack(prod, path.join(out, "prod")).rules;
const rows: string[] = [];
console.log(`promtool: ${promtoolVersion()}; SLO ${objective}%`);
for (const burnRate of burnRates) {
    const started = Date.now();
    const page = measure("page", burnRate, rules);
    const ticket = measure("ticket", burnRate, rules);
    const [pageTarget, ticketTarget] = [analyticMinutes("page", burnRate), analyticMinutes("ticket", burnRate)];
    const row = `| ${burnRate}x | ${fmt(page)} | ${fmt(pageTarget)} | ${ratio(page, pageTarget)} | ${fmt(ticket)} | ${fmt(ticketTarget)} | ${ratio(ticket, ticketTarget)} |`;
    rows.push(row);
    console.log(`${row}   (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

if (process.argv.includes("--write")) {
    const table = [
        "| burn rate | first page (min) | workbook (min) | ratio | first ticket (min) | workbook (min) | ratio |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        ...rows,
    ].join("\n");
    const doc = `# Alerting benchmark: time to page and to ticket

Generated by \`npm run bench:alerts -- --write\` with ${promtoolVersion()} on the exported prod rules
(API availability SLO ${objective} %, 30-day budget). Minutes count from the first minute of
failing traffic. Pages are looked for every minute for 7 hours (after 6 hours of healthy
history), tickets every 5 minutes for 3 days and 1 hour (after 3 days of history), so ticket
times are rounded up to 5 minutes.

"workbook" is the analytic time to detect of the SRE workbook's multi-window, multi-burn-rate
alerts for the same windows: the earliest \`factor x long window / burn rate\` over the window
pairs whose factor the burn rate reaches (page: 14.4x over 1h/5m, 6x over 6h/30m; ticket: 3x
over 1d/2h, 1x over 3d/6h). The thresholds are inclusive (\`>=\`) and the recorded ratios are
rounded to 1e-12, so a burn of exactly a factor alerts when its long window is full: the budget
share the workbook alerts on (5 % in 6 h, 10 % in 3 days).

${table}

Reading: a 100 % outage pages at the first evaluation that sees failed requests (the workbook
says about 2 minutes); 6x pages and 1x opens a ticket exactly when their long windows fill;
3x opens a ticket in a day and never pages; 0.5x never alerts.
`;
    fs.mkdirSync(path.join(repoRoot, "docs"), { recursive: true });
    fs.writeFileSync(path.join(repoRoot, "docs", "alerting-benchmark.md"), doc);
    console.log("wrote docs/alerting-benchmark.md");
}
