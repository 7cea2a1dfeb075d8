import { expect } from "chai";
import { fixtureConfig } from "../support/fixtures";
import { byType, runProgram } from "../support/mocks";

describe("TaskMcpStack", () => {
    it("applies to the kubeconfig's cluster when no renderDirectory is set", async () => {
        const run = await runProgram("dev", fixtureConfig("dev"));
        expect(byType(run, "pulumi:providers:kubernetes")).to.deep.equal([]);
    });

    it("renders through one provider that ignores any KUBECONFIG in the environment", async () => {
        const run = await runProgram("local", { ...fixtureConfig("dev"), renderDirectory: "out/local/manifests" }, { authTokens: "placeholder" });
        expect(run.error).to.equal(undefined);
        const [provider] = byType(run, "pulumi:providers:kubernetes");
        expect(provider.inputs).to.include({ renderYamlToDirectory: "out/local/manifests", kubeconfig: "" });
        const kube = run.resources.filter((r) => r.type.startsWith("kubernetes:"));
        expect(kube.length).to.be.greaterThan(10);
        for (const r of kube) expect(r.provider, r.name).to.contain("pulumi:providers:kubernetes::task-mcp-render");
    });
});
