/**
 * The real task-mcp-http (built by scripts/server.sh into .server/build) started on loopback the
 * way the program's Deployment starts it: the container's command, env, working directory and
 * user taken from the pod template the program renders, with only what a pod has and a loopback
 * process lacks substituted (ports, the listen address, the image's paths, the token Secret).
 * Prometheus's targets come from the rendered ServiceMonitor and Service the same way.
 */
import * as fs from "fs";
import * as path from "path";
import { workload } from "../../components/contract";
import { StackConfig } from "../../components/config/schema";
import { probeTarget } from "../../components/monitoring/probe";
import { serviceMonitorSpec } from "../../components/monitoring/scrape";
import { proxyConfig } from "../../components/proxy";
import { podPorts, podTemplate, proxied, serviceSpec, workloadSettings } from "../../components/workload";
import { repoRoot } from "../../scripts/lib/stacks";
import { ScrapeTarget } from "./monitoring-stack";
import { Daemon, freePort, host, startDaemon, tempDir, waitFor } from "./processes";

export const serverBuild = path.join(repoRoot, ".server", "build");
/** Where the upstream image keeps the server and its node (Dockerfile WORKDIR, distroless node). */
const imagePaths: Record<string, string> = { "/app": serverBuild, "/nodejs/bin/node": process.execPath };

export interface RealServer {
    /** The app's process. */
    readonly daemon: Daemon;
    /** The proxy in front of it, where the profile measures requests there. */
    readonly proxy?: Daemon;
    /** The Service's port 3000 (the proxy's, or the app's where there is no proxy), as clients reach it. */
    readonly url: string;
    /** The app's own port, as the kubelet's probes reach it. */
    readonly appUrl: string;
    /** The readiness URL the Probe gets through the Service, on loopback. */
    readonly probeUrl: string;
    /** The ServiceMonitor's endpoints as loopback targets. */
    readonly targets: ScrapeTarget[];
    /** Each container port's loopback stand-in. */
    readonly ports: ReadonlyMap<number, number>;
    readonly workingDirectory: string;
}

export interface StartOptions {
    /** Bearer tokens (AUTH_TOKENS). */
    readonly tokens: string[];
    /** As the Deployment arranges it (an emptyDir the pod's user may write), or read-only. @default "writable" */
    readonly workingDirectory?: "writable" | "read-only";
    /** Log directory. */
    readonly dir: string;
}

const mapImagePath = (p: string) => {
    const prefix = Object.keys(imagePaths).find((k) => p === k || p.startsWith(`${k}/`));
    return prefix ? imagePaths[prefix] + p.slice(prefix.length) : p;
};

export async function startRealServer(config: StackConfig, options: StartOptions): Promise<RealServer> {
    if (!fs.existsSync(path.join(serverBuild, "dist", "index.js"))) throw new Error(`no server build in ${serverBuild}: run bash scripts/server.sh`);
    const template = podTemplate(workloadSettings(config), "stable", config.image) as any;
    const container = template.spec.containers.find((c: any) => c.name === workload.name);
    const user: number = container.securityContext.runAsUser;

    // The pod's ports (every container's) -> free loopback ports; env values naming a port follow them.
    const ports = new Map<number, number>();
    for (const p of podPorts(config)) ports.set(p.containerPort, await freePort());

    // The working directory: an emptyDir owned by the pod's user, or a directory it cannot write.
    const workDir = tempDir("server-work");
    const asRoot = process.getuid?.() === 0;
    if (options.workingDirectory === "read-only") fs.chmodSync(workDir, 0o555);
    else if (asRoot) fs.chownSync(workDir, user, user);
    const containerDir: string | undefined = container.workingDir;

    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: workDir };
    for (const e of container.env) {
        if (e.valueFrom?.secretKeyRef?.key === workload.authTokensEnv) env[e.name] = options.tokens.join(",");
        else if (e.value === undefined) throw new Error(`env ${e.name}: no loopback stand-in for ${JSON.stringify(e.valueFrom)}`);
        else if (ports.has(Number(e.value))) env[e.name] = String(ports.get(Number(e.value)));
        else if (containerDir && e.value === containerDir) env[e.name] = workDir;
        else if (e.name === "HOST") env[e.name] = host;
        else env[e.name] = e.value;
    }
    const command: string[] = (container.command ?? ["/nodejs/bin/node", "/app/dist/index.js"]).map(mapImagePath);
    // As the pod's user where we can be (root here, as in CI): the build is root's and read-only to it.
    const [exe, ...args] = asRoot ? ["setpriv", `--reuid=${user}`, `--regid=${user}`, "--clear-groups", "--", ...command] : command;
    const daemon = startDaemon(`task-mcp-http-${path.basename(workDir)}`, exe, args, options.dir, { cwd: workDir, env });
    const proxy = proxied(config) ? startProxy(config, ports, options.dir) : undefined;

    const service = serviceSpec(config) as any;
    const monitor = serviceMonitorSpec(config, config.monitoring.scrapeInterval);
    const targets = monitor.endpoints.map((e) => {
        const servicePort = service.ports.find((p: any) => p.name === e.port);
        if (!servicePort) throw new Error(`ServiceMonitor endpoint ${e.port} names no Service port`);
        const containerPort: number = servicePort.targetPort;
        if (!ports.has(containerPort)) throw new Error(`Service port ${e.port} targets ${containerPort}, which no container port is`);
        return { endpoint: e.port, port: ports.get(containerPort)!, path: e.path };
    });
    const url = `http://${host}:${ports.get(workload.port)}`;
    const appUrl = `http://${host}:${ports.get(Number(container.env.find((e: any) => e.name === "PORT").value))}`;
    const probe = new URL(probeTarget(config));
    const probeUrl = `http://${host}:${ports.get(Number(probe.port))}${probe.pathname}`;
    // Up when the HTTP port accepts connections (any status: with OpenTelemetry on, all are 500).
    await waitFor(`task-mcp-http listening (${daemon.log})`, async () => (await fetch(`${appUrl}/`)).status > 0, 30_000, 200);
    if (proxy) await waitFor(`the proxy passing requests (${proxy.log})`, async () => (await fetch(`${url}/`)).status !== 502 || undefined, 30_000, 200);
    return { daemon, proxy, url, appUrl, probeUrl, targets, ports, workingDirectory: workDir };
}

