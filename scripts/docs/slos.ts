/** docs/operations/slos.md: the Key SLOs, their SLIs, what a probe interval means, the burn-rate windows. */
import { code, generatedNote } from "./markdown";
import { sloConfigKey, sloPeriodDays } from "../../components/contract";
import { StackConfig } from "../../components/config/schema";
import { monitoringContext } from "../../components/monitoring/context";
import { burnRateErrorRatio, burnRateWindows, keySlos } from "../../components/monitoring/slo";
import { durationSeconds } from "../../components/duration";

export function sloPage(config: StackConfig): string {
    const ctx = monitoringContext(config);
    const slos = keySlos(ctx);
    const sourceName = { app: "the server", proxy: "the proxy in the pod", probe: "the probe through the Service" } as const;
    const probeSeconds = durationSeconds(ctx.probeInterval);
    const [fast] = burnRateWindows;
    // The SLO measured by the probe through the Service: what one lost probe means to it.
    const health = slos.find((s) => s.source === "probe")!;
    const healthObjective = ctx.slo[sloConfigKey(health.row)];
    const probesPerHour = 3600 / probeSeconds;
    // Failed probes the fast pair's long window needs before it pages (the short window then holds them too).
    const pagingProbes = Math.ceil(burnRateErrorRatio(fast.factor, healthObjective) * probesPerHour - 1e-9);
    return [
        "# Service level objectives",
        "",
        generatedNote("components/monitoring/slo.ts (`keySlos`) and Pulumi.prod.yaml"),
        "",
        `Targets of the prod stack; error budgets over ${sloPeriodDays} days. Each SLI is measured where it can be:`,
        config.server.requestSource === "proxy"
            ? `the server deployed by prod (profile \`${config.server.name}\`) emits no request metrics of its own, so requests are measured by the proxy in front of it, and health from outside, through the Service.`
            : `requests by the server deployed by prod (profile \`${config.server.name}\`) itself, and health from outside, through the Service.`,
        "",
        "| SLO | target | error budget | measured by | alerts |",
        "| --- | --- | --- | --- | --- |",
        ...slos.map(
            (s) =>
                `| ${s.title} | ${s.target} | ${s.budgetMinutes === undefined ? "-" : `${s.budgetMinutes} minutes`} | ${sourceName[s.source]} | ${s.group.alerts.map((a) => code(a.alert)).join(", ")} |`,
        ),
        "",
        "## The SLIs",
        "",
        ...slos.map((s) => `- **${s.title}**: ${s.sli}.`),
        "",
        ...(config.server.requestSource === "proxy"
            ? [
                  "## Judging p95 < 200 ms without a 0.2 s bucket",
                  "",
                  "The proxy's histograms have Prometheus' default buckets (…, 0.1, 0.25, 0.5, …): no bound at",
                  "0.2 s. `histogram_quantile` interpolates linearly inside the bucket that holds the 95th",
                  "percentile, so a p95 between 0.1 and 0.25 s is an estimate that assumes requests spread",
                  "evenly across that bucket. The cost: a true p95 anywhere in (0.1 s, 0.25 s] can be reported",
                  "on either side of 0.2 s, so the warning may come early or late by up to that bucket's width;",
                  "below 0.1 s or above 0.25 s it is exact about which side of 0.2 s it is. p99 < 500 ms has a",
                  "bucket bound of its own (0.5) and is exact about the threshold. A bucket of our own would need",
                  "a Caddy build with other buckets (Caddy hard-codes them); the estimate was judged good enough.",
                  "",
              ]
            : []),
        "## Probes are samples",
        "",
        `The probe runs every ${ctx.probeInterval}: ${probesPerHour} probes an hour. One lost probe is`,
        `${Number(((1 / probesPerHour) * 100).toFixed(2))} % of the hour, under the ${Number((burnRateErrorRatio(fast.factor, healthObjective) * 100).toPrecision(3))} % that a`,
        `${fast.factor}x burn of a ${healthObjective} % objective needs in the ${fast.longWindow} window, so one lost probe never`,
        `pages (nor do ${pagingProbes - 1}). The smallest outage that pages is ${pagingProbes} failed probes within the`,
        `hour while the ${fast.shortWindow} window still holds one: ${pagingProbes} in a row is ${pagingProbes * probeSeconds} s with no Ready pod`,
        `behind the Service. At a 30 s interval a single lost probe would be ${Number(((30 / 3600) * 100).toFixed(2))} % of the hour and`,
        `would page. The promtool suite \`slo-burn-page\` proves each number (one, two and three lost`,
        `probes). If no probe result arrives for 10 minutes, \`${health.group.alerts.find((a) => a.alert.endsWith("ProbeMissing"))!.alert}\` warns that the SLO is blind.`,
        "",
        "## Burn-rate windows of the availability SLOs",
        "",
        "| alert | severity | long window | short window | burn rate | budget spent when it fires |",
        "| --- | --- | --- | --- | --- | --- |",
        ...burnRateWindows.map((w) => {
            const hours = durationSeconds(w.longWindow) / 3600;
            const spent = ((w.factor * hours) / (sloPeriodDays * 24)) * 100;
            return `| ${w.severity === "critical" ? "FastBurn (page)" : "SlowBurn (ticket)"} | ${w.severity} | ${w.longWindow} | ${w.shortWindow} | ${w.factor}x | ${Number(spent.toFixed(1))}% |`;
        }),
        "",
        "Measured times to page and ticket: [alerting benchmark](../alerting-benchmark.md).",
        "",
    ].join("\n");
}
