// Feature cases (policies/<group>/<feature>/cases.ts) judged two ways from one definition: in process
// by the pack's one decision function (the edit–test loop), then the same recordings through the
// engine (the pack process over gRPC, per-resource Analyze then AnalyzeStack), which must report
// exactly the same diagnostics. The cases are dealt round-robin over a few spec files (shards), so
// that mocha's workers share them evenly whatever the number of cases per feature.

import * as assert from "assert";
import { isDeepStrictEqual } from "util";
import { thePack } from "../harness/global";
import { modes, tierExpectations } from "../../fixtures/cases";
import { allFeatureCases, caseFailure, judgeCase, normalised, observedFindings, recorded } from "../../support/case-runs";
import { ContractRun, contractDifferences } from "../../support/contract";
/** How many spec files the cases are dealt over (test/features/cases-<n>.spec.ts). */
export const SHARDS = 4;

/** One feature's cases only, as `npm run cases -- <feature-id>` (scripts/cases.js) asks. */
const ONLY = process.env.DATABRICKS_NETWORK_CASES;

export function featureCases(shard: number): void {
    let n = 0;
    const shardCases = allFeatureCases().filter(x => ONLY === undefined || x.feature === ONLY)
        .map(({ feature, cases }) => ({ feature, cases: cases.filter(() => n++ % SHARDS === shard) }));
    if (ONLY !== undefined && shardCases.every(x => x.cases.length === 0)) {
        return;
    }
    describe(`feature cases (${shard + 1} of ${SHARDS})`, () => {
        for (const { feature, cases } of shardCases.filter(x => x.cases.length > 0)) {
            describe(feature, () => {
                for (const c of cases) {
                    it(c.name, async () => {
                        for (const preview of modes(c)) {
                            for (const [tier, expected] of tierExpectations(c)) {
                                const v = await judgeCase(c, preview, tier);
                                const judged = [feature, ...c.alsoJudges ?? []];
                                const [actual, wanted] = [observedFindings(v, judged), normalised(expected, feature)];
                                // The message (every diagnostic rendered) only for a case that fails.
                                if (!isDeepStrictEqual(actual, wanted)) {
                                    assert.deepStrictEqual(actual, wanted, caseFailure(feature, judged, `${preview ? "preview" : "update"}, ${tier}`, wanted, actual, v));
                                }
                                assert.deepStrictEqual(v.sharedIdentities(), [], `${preview ? "preview" : "update"}, ${tier}: distinct findings share an identity`);
                            }
                        }
                    });
                }
            });
        }

        it("through the engine: exactly the in-process verdicts for every case, mode and tier", async function () {
            this.timeout(600_000);
            const runs: ContractRun[] = [];
            for (const { feature, cases } of shardCases) {
                for (const c of cases) {
                    for (const preview of modes(c)) {
                        for (const [tier] of tierExpectations(c)) {
                            runs.push({ stack: await recorded(c, preview), tier, config: c.config, tags: c.tags, title: `${feature}: ${c.name} (${preview ? "preview" : "update"}, ${tier})` });
                        }
                    }
                }
            }
            assert.ok(runs.length > 0, "no cases in this shard");
            assert.deepStrictEqual(await contractDifferences(thePack(), runs), []);
        });
    });
}
