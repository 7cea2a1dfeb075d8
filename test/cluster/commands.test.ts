/**
 * Every shell command of the README and docs/operations/, run against what we deploy: the dev
 * stack applied to the local control plane by `npm run up:cluster`, kubectl port-forward and
 * kubectl logs reaching real processes (the real server and its proxy, an Alertmanager running
 * the config the operator generated from ours) through kwok's ClusterPortForward and ClusterLogs,
 * amtool against that Alertmanager, pulumi against up:cluster's stack. One shell session, as an
 * engineer's terminal: exports and background port-forwards carry over; a block shown on several
 * pages runs once. What cannot run here is listed, with the reason, in `notRunHere`.
 */
import { expect } from "chai";
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { workload } from "../../components/contract";
import { AlertmanagerConfig } from "../../components/monitoring/routing";
import { proxyContainer } from "../../components/proxy";
import { clusterApply, clusterKubectl, clusterScript as cluster, clusterStack } from "../../scripts/lib/cluster";
import { engineEnv, toolsBin } from "../../scripts/lib/engine";
import { alertmanagerPort, alertmanagerService, platform } from "../../scripts/lib/kube-prometheus-stack";
import { repoRoot, stackConfig } from "../../scripts/lib/stacks";
import { pointReceiversAt, startAlertmanager, startCatcher } from "../support/monitoring-stack";
import { Daemon, tempDir, waitFor } from "../support/processes";
import { startRealServer } from "../support/server";
import { DocBlock, documentedBlocks } from "../support/doc-commands";
import { availableWith, operatorAlertmanagerConfig } from "./helpers";

/** Commands this machine cannot run as written, and why; everything else runs. */
const notRunHere: ReadonlyArray<{ match: RegExp; reason: string }> = [
    { match: /^bash scripts\/setup\.sh$/, reason: "installs what this suite runs with: .ci/run runs it before `npm test`" },
    { match: /^npm test$/, reason: "runs this suite itself" },
    {
        match: /^npm run bootstrap\b/,
        reason: "applies a stack from a committed Pulumi.<stack>.yaml in the repository's own backend; here up:cluster's stack already owns those objects",
    },
];

/** Where the docs point at a real environment, the local one; each replacement says why. */
const localStandIns: ReadonlyArray<{ from: string; to: string; why: string }> = [
    { from: "export STACK=prod", to: `export STACK=${clusterStack.name}`, why: "the one cluster here runs up:cluster's dev stack" },
];

/** Run at the very end, in this order: they remove what the rest runs on. */
const runLast = [/^npm run up:cluster -- --destroy$/, /^npm run cluster:down$/];

/** The README first (it brings the cluster up), the operations README, the image bump before the rollbacks, then every page in order. */
function ordered(blocks: DocBlock[]): DocBlock[] {
    const rank = (file: string) => ["README.md", "docs/operations/README.md", "docs/operations/maintenance/system-updates.md"].indexOf(file);
    const weight = (b: DocBlock) => (rank(b.file) < 0 ? 3 : rank(b.file));
    return [...blocks].sort((a, b) => weight(a) - weight(b));
}

interface Outcome {
    readonly where: string;
    readonly command: string;
    readonly ok: boolean;
    readonly output: string;
}

/** An engineer's terminal: environment and background jobs carry over from command to command. */
class Session {
    readonly env: NodeJS.ProcessEnv;
    private readonly background = new Map<string, ChildProcess>();

    constructor(env: NodeJS.ProcessEnv) {
        this.env = env;
    }

    /** Runs one command in `cwd`; a trailing `&` starts it in the background. */
    async run(command: string, cwd: string): Promise<{ ok: boolean; output: string }> {
        const assignment = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(command);
        if (assignment) {
            const r = spawnSync("bash", ["-c", `${assignment[1]}=${assignment[2]} && printf '%s' "$${assignment[1]}"`], {
                cwd,
                env: this.env,
                encoding: "utf8",
                timeout: 60_000,
            });
            if (r.status === 0) this.env[assignment[1]] = r.stdout;
            return { ok: r.status === 0 && r.stdout !== "", output: `${assignment[1]}=${r.stdout}${r.stderr}` };
        }
        if (command.endsWith("&")) return this.startBackground(command.slice(0, -1).trim(), cwd);
        // A followed log never ends by itself: what it printed in a few seconds is the proof.
        const follows = /^kubectl logs\b.*\s-f(\s|$)/.test(command);
        const r = spawnSync("bash", ["-c", command], { cwd, env: this.env, encoding: "utf8", timeout: follows ? 5_000 : 600_000 });
        const output = `${r.stdout ?? ""}${r.stderr ?? ""}`;
        const stoppedFollowing = (r.error as NodeJS.ErrnoException | undefined)?.code === "ETIMEDOUT";
        return { ok: follows ? r.stdout.trim() !== "" && (r.status === 0 || stoppedFollowing) : r.status === 0, output };
    }

