// The engine (the pack process over gRPC, per-resource Analyze then AnalyzeStack) reports exactly
// what the in-process suite judged, for every feature case, mode and tier.

import * as assert from "assert";
import { thePack } from "../harness/global";
import { modes, tierExpectations } from "../../fixtures/cases";
import { allFeatureCases, recorded } from "../../support/case-runs";
import { ContractRun, contractDifferences } from "../../support/contract";

describe("feature cases through the engine", () => {
    it("the engine reports exactly the in-process verdicts for every case", async function () {
        this.timeout(600_000);
        const runs: ContractRun[] = [];
        for (const { feature, cases } of allFeatureCases()) {
            for (const c of cases) {
                for (const preview of modes(c)) {
                    for (const [tier] of tierExpectations(c)) {
                        runs.push({ stack: await recorded(c, preview), tier, config: c.config, tags: c.tags, title: `${feature}: ${c.name} (${preview ? "preview" : "update"}, ${tier})` });
                    }
                }
            }
        }
        assert.deepStrictEqual(await contractDifferences(thePack(), runs), []);
        assert.ok(runs.length > 0);
    });
});
