/**
 * The server pages: what each dashboard panel and alert can see with a server profile
 * (docs/server-compatibility.md), and how the server really differs from the guide
 * (docs/operations/guide-vs-server.md). Pure: config in, Markdown out.
 */
import { code, generatedNote } from "./markdown";
import { workload } from "../../components/contract";
import { StackConfig } from "../../components/config/schema";
import { labelKeys, MetricKey } from "../../components/metrics";
import { compatibilityRows } from "../../components/monitoring/compatibility";
import { monitoringContext } from "../../components/monitoring/context";
import { CompatibilityRow } from "../../components/monitoring/compatibility";
import { SignalSource, Verdict } from "../../components/monitoring/signals";
import { serverCommands, ServerProfileName, serverProfileNames, serverProfiles } from "../../components/server-profiles";
import { appPort, podMetricsEndpoints, proxied } from "../../components/workload";

const sourceNames: Record<SignalSource, string> = {
    server: "the server",
    proxy: "the proxy in the pod",
    probe: "the probe through the Service",
    prometheus: "Prometheus' scrapes (`up`)",
    cluster: "the cluster",
    evaluation: "Prometheus' rule evaluation alone (it reads no metric)",
};

/** Whether an alert can fire under a profile, and from what, in a few words (runbooks, alert response). */
export function canFireText(r: CompatibilityRow, profile: string): string {
    const v = r.verdict;
    if (v.kind === "data") return `yes, under profile \`${profile}\`: from ${v.sources.map((s) => sourceNames[s]).join(" and ")}`;
    if (v.kind === "cluster") return `yes, under profile \`${profile}\`: from the cluster (${v.exporters.join(", ")})`;
    return `no, not rendered under profile \`${profile}\` (the server does not emit what it reads)${r.coveredBy.length > 0 ? `; instead: ${r.coveredBy.join("; ")}` : ""}`;
}

function verdictText(r: CompatibilityRow): string {
    const v = r.verdict;
    if (v.kind === "data") return `data from ${v.sources.map((s) => sourceNames[s]).join(" and ")}`;
    if (v.kind === "cluster") return `from the cluster: ${v.exporters.join(", ")}`;
    const rendered = r.rendered === false ? "not rendered (it could never fire); " : "";
    const covered = r.coveredBy.length > 0 ? `; instead: ${r.coveredBy.join("; ")}` : "";
    return `**no data**: ${rendered}${v.reasons.join("; ")}${covered}`;
}

function profileSection(config: StackConfig, deployed: boolean): string {
    const ctx = monitoringContext(config);
    const rows = compatibilityRows(ctx);
    const count = (kind: Verdict["kind"]) => rows.filter((r) => r.verdict.kind === kind).length;
    const bySource = (source: SignalSource) => rows.filter((r) => r.verdict.kind === "data" && r.verdict.sources.includes(source)).length;
    return [
        `## Profile \`${config.server.name}\`${deployed ? " (deployed by dev and prod)" : ""}`,
        "",
        `Requests measured by ${config.server.requestSource === "proxy" ? "the proxy in the pod" : "the server itself"}. ` +
            `${count("data")} rows with data (fed by the server: ${bySource("server")}, by the proxy: ${bySource("proxy")}, by the probe: ${bySource("probe")}, by Prometheus' scrapes: ${bySource("prometheus")}; a row fed by two counts in both), ` +
            `${count("cluster")} from the cluster's own exporters, ${count("none")} with no data.`,
        "",
        "| kind | dashboard or runbook | panel or alert | metrics it needs | with this server |",
        "| --- | --- | --- | --- | --- |",
        ...rows.map((r) => `| ${r.kind} | ${r.where} | ${r.name} | ${r.metrics.map(code).join(", ") || "-"} | ${verdictText(r)} |`),
    ].join("\n");
}

