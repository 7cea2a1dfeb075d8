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
import { Verdict } from "../../components/monitoring/signals";
import { serverCommands, ServerProfileName, serverProfileNames, serverProfiles } from "../../components/server-profiles";


function verdictText(v: Verdict): string {
    if (v.kind === "data") return "data from this server";
    if (v.kind === "cluster") return `from the cluster: ${v.exporters.join(", ")}`;
    return `**no data from this server** because ${v.reasons.join("; ")}`;
}

function profileSection(config: StackConfig, deployed: boolean): string {
    const ctx = monitoringContext(config);
    const rows = compatibilityRows(ctx);
    const count = (kind: Verdict["kind"]) => rows.filter((r) => r.verdict.kind === kind).length;
    return [
        `## Profile \`${config.server.name}\`${deployed ? " (deployed by dev and prod)" : ""}`,
        "",
        `${count("data")} rows with data from the server, ${count("cluster")} from the cluster's own exporters, ${count("none")} with no data.`,
        "",
        "| kind | dashboard or runbook | panel or alert | metrics it needs | with this server |",
        "| --- | --- | --- | --- | --- |",
        ...rows.map((r) => `| ${r.kind} | ${r.where} | ${r.name} | ${r.metrics.map(code).join(", ")} | ${verdictText(r.verdict)} |`),
    ].join("\n");
}

/** docs/server-compatibility.md, for the deployed profile first and then the others. */
export function serverCompatibilityPage(prod: StackConfig, withProfile: (name: ServerProfileName) => StackConfig): string {
    const others = serverProfileNames.filter((n) => n !== prod.server.name);
    return [
        "# Server compatibility: what every panel and alert can see",
        "",
        generatedNote("components/server-profiles.ts, components/monitoring/compatibility.ts and Pulumi.prod.yaml"),
        "",
        "Each dashboard panel and each alert, the metrics it reads (recording rules resolved to their",
        "sources), and whether the server of a profile feeds them. \"From the cluster\" rows read what",
        "every kube-prometheus-stack cluster scrapes anyway (the kubelet's cAdvisor and",
        "kube-state-metrics): they do not depend on the app and are proven by the promtool suites. The",
        "live suite `test/live/real-server.test.ts` runs the real server and checks every other row",
        "both ways: rows with data return data, rows without return none.",
        "",
        profileSection(prod, true),
        "",
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
        `| HTTP port | ${workload.port} | ${workload.port} (\`PORT\`, set by the program) |`,
        `| startup probe | ${code(guide.probes.startup)} | ${code(server.probes.startup)} |`,
        `| liveness probe | ${code(guide.probes.liveness)} | ${code(server.probes.liveness)} |`,
        `| readiness probe | ${code(guide.probes.readiness)} | ${code(server.probes.readiness)} |`,
        `| metrics endpoints | ${endpoints(guide)} | ${endpoints(server)} |`,
        `| request duration unit | ${guide.durationUnit} | ${server.durationUnit} |`,
        `| status label | ${guide.statusLabelFormat} | ${server.statusLabelFormat} |`,
        `| working directory | image default | ${server.workingDirectory ? `${code(server.workingDirectory)} (an emptyDir; the root filesystem stays read-only)` : "image default"} |`,
        `| command | image default | ${server.command ? code(server.command.join(" ")) : "image default"} |`,
        `| env | ${Object.entries(guide.env).map(([k, v]) => code(`${k}=${v}`)).join(", ")} | ${Object.entries(server.env).map(([k, v]) => code(`${k}=${v}`)).join(", ")} |`,
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
