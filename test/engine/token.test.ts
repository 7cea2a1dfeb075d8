/**
 * AUTH_TOKENS generated for real: a stack without `authTokens` gets a RandomPassword from the
 * random provider built from ../shared/upstream (scripts/tools.sh), through the CLI and the
 * language host. What a user relies on: the token is a secret in state and in every log, stays
 * put across updates, and changes only when `authTokenRotation` does.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { workload } from "../../components/contract";
import { stateResources, stepRecorder, testStack, TestStack } from "../support/test-stack";

const passwordType = "random:index/randomPassword:RandomPassword";

describe("engine: the generated AUTH_TOKENS (real random provider)", function () {
    this.timeout(600_000);
    let s: TestStack;
    let first: string;
    const logs: string[] = [];
    const onOutput = (out: string) => logs.push(out);
    const token = async () => {
        const out = (await s.stack.outputs()).authTokens;
        expect(out.secret, "authTokens output is a secret").to.equal(true);
        return out.value as string;
    };
    const state = () => fs.readFileSync(s.stateFile, "utf8");

    before(async () => {
        s = await testStack("local", { authTokens: undefined });
        await s.stack.up({ onOutput });
        first = await token();
    });
    after(() => s?.cleanup());

    it("generates one 48-character token with the random plugin, kept only as ciphertext in state", async () => {
        const passwords = (await stateResources(s)).filter((r) => r.type === passwordType);
        expect(passwords).to.have.length(1);
        expect(first).to.match(/^[A-Za-z0-9]{48}$/);
        expect(state()).to.not.contain(first);
        const resource = JSON.parse(state()).checkpoint.latest.resources.find((r: { type: string }) => r.type === passwordType);
        expect(resource.outputs.result).to.have.property("ciphertext");
    });

    it("renders it in plain text in render mode, the caveat the local stack states", () => {
        const secret = parse(fs.readFileSync(path.join(s.manifests, `1-manifest/v1-secret-${workload.namespace}-${workload.name}-auth.yaml`), "utf8"));
        expect(secret.stringData?.[workload.authTokensEnv] ?? Buffer.from(secret.data[workload.authTokensEnv], "base64").toString()).to.equal(first);
        expect(fs.readFileSync(path.join(__dirname, "..", "..", "Pulumi.local.yaml"), "utf8")).to.match(/plain text/);
    });

    it("keeps the same token on a second up: nothing replaced", async () => {
        const recorder = stepRecorder();
        await s.stack.up({ onOutput, onEvent: recorder.onEvent });
        expect(recorder.steps.filter((st) => st.op !== "same")).to.deep.equal([]);
        expect(await token()).to.equal(first);
    });

    it("rotates only when authTokenRotation changes: the password is replaced and the pods roll", async () => {
        await s.stack.setConfig("task-mcp:authTokenRotation", { value: "2026-11" });
        const recorder = stepRecorder();
        await s.stack.preview({ diff: true, onOutput, onEvent: recorder.onEvent });
        const changed = recorder.steps.filter((st) => st.op !== "same").map((st) => `${st.op} ${st.type}`);
        expect(changed).to.include(`replace ${passwordType}`);
        expect(changed).to.include("update kubernetes:apps/v1:Deployment");
        await s.stack.up({ onOutput });
        const second = await token();
        expect(second)
            .to.match(/^[A-Za-z0-9]{48}$/)
            .and.not.equal(first);
        expect(state()).to.not.contain(second);
    });

    it("never printed a token in any preview, diff or update output", () => {
        const all = logs.join("");
        expect(all.length).to.be.greaterThan(1000);
        expect(all).to.not.contain(first);
    });
});
