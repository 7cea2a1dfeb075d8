import { expect } from "chai";
import { runbooks } from "../../components/contract";
import { buildRuleGroups } from "../../components/monitoring/rules";
import { sloTable } from "../../components/contract";
import { burnRateWindows, errorBudgetMinutes, keySlos } from "../../components/monitoring/slo";
import { RuleFileEntry } from "../../components/monitoring/rule-spec";
import { contextFor } from "../support/context";

const alertsOf = (groups: ReturnType<typeof buildRuleGroups>) =>
    groups.flatMap((g) => g.rules).filter((r): r is RuleFileEntry & { alert: string } => r.alert !== undefined);

describe("rule builder", () => {
    const groups = buildRuleGroups(contextFor("prod"));
    const alerts = alertsOf(groups);

    it("has one Key SLO, and one rendered rule group, per row of the guide's SLO table", () => {
        const slos = keySlos(contextFor("prod"));
        expect(slos.map((s) => s.row)).to.deep.equal(Object.keys(sloTable));
        expect(groups.map((g) => g.name).filter((n) => n.startsWith("task-mcp-slo-"))).to.deep.equal(slos.map((s) => s.group.name));
        expect(new Set(slos.map((s) => s.group.name)).size).to.equal(slos.length);
    });

    it("links every runbook from at least one alert (rendered where the server feeds it) and every alert to exactly one known runbook", () => {
        const guide = alertsOf(buildRuleGroups(contextFor("prod", { server: { profile: "guide" } })));
        for (const rb of runbooks)
            expect(
                guide.some((a) => a.labels!.runbook === rb),
                rb,
            ).to.equal(true);
        for (const a of alerts) {
            expect(runbooks, a.alert).to.include(a.labels!.runbook);
            expect(a.annotations!.runbook_url).to.equal(
                `https://github.com/fission-ai/task-mcp-infra/blob/main/docs/operations/runbooks/${a.labels!.runbook}.md`,
            );
        }
    });

    it("gives every alert severity, routing, namespace, summary and description", () => {
        for (const a of alerts) {
            expect(["critical", "warning", "none"], a.alert).to.include(a.labels!.severity);
            expect(["oncall", "ops", "security", "deadmansswitch"], a.alert).to.include(a.labels!.routing);
            expect(a.labels!.namespace, a.alert).to.equal("task-mcp");
            expect(a.labels!.environment, a.alert).to.equal("prod");
            expect(a.annotations!.summary, a.alert).to.be.a("string").and.not.empty;
            expect(a.annotations!.description, a.alert).to.be.a("string").and.not.empty;
        }
        expect(new Set(alerts.map((a) => a.alert)).size).to.equal(alerts.length);
    });

    it("encodes the availability objectives as multi-window burn-rate thresholds over 30 days", () => {
        const fast = alerts.find((a) => a.alert === "TaskMcpApiAvailabilityFastBurn")!;
        expect(fast.expr).to.contain('task_mcp:slo_errors_per_request:ratio_rate1h{slo="api-availability"} >= 0.0144');
        expect(fast.expr).to.contain('task_mcp:slo_errors_per_request:ratio_rate5m{slo="api-availability"} >= 0.0144');
        expect(fast.expr).to.contain('ratio_rate6h{slo="api-availability"} >= 0.006');
        expect(fast.labels!.severity).to.equal("critical");
        const slow = alerts.find((a) => a.alert === "TaskMcpHealthAvailabilitySlowBurn")!;
        expect(slow.expr).to.contain('ratio_rate1d{slo="health-availability"} >= 0.0015');
        expect(slow.expr).to.contain('ratio_rate3d{slo="health-availability"} >= 0.0005');
        expect(slow.labels!.severity).to.equal("warning");
        expect(burnRateWindows.map((w) => w.factor)).to.deep.equal([14.4, 6, 3, 1]);
    });

    it("matches the guide's error budgets", () => {
        // The guide's SLO table states each budget in minutes; they must follow from its objectives.
        for (const slo of [sloTable.availability, sloTable.healthAvailability])
            expect(errorBudgetMinutes(slo.objectivePercent), slo.title).to.equal(slo.errorBudgetMinutes);
    });

    it("alerts on p95 above 200 ms, p99 above 500 ms and 5xx above 1 %", () => {
        expect(alerts.find((a) => a.alert === "TaskMcpLatencyP95High")!.expr).to.equal("task_mcp:http_request_duration_seconds:p95_rate5m > 0.2");
        expect(alerts.find((a) => a.alert === "TaskMcpLatencyP99High")!.expr).to.equal("task_mcp:http_request_duration_seconds:p99_rate5m > 0.5");
        expect(alerts.find((a) => a.alert === "TaskMcpHighErrorRate")!.expr).to.equal("task_mcp:http_errors_per_request:ratio_rate5m > 0.01");
    });

    it("follows a stack's own SLO targets and metric names", () => {
        const custom = alertsOf(
            buildRuleGroups(contextFor("dev", { slo: { latencyP95Ms: 150 }, server: { metrics: { requestsTotal: "mcp_http_requests_total" } } })),
        );
        expect(custom.find((a) => a.alert === "TaskMcpLatencyP95High")!.expr).to.contain("> 0.15");
        const recording = buildRuleGroups(contextFor("dev", { server: { profile: "guide", metrics: { requestsTotal: "mcp_http_requests_total" } } })).flatMap(
            (g) => g.rules,
        );
        expect(recording.filter((r) => r.expr.includes("requests_total")).length).to.be.greaterThan(0);
        expect(recording.filter((r) => r.expr.includes("requests_total")).every((r) => r.expr.includes("mcp_http_requests_total"))).to.equal(true);
    });

    it("keeps zero traffic at a 0 error ratio instead of NaN or no series", () => {
        const sli = groups[0].rules.find((r) => r.record === "task_mcp:slo_errors_per_request:ratio_rate5m")!;
        expect(sli.expr).to.match(/ or 0 \* sum\(rate\(/);
        expect(sli.expr).to.contain("clamp_min(");
    });

    it("pages when every app target vanishes, not only when one reports down; the proxy's scrape does not count", () => {
        expect(alerts.find((a) => a.alert === "TaskMcpServiceDown")!.expr).to.equal(
            'absent(up{namespace="task-mcp",job="task-mcp-http",endpoint=~"app"} == 1)',
        );
    });

    it("reads requests and time to first byte from the proxy's api server under upstream", () => {
        const rules = groups.flatMap((g) => g.rules);
        const p95 = rules.find((r) => r.record === "task_mcp:http_request_duration_seconds:p95_rate5m")!;
        expect(p95.expr).to.equal(
            'histogram_quantile(0.95, sum by (le) (rate(caddy_http_response_duration_seconds_bucket{namespace="task-mcp",job="task-mcp-http",server="api"}[5m])))',
        );
        const errors = rules.find((r) => r.record === "task_mcp:http_errors_per_request:ratio_rate5m")!;
        expect(errors.expr).to.contain('caddy_http_request_duration_seconds_count{namespace="task-mcp",job="task-mcp-http",server="api",code=~"5.."}');
    });

    it("reads health availability from the probe through the Service, for every profile", () => {
        for (const profile of ["upstream", "upstream-otel", "guide"]) {
            const rules = buildRuleGroups(contextFor("prod", { server: { profile } })).flatMap((g) => g.rules);
            const sli = rules.find((r) => r.record === "task_mcp:slo_errors_per_request:ratio_rate1h" && r.labels?.slo === "health-availability")!;
            expect(sli.expr, profile).to.equal(
                'round(1 - sum(sum_over_time(probe_success{job="task-mcp-http-readiness"}[1h])) / sum(count_over_time(probe_success{job="task-mcp-http-readiness"}[1h])), 1e-12)',
            );
        }
    });

    it("scales a millisecond histogram to seconds, so 200 ms compares with 0.2 s (upstream-otel profile)", () => {
        const otel = buildRuleGroups(contextFor("prod", { server: { profile: "upstream-otel" } })).flatMap((g) => g.rules);
        const p95 = otel.find((r) => r.record === "task_mcp:http_request_duration_seconds:p95_rate5m")!;
        expect(p95.expr).to.match(/^histogram_quantile\(0\.95, sum by \(le\) \(rate\(http_server_request_duration_bucket\{.*\}\[5m\]\)\)\) \* 0\.001$/);
        const seconds = buildRuleGroups(contextFor("prod", { server: { profile: "guide" } }))
            .flatMap((g) => g.rules)
            .find((r) => r.record === p95.record)!;
        expect(seconds.expr).to.match(/http_request_duration_seconds_bucket\{.*\}\[5m\]\)\)\)$/);
    });

    it("reads 5xx as a code pattern or as a class, as the profile says", () => {
        const ratio = (server: object) =>
            buildRuleGroups(contextFor("prod", { server }))
                .flatMap((g) => g.rules)
                .find((r) => r.record === "task_mcp:http_errors_per_request:ratio_rate5m")!.expr;
        expect(ratio({ profile: "upstream-otel" })).to.contain('http_status_code=~"5.."');
        expect(ratio({ profile: "upstream-otel", statusLabelFormat: "class" })).to.contain('http_status_code="5xx"');
        expect(ratio({ profile: "upstream-otel", statusLabelFormat: "class" })).to.not.contain("5..");
    });

    it("counts the profile's probe and metrics paths as health traffic, not API traffic", () => {
        const api = buildRuleGroups(contextFor("prod", { server: { profile: "upstream-otel" } }))
            .flatMap((g) => g.rules)
            .find((r) => r.record === "task_mcp:http_errors_per_request:ratio_rate5m")!.expr;
        expect(api).to.contain('http_route!~"/healthz|/readyz|/metrics"');
    });

    it("has an event-loop alert only where the server exports its lag", () => {
        const names = (profile: string) =>
            buildRuleGroups(contextFor("prod", { server: { profile } }))
                .flatMap((g) => g.rules)
                .map((r) => r.alert);
        expect(names("guide")).to.include("TaskMcpEventLoopLagHigh");
        expect(names("upstream")).to.not.include("TaskMcpEventLoopLagHigh");
    });

    it("takes memory and CPU from the kubelet's container metrics, not the app's", () => {
        const mem = alerts.find((a) => a.alert === "TaskMcpMemoryHigh")!;
        expect(mem.expr).to.contain('container_memory_working_set_bytes{namespace="task-mcp",container="task-mcp-http"}');
        expect(alerts.find((a) => a.alert === "TaskMcpCpuHigh")!.expr).to.contain("container_cpu_usage_seconds_total");
    });

    it("sizes the resource alerts from the configured limits", () => {
        const mem = alerts.find((a) => a.alert === "TaskMcpMemoryHigh")!;
        expect(mem.expr).to.contain(`/ ${512 * 2 ** 20} > 0.85`);
        const cpu = alerts.find((a) => a.alert === "TaskMcpCpuHigh")!;
        expect(cpu.expr).to.contain("/ 1 > 0.9");
    });
});
