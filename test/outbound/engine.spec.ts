import * as assert from "assert";
import { thePack } from "../harness/global";
import { analyzeStack } from "../harness/check";
import { runProgram } from "../../support/program";
import { nativeWorkspace } from "../../support/fixtures/native";
import { egressPolicy, ncc, nccBinding, networkOption } from "../../support/fixtures/outbound";
import { MATRIX } from "../../policies/matrix";

const OUTBOUND = MATRIX.filter(r => r.group === "outbound").map(r => r.id);

describe("the outbound group as the engine sees it", () => {
    it("GetAnalyzerInfo describes every outbound policy with its feature and group tags, remediation and tiers", async () => {
        const info = await thePack().getAnalyzerInfo();
        for (const id of OUTBOUND) {
            const p = info.policies.find(x => x.name === id);
            assert.ok(p, `no policy ${id} in ${info.policies.map(x => x.name).join(", ")}`);
            assert.ok(p.tags.includes(`feature:${id}`), `${id}: ${p.tags.join(", ")}`);
            assert.ok(p.tags.includes("group:outbound"), `${id}: ${p.tags.join(", ")}`);
            assert.match(p.remediationSteps, /new (databricks|azure_native)\./, id);
            assert.match(p.url, /^https:\/\/learn\.microsoft\.com\//, id);
            assert.ok(p.description.length > 40, id);
        }
        const fw = info.policies.find(x => x.name === "external-firewall");
        assert.ok(fw?.tags.includes("tier:isolated-environment:required") && fw.tags.includes("tier:hardened-connectivity:optional"), fw?.tags.join(", "));
    });

    it("AnalyzeStack over gRPC: one stack, every outbound policy judged at its tier's level", async () => {
        const stack = await runProgram(() => {
            const { workspace } = nativeWorkspace();
            networkOption("opt", workspace, egressPolicy("open", { restrictionMode: "FULL_ACCESS" }));
            nccBinding("bind", ncc("ncc", "eastus"), workspace);
        }, { preview: false });
        const v = await analyzeStack(stack, { tier: "hardened-connectivity" });
        const ws = v.urn("prod-ws");
        assert.ok(v.mandatory("serverless-egress-control").some(d => d.urn === ws), v.toString());
        assert.ok(v.mandatory("serverless-private-link").some(d => /region "eastus"/.test(d.message)), v.toString());
        assert.ok(v.mandatory("serverless-stable-ips").some(d => /region "eastus"/.test(d.message)), v.toString());
        assert.deepStrictEqual(v.mandatory("external-firewall"), [], v.toString());
        assert.ok(v.advisory("external-firewall").length > 0, v.toString());
        assert.ok(v.mandatory("cloud-service-private-access").some(d => /defaultStorageFirewall is not set/.test(d.message)), v.toString());
        const managed = await analyzeStack(stack, { tier: "managed-security" });
        for (const id of ["serverless-egress-control", "serverless-private-link", "cloud-service-private-access"]) {
            assert.deepStrictEqual(managed.of(id), [], managed.toString());
            assert.ok(managed.notApplicable(id), id);
        }
    });
});