/** What no source sees where the proxy in the pod measures requests: said once, plainly. */
const staysBlind = [
    "## What stays unseen",
    "",
    "Measured from outside the app, some failures still show nowhere:",
    "",
    "- **Errors inside a stream.** An SSE or NDJSON response starts with 200; an error the server",
    "  writes into the stream afterwards is invisible to any proxy. Only clients see it.",
    "- **Aborted streams.** A stream the client or the network cuts is not counted as an error by",
    "  the proxy: its status was already sent (200).",
    "- **502s in the latency histogram.** When the app is down the proxy answers 502 itself, and",
    "  those responses are missing from the time-to-first-byte histogram",
    "  (`caddy_http_response_duration_seconds`). Its `_count` is therefore never a denominator:",
    "  availability and the error rate divide by the whole-round-trip histogram's `_count`",
    "  (`caddy_http_request_duration_seconds_count`), which has every response.",
    "- **Requests while the proxy itself is down.** Clients get a refused connection that no",
    "  metric counts. The probe through the Service fails too (it passes the proxy's health",
    "  listener), so the Health Check Availability SLO pages, and `up` of the proxy's metrics",
    "  endpoint turns 0 (`TaskMcpInstanceDown`).",
    "- **Authentication failures and rate limiting** are answered 500 by this server, so they are",
    "  5xx like any server error: they burn API availability and the error rate, but no alert can",
    "  tell them apart.",
    "",
].join("\n");

/** docs/server-compatibility.md, for the deployed profile first and then the others. */
export function serverCompatibilityPage(prod: StackConfig, withProfile: (name: ServerProfileName) => StackConfig): string {
    const others = serverProfileNames.filter((n) => n !== prod.server.name);
    return [
        "# Server compatibility: what every panel and alert can see",
        "",
        generatedNote("components/server-profiles.ts, components/monitoring/compatibility.ts and Pulumi.prod.yaml"),
        "",
        "Each dashboard panel and each alert, the metrics it reads (recording rules resolved to their",
        "sources), and who feeds them under a profile: the server itself, the proxy in the pod",
        "(`components/proxy.ts`, where the server's own request metrics are missing), the blackbox",
        "exporter's probe of the readiness path through the Service, or the cluster. \"From the",
        "cluster\" rows read what every kube-prometheus-stack cluster scrapes anyway (the kubelet's",
        "cAdvisor and probe counts, kube-state-metrics): they do not depend on the app and are proven",
        "by the promtool suites. The live suite `test/live/real-server.test.ts` runs the real server,",
        "the real proxy and the real blackbox exporter and checks every other row both ways: rows with",
        "data return data, rows without return none. An alert that could never fire under a profile is",
        "not rendered for it; its row says what watches the same failure instead.",
        "",
        profileSection(prod, true),
        "",
        ...(prod.server.requestSource === "proxy" ? [staysBlind] : []),
        ...others.flatMap((name) => [profileSection(withProfile(name), false), ""]),
    ].join("\n");
}

function metricLine(key: MetricKey, profile: StackConfig["server"]): string {
    const guide = serverProfiles.guide.metrics[key];
    const actual = profile.metrics[key];
    const missing = profile.unavailable[key];
    return `| ${key} | ${code(guide)} | ${missing ? `not emitted: ${missing}` : code(actual)} |`;
}

