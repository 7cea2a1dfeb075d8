import { expect } from "chai";
import { durationSeconds } from "../../components/duration";
import { imageReference } from "../../components/image";

describe("the one image-reference parser", () => {
    it("splits name, tag and digest; a registry port is not a tag", () => {
        expect(imageReference("ghcr.io/fission-ai/task-mcp-http:1.4.2")).to.deep.equal({ name: "ghcr.io/fission-ai/task-mcp-http", tag: "1.4.2" });
        expect(imageReference("registry:5000/team/app")).to.deep.equal({ name: "registry:5000/team/app" });
        expect(imageReference("registry:5000/team/app:latest")).to.deep.equal({ name: "registry:5000/team/app", tag: "latest" });
        const digest = "a".repeat(64);
        expect(imageReference(`repo/app@sha256:${digest}`)).to.deep.equal({ name: "repo/app", digest });
        expect(imageReference(`repo/app:1.0@sha256:${digest}`)).to.deep.equal({ name: "repo/app", tag: "1.0", digest });
    });
});

describe("the one duration parser", () => {
    it("reads Prometheus durations, composite ones included", () => {
        expect(durationSeconds("5m")).to.equal(300);
        expect(durationSeconds("3d1h5m")).to.equal(3 * 86400 + 3600 + 300);
        expect(durationSeconds("500ms")).to.equal(0.5);
        expect(durationSeconds("1w")).to.equal(604800);
    });

    it("refuses what is not a duration", () => {
        for (const bad of ["", "5", "5 m", "m5", "5x", "1h-5m"]) expect(() => durationSeconds(bad), bad).to.throw(/not a duration/);
    });
});
