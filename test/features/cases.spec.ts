// Every feature's cases (policies/<group>/<feature>/cases.ts), judged in process by the pack's one
// decision function: the edit–test loop. test/features/contract.spec.ts runs the same recordings
// through the engine.

import * as assert from "assert";
import { requirement, TIERS } from "../../policies/matrix";
import { FEATURES } from "../../policies/features";
import { SUBSCRIPTION as RECORDED_SUBSCRIPTION } from "../../cli/record";
import { SUBSCRIPTION } from "../../fixtures/native";
import { modes, tierExpectations } from "../../fixtures/cases";
import { allFeatureCases, judgeCase, normalised, observedOutcomes } from "../../support/case-runs";

const ALL = allFeatureCases();

describe("feature cases", () => {
    for (const { feature, cases } of ALL) {
        describe(feature, () => {
            for (const c of cases) {
                it(c.name, async () => {
                    for (const preview of modes(c)) {
                        for (const [tier, expected] of tierExpectations(c)) {
                            const v = await judgeCase(c, preview, tier);
                            const judged = [feature, ...c.alsoJudges ?? []];
                            assert.deepStrictEqual(observedOutcomes(v, judged), normalised(expected, feature),
                                `${preview ? "preview" : "update"}, ${tier}\n${v.toString()}`);
                        }
                    }
                });
            }
        });
    }

    it("every feature has cases that fail and pass it at each tier that requires it", () => {
        for (const f of FEATURES) {
            const mine = ALL.find(x => x.feature === f.id);
            assert.ok(mine, `${f.id}: no cases.ts beside its module`);
            for (const tier of TIERS.filter(t => requirement(f.id, t) === "required")) {
                const at = mine.cases.flatMap(c => tierExpectations(c).filter(([t]) => t === tier).map(([, e]) => e));
                assert.ok(at.some(e => e !== "not-applicable" && e.some(x => (x.feature ?? f.id) === f.id && x.level === "mandatory")), `${f.id}: no case fails it at ${tier}`);
                assert.ok(at.some(e => e !== "not-applicable" && !e.some(x => (x.feature ?? f.id) === f.id && x.level === "mandatory")), `${f.id}: no case passes it at ${tier}`);
            }
        }
    });

    it("writes ARM IDs in the subscription the mocks give resources", () => {
        assert.strictEqual(SUBSCRIPTION, RECORDED_SUBSCRIPTION);
    });
});