/** docs/operations/guide-vs-server.md: the guide's contract beside the deployed server's. */
export function guideVsServerPage(prod: StackConfig): string {
    const guide = serverProfiles.guide;
    const server = prod.server;
    const endpoints = (p: typeof guide) => p.metricsEndpoints.map((e) => code(`${e.name} ${e.port}${e.path}`)).join(", ");
    return [
        "# The guide and the server it documents",
        "",
        generatedNote("components/server-profiles.ts and Pulumi.prod.yaml"),
        "",
        `The operations guide documents a contract; the server deployed by prod (profile \`${server.name}\`)`,
        "behaves as below. Everything this program deploys, alerts on and documents follows the server",
        "column. What each panel and alert can see: [server compatibility](../server-compatibility.md).",
        "",
        "| | guide | deployed server |",
        "| --- | --- | --- |",
        `| HTTP port | ${workload.port} | ${proxied(prod) ? `${workload.port}, held by the proxy in the pod; the app itself on ${appPort(prod).port} (\`PORT\`, set by the program), where the kubelet probes it` : `${workload.port} (\`PORT\`, set by the program)`} |`,
        `| startup probe | ${code(guide.probes.startup)} | ${code(server.probes.startup)} |`,
        `| liveness probe | ${code(guide.probes.liveness)} | ${code(server.probes.liveness)} |`,
        `| readiness probe | ${code(guide.probes.readiness)} | ${code(server.probes.readiness)} |`,
        `| metrics endpoints | ${endpoints(guide)} | ${podMetricsEndpoints(prod)
            .map((e) => code(`${e.name} ${e.port}${e.path}`))
            .join(", ")} |`,
        `| request metrics | the server's | ${server.requestSource === "proxy" ? "none of its own: the proxy in the pod measures every request" : "the server's"} |`,
        `| request duration unit | ${guide.durationUnit} | ${server.durationUnit} |`,
        `| status label | ${guide.statusLabelFormat} | ${server.statusLabelFormat} |`,
        `| working directory | image default | ${server.workingDirectory ? `${code(server.workingDirectory)} (an emptyDir; the root filesystem stays read-only)` : "image default"} |`,
        `| command | image default | ${server.command ? code(server.command.join(" ")) : "image default"} |`,
        `| env | ${Object.entries(guide.env)
            .map(([k, v]) => code(`${k}=${v}`))
            .join(", ")} | ${Object.entries(server.env)
            .map(([k, v]) => code(`${k}=${v}`))
            .join(", ")} |`,
        "",
        "## Metric and label names",
        "",
        "| contract key | guide | deployed server |",
        "| --- | --- | --- |",
        ...(Object.keys(guide.metrics) as MetricKey[]).filter((k) => !labelKeys.includes(k)).map((k) => metricLine(k, server)),
        ...labelKeys.map((k) => `| ${k} | ${code(guide.metrics[k])} | ${code(server.metrics[k])} |`),
        "",
        "## Commands that work against the deployed server",
        "",
        "```bash",
        ...Object.values(serverCommands(server)),
        "```",
        "",
        "## Known faults of the server at the pinned commit",
        "",
        "Observed by running it (`scripts/server.sh` builds it; `test/live/real-server.test.ts` proves each):",
        "",
        "- With OpenTelemetry on (its default), every request answers 500 (`ERR_INVALID_URL`: its",
        "  tracing middleware parses a relative URL), probes included, and each request is counted",
        "  twice, once as 200 and once as 500. Profile `upstream` therefore turns it off and has no",
        "  request metrics; profile `upstream-otel` is the fault scenario, and the profile for a fixed",
        "  release (`task-mcp:server: {profile: upstream-otel}`).",
        "- A missing or wrong bearer token is answered 500 (`AUTH_ERROR`), not 401: no metric or status",
        "  code tells an authentication failure from a server error.",
        "- `/readyz` fails (503) when the process's working directory is not writable: it writes",
        "  `audit.log` there. Hence the emptyDir working directory.",
        "- `/health` answers 503 while its CPU check sees a busy start, so no probe uses it.",
        "- Past its rate limit (`RATE_LIMIT`, 60 a minute per token, or per client IP without one) it",
        "  answers 500, not 429, and probes and scrapes count against it: the kubelet's probes (18 a",
        "  minute per pod) and one scrape every 30 s stay well under it.",
        "- Port 3000's `/metrics` declares request, tool and process metrics that are never",
        "  incremented outside the server's own tests (`process_memory_bytes` is always 0).",
        "- The image's `ENTRYPOINT` is `dumb-init`, which its distroless runtime stage lacks; the",
        "  profile's `command` runs node directly.",
        "",
    ].join("\n");
}
