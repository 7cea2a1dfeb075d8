/**
 * Writers: the builders' plain objects as files for the real tools. Same builders as the
 * components use, so the files cannot drift from what `pulumi up` declares.
 */
import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { StackConfig } from "../../components/config/schema";
import { monitoringContext } from "../../components/monitoring/context";
import { buildDashboards } from "../../components/monitoring/dashboards";
import { buildRuleGroups } from "../../components/monitoring/rules";
import { buildAlertmanagerConfig, placeholderSecrets } from "../../components/monitoring/routing";
import { repoRoot } from "./stacks";

/** Committed exports of every stack (`npm run export -- --update-golden`), reviewed in pull requests. */
export const goldenDir = path.join(repoRoot, "test", "golden");

/** Every file under `dir`, relative and sorted. */
export function filesUnder(dir: string): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs
        .readdirSync(dir, { recursive: true, encoding: "utf8" })
        .filter((f) => fs.statSync(path.join(dir, f)).isFile())
        .sort();
}

export interface ExportedPaths {
    readonly rules: string;
    readonly alertmanager: string;
    readonly dashboards: string[];
}

const yaml = (value: unknown) => stringify(value, { lineWidth: 0 });

function write(file: string, content: string): string {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    return file;
}

/** Writes rules, Alertmanager config (placeholder secrets only) and dashboards under `dir`. */
export function exportStack(config: StackConfig, dir: string): ExportedPaths {
    const ctx = monitoringContext(config);
    const rules = write(path.join(dir, "prometheus", "rules.yaml"), yaml({ groups: buildRuleGroups(ctx) }));
    const alertmanager = write(path.join(dir, "alertmanager", "alertmanager.yaml"), yaml(buildAlertmanagerConfig(config.alerting, placeholderSecrets)));
    const dashboards = Object.entries(buildDashboards(ctx)).map(([uid, dashboard]) =>
        write(path.join(dir, "grafana", `${uid}.json`), `${JSON.stringify(dashboard, null, 2)}\n`),
    );
    return { rules, alertmanager, dashboards };
}