    private async startBackground(command: string, cwd: string): Promise<{ ok: boolean; output: string }> {
        if (this.background.get(command)?.exitCode === null) return { ok: true, output: "(already running)" };
        const child = spawn("bash", ["-c", `exec ${command}`], { cwd, env: this.env, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout!.on("data", (d) => (output += d));
        child.stderr!.on("data", (d) => (output += d));
        this.background.set(command, child);
        // A port-forward says "Forwarding from" once it listens; anything else, the first output.
        const ready = () => (command.startsWith("kubectl port-forward") ? output.includes("Forwarding from") : output !== "");
        await waitFor(`${command} started`, async () => (ready() || child.exitCode !== null ? true : undefined), 30_000, 100).catch(() => undefined);
        return { ok: child.exitCode === null && ready(), output };
    }

    stop(): void {
        for (const child of this.background.values()) child.kill("SIGTERM");
    }
}

/** A container runtime's log file (CRI format) of a process's output, for kwok's ClusterLogs. */
function criLog(source: string, target: string): string {
    const now = new Date().toISOString().replace("Z", "000000Z");
    const lines = fs.readFileSync(source, "utf8").split("\n").filter(Boolean);
    fs.writeFileSync(target, (lines.length > 0 ? lines : ["(no output yet)"]).map((l) => `${now} stdout F ${l}`).join("\n") + "\n");
    return target;
}

describe("cluster: every command in the README and docs/operations runs against what we deploy", function () {
    this.timeout(1_800_000);
    const dir = tempDir("doc-commands");
    const daemons: Daemon[] = [];
    let session: Session;
    let originalConfig: string;

    before("the cluster, and real processes behind its pods", async () => {
        // A new cluster and no stack state: one left by an earlier run would not match it.
        cluster("down");
        fs.rmSync(path.dirname(clusterStack.workDir), { recursive: true, force: true });
        cluster("up");
        const env: NodeJS.ProcessEnv = {
            ...process.env,
            ...engineEnv(clusterStack.backendDir),
            PATH: `${toolsBin}:${path.join(repoRoot, "node_modules", ".bin")}:${process.env.PATH}`,
            USER: "oncall-test",
        };
        delete env.KUBECONFIG; // the README's own `export KUBECONFIG=...` sets it
        session = new Session(env);
        const config = stackConfig(clusterStack.name);
        const server = await startRealServer(config, { tokens: ["doc-commands-token"], dir });
        daemons.push(server.daemon, ...(server.proxy ? [server.proxy] : []));
        const logs = {
            [workload.name]: criLog(server.daemon.log, path.join(dir, "app.cri.log")),
            ...(server.proxy ? { [proxyContainer]: criLog(server.proxy.log, path.join(dir, "proxy.cri.log")) } : {}),
        };
        // kwok's simulated pods, answered by real processes: `kubectl port-forward` and `kubectl logs` reach them.
        clusterApply([
            {
                apiVersion: "kwok.x-k8s.io/v1alpha1",
                kind: "ClusterPortForward",
                metadata: { name: workload.name },
                spec: {
                    selector: { matchNamespaces: [workload.namespace] },
                    forwards: [...server.ports].map(([port, loopback]) => ({ ports: [port], target: { address: "127.0.0.1", port: loopback } })),
                },
            },
            {
                apiVersion: "kwok.x-k8s.io/v1alpha1",
                kind: "ClusterLogs",
                metadata: { name: workload.name },
                spec: {
                    selector: { matchNamespaces: [workload.namespace] },
                    logs: Object.entries(logs).map(([container, file]) => ({ containers: [container], logsFile: file, previousLogsFile: file })),
                },
            },
        ]);
    });

    after(async () => {
        session?.stop();
        await Promise.all(daemons.map((d) => d.stop()));
        cluster("down");
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("runs each of them (the not-runnable ones listed with their reason), and leaves the stack as it was", async () => {
        const blocks = ordered(documentedBlocks());
        const outcomes: Outcome[] = [];
        const skipped: string[] = [];
        const deferred: Array<{ where: string; command: string }> = [];
        const ran = new Set<string>();
        let alertmanagerUp = false;
        for (const block of blocks) {
            const key = block.commands.join("\n");
            if (ran.has(key)) continue;
            ran.add(key);
            // `pulumi stack init` restores into a backend that lost the stack: give its block a fresh one.
            const freshBackend = block.commands.some((c) => c.startsWith("pulumi stack init"));
            const backendBefore = session.env.PULUMI_BACKEND_URL;
            if (freshBackend) session.env.PULUMI_BACKEND_URL = `file://${fs.mkdtempSync(path.join(dir, "fresh-backend-"))}`;
            for (const written of block.commands) {
                const where = `${block.file}:${block.line}`;
                const reason = notRunHere.find((n) => n.match.test(written))?.reason;
                if (reason) {
                    skipped.push(`${written}: ${reason}`);
                    continue;
                }
                if (runLast.some((r) => r.test(written))) {
                    deferred.push({ where, command: written });
                    continue;
                }
                const command = localStandIns.find((s) => s.from === written)?.to ?? written;
                if (command.includes("alertmanager") && !alertmanagerUp) {
                    await startOurAlertmanager(dir, daemons);
                    alertmanagerUp = true;
                }
                // npm scripts and $PWD mean the repository; the rest runs where up:cluster's stack lives.
                const cwd = /^(npm|bash) /.test(command) || command.includes("$PWD") ? repoRoot : clusterStack.workDir;
                outcomes.push({ where, command, ...(await session.run(command, cwd)) });
                // The stack as the README applied it, before any documented `pulumi config set`.
                if (command === "npm run up:cluster")
                    originalConfig = fs.readFileSync(path.join(clusterStack.workDir, `Pulumi.${clusterStack.name}.yaml`), "utf8");
            }
            if (freshBackend) session.env.PULUMI_BACKEND_URL = backendBefore;
        }

        // As it was: the config every `pulumi config set` changed, put back and applied the one
        // way (a pull request reverting them would do the same); the replica count to the stack's.
        fs.writeFileSync(path.join(clusterStack.workDir, `Pulumi.${clusterStack.name}.yaml`), originalConfig);
        // --refresh: hand changes on the cluster (the HPA's maximum patched) are put back too.
        const restore = await session.run(`pulumi up --yes --refresh --skip-preview --stack ${clusterStack.name}`, clusterStack.workDir);
        expect(restore.ok, restore.output).to.equal(true);
        clusterKubectl("scale", "deployment", workload.name, `--replicas=${stackConfig(clusterStack.name).replicas.min}`, "-n", workload.namespace);
        await availableWith(stackConfig(clusterStack.name).replicas.min);
        const final = await session.run(`pulumi preview --refresh --diff --expect-no-changes --stack ${clusterStack.name}`, clusterStack.workDir);
        expect(final.ok, `the final preview shows changes:\n${final.output}`).to.equal(true);
        // The runner can go red: the same command aimed at another namespace fails.
        const wrong = await session.run(`kubectl get deployment ${workload.name} -n ${workload.namespace}-wrong`, repoRoot);
        expect(wrong.ok, `a wrong namespace passed: ${wrong.output}`).to.equal(false);
        expect((await session.run(`kubectl get deployment ${workload.name} -n ${workload.namespace}`, repoRoot)).ok).to.equal(true);
        for (const { where, command } of deferred) outcomes.push({ where, command, ...(await session.run(command, repoRoot)) });

        const failed = outcomes.filter((o) => !o.ok).map((o) => `${o.where}: ${o.command}\n${o.output.trim().split("\n").slice(-6).join("\n")}`);
        console.log(
            `      ${outcomes.length} commands run (${ran.size} distinct blocks), ${skipped.length} not run here:\n${skipped.map((s) => `        - ${s}`).join("\n")}`,
        );
        expect(failed, failed.join("\n\n")).to.deep.equal([]);
        expect(outcomes.length).to.be.greaterThan(60);
        expect(skipped).to.have.length.below(5);
    });
});

/**
 * Our Alertmanager, as the operator generated it from our Secret, receivers pointed at a catcher
 * (nothing is e-mailed), behind the chart's Alertmanager Service: `kubectl port-forward
 * svc/<release>-alertmanager 9093` reaches it.
 */
async function startOurAlertmanager(dir: string, daemons: Daemon[]): Promise<void> {
    const text = await waitFor(
        "our config in the operator's Alertmanager config",
        async () => {
            const config = operatorAlertmanagerConfig(platform.ownAlertmanager);
            return (parse(config).receivers as Array<{ name: string }>).some((r) => r.name === "oncall") ? config : undefined;
        },
        60_000,
        1000,
    );
    const catcher = await startCatcher();
    const amDir = path.join(dir, "alertmanager");
    fs.mkdirSync(amDir, { recursive: true });
    const am = await startAlertmanager(pointReceiversAt(parse(text) as AlertmanagerConfig, catcher.url), amDir);
    daemons.push(am.daemon, { name: "catcher", log: "", pid: 0, running: () => true, kill: catcher.close, stop: catcher.close });
    clusterApply([
        {
            apiVersion: "kwok.x-k8s.io/v1alpha1",
            kind: "ClusterPortForward",
            metadata: { name: "alertmanager" },
            // Only the pods of the Service the docs name: another Service's name would not reach it.
            spec: {
                selector: {
                    matchNamespaces: [platform.namespace],
                    matchNames: [`alertmanager-${alertmanagerService(stackConfig(clusterStack.name).monitoring).name}-0`],
                },
                forwards: [{ ports: [alertmanagerPort.number], target: { address: "127.0.0.1", port: Number(new URL(am.url).port) } }],
            },
        },
    ]);
}