export const caddyBinary = path.join(repoRoot, ".tools", "bin", "caddy");

/**
 * The real proxy (Caddy, built by scripts/tools.sh) from the config the program renders into its
 * ConfigMap, with only the pod's ports swapped for their loopback stand-ins.
 */
function startProxy(config: StackConfig, ports: ReadonlyMap<number, number>, dir: string): Daemon {
    if (!fs.existsSync(caddyBinary)) throw new Error(`${caddyBinary} is missing: run bash scripts/tools.sh`);
    const loopback = (port: number) => {
        const mapped = ports.get(port);
        if (mapped === undefined) throw new Error(`the proxy's config names port ${port}, which no container port is`);
        return mapped;
    };
    const rendered = JSON.stringify(proxyConfig(config.proxy))
        .replace(/"listen":\["?:(\d+)"\]/g, (_, p) => `"listen":["${host}:${loopback(Number(p))}"]`)
        .replace(/"dial":"127\.0\.0\.1:(\d+)"/g, (_, p) => `"dial":"${host}:${loopback(Number(p))}"`);
    const file = path.join(dir, `caddy-${path.basename(dir)}-${Date.now()}.json`);
    fs.writeFileSync(file, rendered);
    const state = tempDir("caddy-state");
    return startDaemon(`proxy-${path.basename(file, ".json")}`, caddyBinary, ["run", "--config", file], dir, {
        env: { PATH: process.env.PATH, HOME: state, XDG_CONFIG_HOME: path.join(state, "config"), XDG_DATA_HOME: path.join(state, "data") },
    });
}

/** One call: the status, and the body as text. */
export async function call(url: string, init: RequestInit = {}): Promise<{ status: number; body: string }> {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
    return { status: response.status, body: await response.text() };
}

/** The clients the guide describes: an NDJSON tool call and an SSE stream, with a bearer token. */
export function toolCall(server: RealServer, route: "/mcp" | "/sse", token: string | undefined) {
    return call(`${server.url}${route}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ tool: "change.show", input: { slug: "example" } }),
    });
}

/**
 * Mixed traffic for `seconds` (bounded in time and count): authorised NDJSON and SSE calls,
 * calls with a bad token (unless `badTokens: false`: the server answers them 500), probes. Returns the status codes seen per kind of call.
 * Paced under the server's rate limit (60 a minute per token, and per IP for calls without
 * one, past which it answers 500): one NDJSON and one SSE call every 2 s, on two tokens.
 */
export async function driveTraffic(
    server: RealServer,
    config: StackConfig,
    tokens: readonly string[],
    seconds: number,
    options: { badTokens?: boolean } = {},
): Promise<Record<string, Record<number, number>>> {
    const seen: Record<string, Record<number, number>> = {};
    const note = (kind: string, status: number) => ((seen[kind] ??= {})[status] = (seen[kind][status] ?? 0) + 1);
    const deadline = Date.now() + seconds * 1000;
    for (let i = 0; i < 1000 && Date.now() < deadline; i++) {
        const next = Date.now() + 2000;
        note("ndjson", (await toolCall(server, "/mcp", tokens[0])).status);
        note("sse", (await toolCall(server, "/sse", tokens[1 % tokens.length])).status);
        if (options.badTokens !== false && i % 4 === 0) note("bad-token", (await toolCall(server, "/mcp", "not-a-token")).status);
        if (i % 3 === 0) note("readiness", (await call(`${server.url}${config.server.probes.readiness}`)).status);
        await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
    }
    return seen;
}
