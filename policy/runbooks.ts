/** Every alert links one of the guide's runbooks, and its `runbook` label names the same one. */
import { runbookPath, runbooks } from "../components/contract";
import { Check } from "./resource";

interface Rule {
    alert?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
}

function ruleProblem(rule: Rule): string | undefined {
    const url = rule.annotations?.runbook_url;
    if (!url) return "has no runbook_url annotation";
    const linked = runbooks.find((rb) => url.endsWith(`/${runbookPath(rb)}`));
    if (!linked) return `links ${url}, which is not one of the runbooks (${runbooks.join(", ")})`;
    if (rule.labels?.runbook !== linked) return `links runbook ${linked} but its runbook label is ${rule.labels?.runbook ?? "(none)"}`;
    return undefined;
}

export const checkRunbooks: Check = (resource) => {
    if (resource.type !== "kubernetes:monitoring.coreos.com/v1:PrometheusRule") return [];
    const groups: { name?: string; rules?: Rule[] }[] = resource.props.spec?.groups ?? [];
    return groups.flatMap((g) =>
        (g.rules ?? [])
            .filter((r) => r.alert !== undefined)
            .flatMap((r) => {
                const problem = ruleProblem(r);
                return problem ? [`alert ${r.alert} (group ${g.name}) ${problem}`] : [];
            }),
    );
};
