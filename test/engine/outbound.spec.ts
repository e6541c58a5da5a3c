// The outbound group as the engine describes it (GetAnalyzerInfo over gRPC). What the engine
// reports for outbound stacks is judged by the feature cases through the engine
// (test/features/).

import * as assert from "assert";
import { thePack } from "../harness/global";
import { MATRIX } from "../../policies/matrix";

const OUTBOUND = MATRIX.filter(r => r.group === "outbound").map(r => r.id);

describe("the outbound group as the engine describes it", () => {
    it("GetAnalyzerInfo describes every outbound policy with its feature and group tags, remediation and tiers", async () => {
        const info = await thePack().info();
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
});
