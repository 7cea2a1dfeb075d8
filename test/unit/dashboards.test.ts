import { expect } from "chai";
import { dashboards } from "../../components/contract";
import { buildDashboards, dashboardSpecs } from "../../components/monitoring/dashboards";
import { signalsOf } from "../../components/monitoring/signals";
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

    it("queries only the profile's metrics, the cluster's, up, or series the rules record", () => {
        for (const profile of ["upstream", "upstream-otel", "guide"]) {
            const c = contextFor("prod", { server: { profile } });
            for (const d of Object.values(buildDashboards(c))) {
                for (const expr of exprs(d)) expect(signalsOf(expr, c).length, expr).to.be.greaterThan(0);
            }
        }
    });

    it("rejects a query of a metric nobody provides (the check above can fail)", () => {
        expect(() => signalsOf('sum(rate(http_request_total{job="task-mcp-http"}[5m]))', ctx)).to.throw(/http_request_total/);
    });

    it("follows metric names overridden in stack config", () => {
        const custom = buildDashboards(contextFor("prod", { server: { metrics: { authFailuresTotal: "mcp_auth_rejections_total" } } }));
        expect(exprs(custom["task-mcp-security"]).join("\n")).to.contain("mcp_auth_rejections_total");
        expect(exprs(custom["task-mcp-security"]).join("\n")).to.not.contain("task_mcp_auth_failures_total");
    });

    it("has at least three panels per dashboard", () => {
        for (const spec of dashboardSpecs(ctx)) expect(spec.panels.length, spec.key).to.be.at.least(3);
    });
});
