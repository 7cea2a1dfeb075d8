/**
 * The policy pack (policy/) under the real engine: it runs in every preview and update, and a
 * program that breaks one policy fails the preview with that policy's message and changes nothing.
 * Also the premise of secrets-never-plain: what sits in a Secret is encrypted in state.
 */
import { EngineEvent, PulumiFn } from "@pulumi/pulumi/automation";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import * as fs from "fs";
import { taskMcpProgram } from "../../components/program";
import { policyPack } from "../../scripts/lib/engine";
import { renderedFiles, stateResources, testStack } from "../support/test-stack";

interface Violation {
    policy: string;
    level: string;
    resource: string;
    message: string;
}

function violationRecorder() {
    const violations: Violation[] = [];
    return {
        violations,
        onEvent: (event: EngineEvent) => {
            const p = event.policyEvent;
            if (p) violations.push({ policy: p.policyName, level: p.enforcementLevel, resource: p.resourceUrn?.split("::").pop() ?? "", message: p.message });
        },
    };
}

/** This repository's program, with one resource of `type` changed by `mutate` on the way to the engine. */
function brokenProgram(type: string, mutate: (props: any) => void): PulumiFn {
    return async () => {
        let done = false;
        pulumi.runtime.registerResourceTransform((args) => {
            if (done || args.type !== type) return undefined;
            done = true;
            const props = structuredClone(args.props);
            mutate(props);
            return { props, opts: args.opts };
        });
        return taskMcpProgram();
    };
}

const container = (props: any) => props.spec.template.spec.containers[0];

describe("engine: the policy pack", function () {
    this.timeout(600_000);

    for (const profile of ["upstream", "upstream-otel", "guide"]) {
        it(`passes the dev stack with server profile ${profile}`, async () => {
            const s = await testStack("dev", { server: { profile } });
            try {
                const recorder = violationRecorder();
                await s.stack.preview({ onEvent: recorder.onEvent });
                expect(recorder.violations).to.deep.equal([]);
            } finally {
                s.cleanup();
            }
        });
    }

    it("runs in every preview and passes the dev stack", async () => {
        const s = await testStack("dev");
        try {
            const recorder = violationRecorder();
            let packs: Record<string, string> = {};
            await s.stack.preview({
                onEvent: (e) => {
                    recorder.onEvent(e);
                    // The CLI sends "PolicyPacks" (keyed "<name>|local|<path>"), not the typed "policyPacks".
                    if (e.summaryEvent) packs = (e.summaryEvent as unknown as { PolicyPacks: Record<string, string> }).PolicyPacks;
                },
            });
            expect(packs).to.deep.equal({ [`task-mcp|local|${policyPack}`]: "0.1.0" });
            expect(recorder.violations).to.deep.equal([]);
        } finally {
            s.cleanup();
        }
    });

    const cases = [
        {
            policy: "pinned-images",
            resource: "task-mcp-svc-deployment",
            program: brokenProgram("kubernetes:apps/v1:Deployment", (p) => (container(p).image = "ghcr.io/fission-ai/task-mcp-http:latest")),
            message: /container task-mcp-http image ghcr\.io\/fission-ai\/task-mcp-http:latest uses the latest tag; pin a version tag or a digest/,
        },
        {
            policy: "restricted-security-context",
            resource: "task-mcp-svc-deployment",
            program: brokenProgram("kubernetes:apps/v1:Deployment", (p) => (container(p).securityContext.allowPrivilegeEscalation = true)),
            message: /container task-mcp-http does not set allowPrivilegeEscalation: false/,
        },
        {
            // The guide's probe on pods of the upstream server (which answers it 404): never Ready.
            policy: "task-mcp-probes",
            resource: "task-mcp-svc-deployment",
            program: brokenProgram("kubernetes:apps/v1:Deployment", (p) => (container(p).readinessProbe.httpGet.path = "/health/ready")),
            message: /readiness probe gets \/health\/ready on port app; expected \/readyz on port app \(3001\) \(server profile upstream\)/,
        },
        {
            policy: "alerts-link-runbooks",
            resource: "task-mcp-mon-rules",
            program: brokenProgram(
                "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
                (p) => delete p.spec.groups[0].rules.find((r: any) => r.alert).annotations.runbook_url,
            ),
            message: /alert \w+ \(group [\w.-]+\) has no runbook_url annotation/,
        },
    ];
    for (const c of cases) {
        it(`fails the preview when ${c.policy} is broken, with its message`, async () => {
            const s = await testStack("dev", {}, c.program);
            try {
                const recorder = violationRecorder();
                const error = await s.stack.preview({ onEvent: recorder.onEvent }).then(
                    () => undefined,
                    (e: Error) => e,
                );
                expect(error, "preview must fail").to.be.instanceOf(Error);
                expect(recorder.violations).to.have.length(1);
                const [v] = recorder.violations;
                expect({ policy: v.policy, level: v.level, resource: v.resource }).to.deep.equal({
                    policy: c.policy,
                    level: "mandatory",
                    resource: c.resource,
                });
                expect(v.message).to.match(c.message);
            } finally {
                s.cleanup();
            }
        });
    }

    it("refuses an update that breaks a policy before anything is applied", async () => {
        const s = await testStack("dev", {}, cases[0].program);
        try {
            const error = await s.stack.up().then(
                () => undefined,
                (e: Error) => e,
            );
            expect(error, "up must fail").to.be.instanceOf(Error);
            expect(String(error)).to.contain("pinned-images");
            expect(renderedFiles(s.manifests)).to.deep.equal([]);
            expect(await stateResources(s)).to.deep.equal([]);
        } finally {
            s.cleanup();
        }
    });

    it("relies on the provider keeping Secret data encrypted in state, even when given plain text", async () => {
        const value = "plain-text-given-to-a-secret";
        const s = await testStack("dev", {}, async () => {
            const render = new k8s.Provider("render", { renderYamlToDirectory: "manifests" });
            new k8s.core.v1.Secret("plain", { metadata: { name: "plain", namespace: "default" }, stringData: { key: value } }, { provider: render });
            return {};
        });
        try {
            await s.stack.up();
            const state = fs.readFileSync(s.stateFile, "utf8");
            expect(state).to.contain('"kubernetes:core/v1:Secret"');
            for (const form of [value, Buffer.from(value).toString("base64")]) expect(state).to.not.contain(form);
        } finally {
            s.cleanup();
        }
    });
});
