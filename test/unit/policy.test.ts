import { expect } from "chai";
import { policyDefinitions } from "../../policy/policies";
import { CheckedResource } from "../../policy/resource";
import { fixtureConfig } from "../support/fixtures";
import { ProgramRun, runProgram } from "../support/mocks";

/** The program's resources as the policy pack sees them. */
function checkedResources(run: ProgramRun): CheckedResource[] {
    return run.resources.map((r) => ({ type: r.type, props: r.inputs }));
}

/** Every violation, as "<policy>: <message>". */
function violations(resources: readonly CheckedResource[]): string[] {
    return resources.flatMap((r) => policyDefinitions.flatMap((p) => p.check(r).map((m) => `${p.name}: ${m}`)));
}

const deployment = "kubernetes:apps/v1:Deployment";
type Mutation = (props: any) => void;

describe("policy pack", () => {
    let dev: CheckedResource[];
    before(async () => {
        const run = await runProgram("dev", fixtureConfig("dev"));
        expect(run.error).to.equal(undefined);
        dev = checkedResources(run);
    });

    for (const [stack, patch] of [
        ["dev", {}],
        ["prod", {}],
        ["dev", { canary: { enabled: true, image: "ghcr.io/fission-ai/task-mcp-http:1.5.0-rc.1" } }],
    ] as const) {
        it(`passes every resource of ${stack}${Object.keys(patch).length ? " with a canary" : ""}`, async () => {
            const run = await runProgram(stack, { ...fixtureConfig(stack), ...patch });
            expect(run.error).to.equal(undefined);
            const resources = checkedResources(run);
            expect(violations(resources)).to.deep.equal([]);
            // Not vacuous: each policy had something to judge.
            const types = resources.map((r) => r.type);
            for (const t of [deployment, "kubernetes:core/v1:Secret", "kubernetes:core/v1:ConfigMap", "kubernetes:monitoring.coreos.com/v1:PrometheusRule"]) {
                expect(types, t).to.include(t);
            }
        });
    }

    /** Breaks one resource of dev and returns every violation the pack then reports. */
    function violationsAfter(type: string, mutate: Mutation): string[] {
        const copy = dev.map((r) => ({ ...r, props: structuredClone(r.props) }));
        const target = copy.find((r) => r.type === type);
        expect(target, type).to.not.equal(undefined);
        mutate(target!.props);
        return violations(copy);
    }
    const container = (props: any) => props.spec.template.spec.containers[0];

    const cases: { name: string; type: string; mutate: Mutation; expected: (string | RegExp)[] }[] = [
        {
            name: "a readiness probe on another path",
            type: deployment,
            mutate: (p) => (container(p).readinessProbe.httpGet.path = "/health/ready"),
            expected: [
                "task-mcp-probes: container task-mcp-http readiness probe gets /health/ready on port app; expected /readyz on port app (3001) (server profile upstream)",
            ],
        },
        {
            name: "a readiness probe through the proxy (its port http), which would count in the proxy's SLIs",
            type: deployment,
            mutate: (p) => (container(p).readinessProbe.httpGet.port = "http"),
            expected: [
                "task-mcp-probes: container task-mcp-http readiness probe gets /readyz on port http; expected /readyz on port app (3001) (server profile upstream)",
            ],
        },
        {
            name: "a proxy sidecar without a memory limit",
            type: deployment,
            mutate: (p) => delete p.spec.template.spec.initContainers[0].resources.limits.memory,
            expected: [/^container-resources: container proxy .*memory/],
        },
        {
            name: "a proxy sidecar that may escalate privileges",
            type: deployment,
            mutate: (p) => (p.spec.template.spec.initContainers[0].securityContext.allowPrivilegeEscalation = true),
            expected: [/^restricted-security-context: container proxy /],
        },
        {
            name: "a proxy sidecar on caddy:latest",
            type: deployment,
            mutate: (p) => (p.spec.template.spec.initContainers[0].image = "caddy:latest"),
            expected: [/^pinned-images: .*proxy.*caddy:latest/],
        },
        {
            name: "no liveness probe",
            type: deployment,
            mutate: (p) => delete container(p).livenessProbe,
            expected: [
                "task-mcp-probes: container task-mcp-http has no liveness probe; expected an HTTP GET of /healthz on port app (3001) (server profile upstream)",
            ],
        },
        {
            name: "pods that do not name their server profile",
            type: deployment,
            mutate: (p) => delete p.spec.template.metadata.annotations,
            expected: [
                "task-mcp-probes: pods labelled app=task-mcp-http carry no known task-mcp.io/server-profile annotation (none); allowed: upstream, upstream-otel, guide",
            ],
        },
        {
            name: "the guide's probes on pods of the upstream server",
            type: deployment,
            mutate: (p) => (container(p).startupProbe.httpGet.path = "/health/live"),
            expected: [
                "task-mcp-probes: container task-mcp-http startup probe gets /health/live on port app; expected /healthz on port app (3001) (server profile upstream)",
            ],
        },
        {
            name: "no CPU limit",
            type: deployment,
            mutate: (p) => delete container(p).resources.limits.cpu,
            expected: ["container-resources: container task-mcp-http sets no limits for cpu"],
        },
        {
            name: "privilege escalation and root",
            type: deployment,
            mutate: (p) => {
                container(p).securityContext.allowPrivilegeEscalation = true;
                delete container(p).securityContext.runAsNonRoot;
                delete p.spec.template.spec.securityContext.runAsNonRoot;
            },
            expected: [
                "restricted-security-context: container task-mcp-http does not set allowPrivilegeEscalation: false",
                "restricted-security-context: container task-mcp-http may run as root (runAsNonRoot is not true)",
            ],
        },
        {
            name: "host network and an added capability",
            type: deployment,
            mutate: (p) => {
                p.spec.template.spec.hostNetwork = true;
                container(p).securityContext.capabilities.add = ["NET_ADMIN"];
            },
            expected: ["restricted-security-context: pod uses hostNetwork", "restricted-security-context: container task-mcp-http adds capabilities NET_ADMIN"],
        },
        {
            name: "the latest tag",
            type: deployment,
            mutate: (p) => (container(p).image = "ghcr.io/fission-ai/task-mcp-http:latest"),
            expected: [
                "pinned-images: container task-mcp-http image ghcr.io/fission-ai/task-mcp-http:latest uses the latest tag; pin a version tag or a digest",
            ],
        },
        {
            name: "no tag behind a registry port",
            type: deployment,
            mutate: (p) => (container(p).image = "registry.local:5000/task-mcp-http"),
            expected: ["pinned-images: container task-mcp-http image registry.local:5000/task-mcp-http has no tag; pin a version tag or a digest"],
        },
        {
            name: "an alert without runbook_url",
            type: "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
            mutate: (p) => delete p.spec.groups.find((g: any) => g.rules.some((r: any) => r.alert)).rules.find((r: any) => r.alert).annotations.runbook_url,
            expected: [/^alerts-link-runbooks: alert \w+ \(group [\w.-]+\) has no runbook_url annotation$/],
        },
        {
            name: "an alert linking an unknown runbook",
            type: "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
            mutate: (p) => (p.spec.groups[0].rules.find((r: any) => r.alert).annotations.runbook_url = "https://wiki.example.com/ServiceDown"),
            expected: [
                /^alerts-link-runbooks: alert \w+ \(group [\w.-]+\) links https:\/\/wiki\.example\.com\/ServiceDown, which is not one of the runbooks \(service-downtime, .*\)$/,
            ],
        },
        {
            name: "a token as a plain environment value",
            type: deployment,
            mutate: (p) => container(p).env.push({ name: "GITHUB_TOKEN", value: "ghp_plain" }),
            expected: ["secrets-never-plain: container task-mcp-http sets GITHUB_TOKEN as a plain value; take it from a Secret (valueFrom.secretKeyRef)"],
        },
        {
            name: "a Slack webhook in a ConfigMap",
            type: "kubernetes:core/v1:ConfigMap",
            mutate: (p) => (p.data["alertmanager.yaml"] = "global:\n  slack_api_url: https://hooks.slack.com/services/T0/B0/x\n"),
            expected: ["secrets-never-plain: ConfigMap key alertmanager.yaml holds a credential; put it in a Secret"],
        },
        {
            name: "a password in an annotation",
            type: "kubernetes:core/v1:Service",
            mutate: (p) => (p.metadata.annotations = { "example.com/db": "password: hunter2" }),
            expected: ["secrets-never-plain: annotation example.com/db holds a credential; put it in a Secret"],
        },
    ];
    for (const c of cases) {
        it(`fails ${c.name}, with that policy only`, () => {
            const found = violationsAfter(c.type, c.mutate);
            expect(found).to.have.length(c.expected.length);
            c.expected.forEach((e, i) => (typeof e === "string" ? expect(found[i]).to.equal(e) : expect(found[i]).to.match(e)));
        });
    }
});
