/** Start and stop local processes and servers for live tests: loopback only, free ports, always cleaned up. */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as os from "os";
import * as path from "path";

export const host = "127.0.0.1";

export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, host, () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

export function tempDir(prefix: string): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), `task-mcp-${prefix}-`));
}

const running = new Set<ChildProcess>();
process.on("exit", () => running.forEach((child) => child.kill("SIGKILL")));

export interface Daemon {
    readonly name: string;
    readonly log: string;
    readonly pid: number;
    /** Whether the process is still running. */
    running(): boolean;
    /** SIGKILL, as a crash or an OOM kill would end it. */
    kill(): Promise<void>;
    stop(): Promise<void>;
}

/** Spawns `command`; its output goes to `<dir>/<name>.log`, shown when a test fails. */
export function startDaemon(name: string, command: string, args: string[], dir: string, options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Daemon {
    const log = path.join(dir, `${name}.log`);
    const out = fs.openSync(log, "a");
    const child = spawn(command, args, { stdio: ["ignore", out, out], ...options });
    running.add(child);
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    return {
        name,
        log,
        pid: child.pid!,
        running: () => child.exitCode === null && child.signalCode === null,
        async kill() {
            child.kill("SIGKILL");
            await exited;
        },
        async stop() {
            running.delete(child);
            if (child.exitCode === null) child.kill("SIGTERM");
            await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
            if (child.exitCode === null) child.kill("SIGKILL");
            fs.closeSync(out);
        },
    };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, everyMs = 500): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    while (Date.now() < deadline) {
        try {
            const value = await probe();
            if (value !== undefined && value !== false) return value;
        } catch (e) {
            lastError = e;
        }
        await new Promise((r) => setTimeout(r, everyMs));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${lastError})` : ""}`);
}

export async function getJson<T = any>(url: string): Promise<T> {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return (await response.json()) as T;
}

export async function postJson(url: string, body: unknown): Promise<any> {
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${await response.text()}`);
    const text = await response.text();
    return text ? JSON.parse(text) : undefined;
}

/** An HTTP server on a free loopback port. */
export async function serve(handler: http.RequestListener): Promise<{ port: number; close(): Promise<void> }> {
    const server = http.createServer(handler);
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
