import { expect } from "chai";
import { blocksOf, documentedBlocks, withoutComment } from "../support/doc-commands";
import * as fs from "fs";
import * as path from "path";
import { dashboards, runbookPath, runbooks } from "../../components/contract";
import { buildRuleGroups } from "../../components/monitoring/rules";
import { configErrorsPage } from "../../scripts/docs/config-errors";
import { generateOperationsDocs } from "../../scripts/docs/generate";
import { serverCompatibilityPage } from "../../scripts/docs/server";
import { dashboardSpecs } from "../../components/monitoring/dashboards";
import { badConfigCases } from "../../scripts/lib/bad-config";
import { repoRoot, stackConfig } from "../../scripts/lib/stacks";
import { monitoringContext } from "../../components/monitoring/context";

const docsRoot = path.join(repoRoot, "docs", "operations");

function filesUnder(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** The paths of the guide's "Documentation Structure" tree, relative to docs/operations/. */
function guideTree(): string[] {
    const guide = fs.readFileSync(path.join(repoRoot, "..", "shared", "seed", "operations-README.md"), "utf8");
    const block = guide.split("## Documentation Structure")[1].split("```")[1];
    const paths: string[] = [];
    let dir = "";
    for (const line of block.split("\n")) {
        const m = /^(│ {3}| {4})?[├└]── ([\w.-]+\/?)/.exec(line);
        if (!m) continue;
        const [, nested, name] = m;
        if (name.endsWith("/")) dir = name;
        else paths.push(nested ? `${dir}${name}` : name);
    }
    return paths.sort();
}

/** GitHub's anchors for the headings of a Markdown text (lower case, punctuation dropped, spaces to "-"). */
function anchors(text: string): Set<string> {
    const headings = text.replace(/```[\s\S]*?```/g, "").matchAll(/^#{1,6} (.+)$/gm);
    return new Set(
        [...headings].map(([, h]) =>
            h
                .toLowerCase()
                .replace(/[^\p{L}\p{N} _-]/gu, "")
                .replace(/ /g, "-"),
        ),
    );
}

/** Relative Markdown links of `file` (same-page anchors included) whose file or heading does not exist. */
function brokenLinks(file: string): string[] {
    const text = fs.readFileSync(file, "utf8");
    return [...text.matchAll(/\]\(([^)#\s]*)(?:#([^)\s]*))?\)/g)]
        .filter(([, target]) => !/^[a-z]+:/.test(target))
        .filter(([, target, anchor]) => {
            const resolved = target === "" ? file : path.resolve(path.dirname(file), target);
            if (!fs.existsSync(resolved)) return true;
            return anchor !== undefined && resolved.endsWith(".md") && !anchors(fs.readFileSync(resolved, "utf8")).has(anchor);
        })
        .map(([link]) => `${path.relative(repoRoot, file)}: ${link}`);
}

describe("operations docs", () => {
    const generated = generateOperationsDocs();

    it("hold every document of the guide's tree, and only our three additions besides", () => {
        const tree = guideTree();
        expect(tree).to.have.length(20);
        expect(Object.keys(generated).sort()).to.deep.equal([...tree, "guide-vs-server.md", "slos.md", "runbooks/watchdog.md"].sort());
    });

    it("link only to files and headings that exist (README and every page under docs/)", () => {
        const pages = [path.join(repoRoot, "README.md"), ...filesUnder(path.join(repoRoot, "docs")).filter((f) => f.endsWith(".md"))];
        expect(pages.length).to.be.greaterThan(25);
        expect(pages.flatMap(brokenLinks)).to.deep.equal([]);
    });

    it("are committed exactly as the code generates them (run `npm run docs` after a change)", () => {
        const committed = filesUnder(docsRoot)
            .map((f) => path.relative(docsRoot, f))
            .sort();
        expect(committed).to.deep.equal(Object.keys(generated).sort());
        for (const [file, content] of Object.entries(generated)) {
            expect(fs.readFileSync(path.join(docsRoot, file), "utf8"), `docs/operations/${file} is stale`).to.equal(content);
        }
    });

    it("include the server-compatibility table as the code generates it, a row for every panel and alert", () => {
        const page = serverCompatibilityPage(stackConfig("prod"), (profile) => stackConfig("prod", { server: { profile } }));
        expect(fs.readFileSync(path.join(repoRoot, "docs", "server-compatibility.md"), "utf8"), "docs/server-compatibility.md is stale").to.equal(page);
        const ctx = monitoringContext(stackConfig("prod"));
        const section = page.split("\n## ")[1];
        const panels = dashboardSpecs(ctx).flatMap((d) => d.panels.map((p) => p.title));
        const alerts = buildRuleGroups(ctx)
            .flatMap((g) => g.rules)
            .filter((r) => r.alert)
            .map((r) => r.alert!);
        for (const name of [...panels, ...alerts]) expect(section, name).to.contain(`| ${name} |`);
    });

    it("include the bad-config catalogue as the tests define it", () => {
        expect(fs.readFileSync(path.join(repoRoot, "docs", "config-errors.md"), "utf8")).to.equal(configErrorsPage(badConfigCases));
        expect(badConfigCases.length).to.be.at.least(15);
    });

    it("have a page for every runbook an alert links, and every alert's runbook_url points at one", () => {
        for (const rb of runbooks) expect(fs.existsSync(path.join(repoRoot, runbookPath(rb))), rb).to.equal(true);
        const alerts = buildRuleGroups(monitoringContext(stackConfig("prod")))
            .flatMap((g) => g.rules)
            .filter((r) => r.alert);
        for (const a of alerts) {
            const relative = a.annotations!.runbook_url.replace(/^https:\/\/[^/]+\/[^/]+\/[^/]+\/blob\/main\//, "");
            expect(fs.existsSync(path.join(repoRoot, relative)), `${a.alert}: ${a.annotations!.runbook_url}`).to.equal(true);
            if (a.annotations!.dashboard_url) {
                const uid = a.annotations!.dashboard_url.split("/d/")[1];
                expect(
                    Object.values(dashboards).map((d) => d.uid),
                    a.alert,
                ).to.include(uid);
            }
        }
    });

    it("name every alert on the page of its runbook", () => {
        const alerts = buildRuleGroups(monitoringContext(stackConfig("prod")))
            .flatMap((g) => g.rules)
            .filter((r) => r.alert);
        for (const a of alerts) expect(generated[`runbooks/${a.labels!.runbook}.md`], a.alert).to.contain(`### \`${a.alert}\``);
    });
});

describe("documented commands (the cluster suite runs them: test/cluster/commands.test.ts)", () => {
    it("are read one per line from bash blocks, continuations joined, comments dropped but not inside quotes or $(...)", () => {
        const text = [
            "text `kubectl not-this` in prose",
            "```bash",
            "# a whole-line comment",
            "kubectl get pods -n task-mcp   # trailing comment",
            "amtool silence add \\",
            '  --comment="ticket #12"',
            "X=$(date +%Y # not a comment)",
            "",
            "```",
            "```promql",
            "up == 0",
            "```",
        ].join("\n");
        expect(blocksOf("page.md", text)).to.deep.equal([
            {
                file: "page.md",
                line: 2,
                commands: ["kubectl get pods -n task-mcp", 'amtool silence add --comment="ticket #12"', "X=$(date +%Y # not a comment)"],
            },
        ]);
        expect(withoutComment("curl -fsS http://127.0.0.1:3000/readyz#frag")).to.equal("curl -fsS http://127.0.0.1:3000/readyz#frag");
    });

    it("start with a tool the runner knows, and name no in-cluster host a laptop cannot reach", () => {
        const commands = documentedBlocks().flatMap((b) => b.commands.map((c) => `${b.file}:${b.line}: ${c}`));
        expect(commands.length).to.be.greaterThan(60);
        const unknown = commands.filter((c) => !/: ((export )?[A-Z_]+=|kubectl |curl |amtool |pulumi |npm |bash )/.test(c));
        expect(unknown).to.deep.equal([]);
        expect(
            commands.filter((c) => /https?:\/\/(?!127\.0\.0\.1)[\w.-]+:\d+/.test(c)),
            "in-cluster URLs",
        ).to.deep.equal([]);
        expect(
            commands.filter((c) => /<[^>\s]+>/.test(c)),
            "placeholders",
        ).to.deep.equal([]);
    });
});
