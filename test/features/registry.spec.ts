// Every feature keeps cases beside it that fail it and pass it at each tier that requires it.

import * as assert from "assert";
import { requirement, TIERS } from "../../policies/matrix";
import { FEATURES } from "../../policies/features";
import { SUBSCRIPTION as RECORDED_SUBSCRIPTION } from "../../cli/program/record";
import { SUBSCRIPTION } from "../../fixtures/native";
import { tierExpectations } from "../../fixtures/cases";
import { allFeatureCases } from "../../support/case-runs";
import { SHARDS } from "./suite";
import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { PACK_DIR } from "../harness/global";

describe("feature cases: the registry", () => {
    it("every feature has cases that fail and pass it at each tier that requires it", () => {
        const all = allFeatureCases();
        for (const f of FEATURES) {
            const mine = all.find(x => x.feature === f.id);
            assert.ok(mine, `${f.id}: no cases.ts beside its module`);
            for (const tier of TIERS.filter(t => requirement(f.id, t) === "required")) {
                const at = mine.cases.flatMap(c => tierExpectations(c).filter(([t]) => t === tier).map(([, e]) => e));
                assert.ok(at.some(e => e !== "not-applicable" && e.some(x => (x.feature ?? f.id) === f.id && x.level === "mandatory")), `${f.id}: no case fails it at ${tier}`);
                assert.ok(at.some(e => e !== "not-applicable" && !e.some(x => (x.feature ?? f.id) === f.id && x.level === "mandatory")), `${f.id}: no case passes it at ${tier}`);
            }
        }
    });

    it("cases write ARM IDs in the subscription the mocks give resources", () => {
        assert.strictEqual(SUBSCRIPTION, RECORDED_SUBSCRIPTION);
    });

    it("a spec file per shard of the cases", () => {
        for (let i = 1; i <= SHARDS; i++) {
            assert.ok(fs.existsSync(`${__dirname}/cases-${i}.spec.js`), `test/features/cases-${i}.spec.ts`);
        }
        assert.ok(!fs.existsSync(`${__dirname}/cases-${SHARDS + 1}.spec.js`));
    });

    it("`npm run cases -- <feature-id>` refuses a name that is no feature, listing the features", () => {
        const script = path.join(PACK_DIR, "scripts", "cases.js");
        const typo = spawnSync(process.execPath, [script, "vnet-injectoin"], { encoding: "utf8" });
        assert.strictEqual(typo.status, 2, typo.stderr);
        assert.strictEqual(typo.stderr, `npm run cases: "vnet-injectoin" is not a feature; one of ${FEATURES.map(f => f.id).join(", ")}\n`);
        const none = spawnSync(process.execPath, [script], { encoding: "utf8" });
        assert.strictEqual(none.status, 2);
        assert.match(none.stderr, /^usage: npm run cases -- <feature-id>\n$/);
    });
});
