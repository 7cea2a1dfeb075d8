/**
 * `npm run bench:proxy`: what the proxy in the pod costs. The real server behind the real proxy
 * (Caddy, from the config the program renders), started as the Deployment starts them; the same
 * request sent to the app's own port and through the proxy, interleaved, one at a time on
 * keep-alive connections, so both see the same machine. Prints p50 and p99 of each, the latency
 * the proxy adds (goal: under 1 ms at p50) and the ratio to direct, and the resident memory of the
 * proxy beside the app's. `--write` records it in docs/proxy-benchmark.md.
 *
 * It drives the live suite's harness (test/support/server.ts).
 */
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { stackConfig, repoRoot } from "../../scripts/lib/stacks";
import { tempDir } from "../support/processes";
import { startRealServer } from "../support/server";

const warmup = 300;
const rounds = 3000;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** One GET, its status and the time to the whole response, in ms. */
function get(url: string, token: string): Promise<{ status: number; ms: number }> {
    return new Promise((resolve, reject) => {
        const started = process.hrtime.bigint();
        // Each request its own bearer token: the server rate-limits per token (60 a minute), and a
        // health route needs none, so the limit never shapes the numbers.
        const req = http.get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
            res.resume();
            res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
        });
        req.on("error", reject);
    });
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;

async function main() {
    const config = stackConfig("dev");
    const dir = tempDir("bench-proxy");
    const server = await startRealServer(config, { tokens: ["bench"], dir });
    if (!server.proxy) throw new Error(`profile ${config.server.name} runs no proxy`);
    const path_ = config.server.probes.liveness;
    const paths = { direct: `${server.appUrl}${path_}`, proxied: `${server.url}${path_}` };
    try {
        const times: Record<"direct" | "proxied", number[]> = { direct: [], proxied: [] };
        for (let i = 0; i < warmup + rounds; i++) {
            // Interleaved, and the order alternated, so drift and warm-up fall on both alike.
            const order = i % 2 === 0 ? (["direct", "proxied"] as const) : (["proxied", "direct"] as const);
            for (const which of order) {
                const r = await get(paths[which], `bench-${which}-${i}`);
                if (r.status !== 200) throw new Error(`${which} ${paths[which]}: HTTP ${r.status}`);
                if (i >= warmup) times[which].push(r.ms);
            }
        }
        const stats = (xs: number[]) => {
            const sorted = [...xs].sort((a, b) => a - b);
            return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99) };
        };
        const direct = stats(times.direct);
        const proxied = stats(times.proxied);
        const f = (ms: number) => ms.toFixed(3);
        const lines = [
            `| path | p50 (ms) | p99 (ms) |`,
            `| --- | --- | --- |`,
            `| direct to the app (baseline) | ${f(direct.p50)} | ${f(direct.p99)} |`,
            `| through the proxy | ${f(proxied.p50)} | ${f(proxied.p99)} |`,
            `| added by the proxy | ${f(proxied.p50 - direct.p50)} | ${f(proxied.p99 - direct.p99)} |`,
            `| ratio proxied / direct | ${(proxied.p50 / direct.p50).toFixed(2)}x | ${(proxied.p99 / direct.p99).toFixed(2)}x |`,
            "",
            `Resident memory after the run: the proxy ${rssMiB(server.proxy.pid).toFixed(1)} MiB, the app ${rssMiB(server.daemon.pid).toFixed(1)} MiB (the proxy's request and limit in the pod: ${config.proxy.resources.requests.memory}, ${config.proxy.resources.limits.memory}).`,
        ];
        console.log(lines.join("\n"));
        const goal = proxied.p50 - direct.p50 < 1;
        console.log(`\ngoal (< 1 ms added at p50): ${goal ? "met" : "NOT met"}`);
        if (process.argv.includes("--write")) {
            const doc = [
                "# Proxy benchmark",
                "",
                "<!-- Written by `npm run bench:proxy -- --write` (test/bench/proxy.ts). -->",
                "",
                `What the proxy in the pod costs: ${rounds} GET ${path_} requests to the real server's own port and as many through`,
                "the real proxy (Caddy, from the config the program renders), interleaved, one at a time on keep-alive connections,",
                "after a warm-up of " + warmup + " each, on this 2-core machine. The whole response, client side.",
                "",
                ...lines,
                "",
            ].join("\n");
            fs.writeFileSync(path.join(repoRoot, "docs", "proxy-benchmark.md"), doc);
        }
    } finally {
        agent.destroy();
        await Promise.all([server.daemon.stop(), server.proxy.stop()]);
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
