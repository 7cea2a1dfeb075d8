import { expect } from "chai";
import { dashboards } from "../../components/contract";
import { defaultMetrics } from "../../components/metrics";
import { buildDashboards, dashboardSpecs } from "../../components/monitoring/dashboards";
import { buildRuleGroups } from "../../components/monitoring/rules";
import { contextFor } from "../support/context";

const exprs = (d: any): string[] => d.panels.flatMap((p: any) => p.targets.map((t: any) => t.expr));

describe("dashboard builder", () => {
    const ctx = contextFor("prod");
    const built = buildDashboards(ctx);

    it("builds the guide's four dashboards by uid", () => {
        expect(Object.keys(built)).to.deep.equal(["task-mcp-overview", "task-mcp-api", "task-mcp-infrastructure", "task-mcp-security"]);
        for (const { uid, title } of Object.values(dashboards)) {
            expect(built[uid]).to.include({ uid, title });
            expect(built[uid].tags).to.deep.equal(["task-mcp"]);
        }
    });

    it("gives every panel a query, a datasource variable and a non-overlapping place", () => {
        for (const d of Object.values(built)) {
            expect(d.templating!.list!.map((v: any) => v.name)).to.deep.equal(["datasource"]);
            const cells = new Set<string>();
            for (const p of d.panels as any[]) {
                expect(p.targets, p.title).to.have.length.greaterThan(0);
                for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++)
                    for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
                        expect(cells.has(`${x},${y}`), `${d.uid}/${p.title}`).to.equal(false);
                        cells.add(`${x},${y}`);
                    }
            }
        }
    });

    it("queries only metrics of the contract or series the rules record", () => {
        const recorded = new Set(buildRuleGroups(ctx).flatMap((g) => g.rules.map((r) => r.record).filter(Boolean)));
        const known = new Set([...Object.values(defaultMetrics), "up"]);
        for (const d of Object.values(built)) {
            for (const expr of exprs(d)) {
                const names = expr.match(/[a-zA-Z_:][a-zA-Z0-9_:]*(?=\{|\s*$|\s*\)| \/| -| >)/g) ?? [];
                const metrics = names.filter((n) => n.includes("_") || n === "up").map((n) => n.replace(/_bucket$/, ""));
                expect(metrics.length, expr).to.be.greaterThan(0);
                for (const m of metrics) expect(known.has(m) || recorded.has(m), `${d.uid}: ${m} in ${expr}`).to.equal(true);
            }
        }
    });

    it("follows metric names overridden in stack config", () => {
        const custom = buildDashboards(contextFor("prod", { metrics: { authFailuresTotal: "mcp_auth_rejections_total" } }));
        expect(exprs(custom["task-mcp-security"]).join("\n")).to.contain("mcp_auth_rejections_total");
        expect(exprs(custom["task-mcp-security"]).join("\n")).to.not.contain("task_mcp_auth_failures_total");
    });

    it("has at least three panels per dashboard", () => {
        for (const spec of dashboardSpecs(ctx)) expect(spec.panels.length, spec.key).to.be.at.least(3);
    });
});
