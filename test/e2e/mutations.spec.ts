// Every feature's mutations cover the reference programs, and docs/mutations.md lists them.

import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { FEATURES } from "../../policies/features";
import { requirement } from "../../policies/matrix";
import { MUTATIONS } from "./mutations";
import { PROGRAMS, REPO_DIR } from "./programs";
import { mutationsTable, programsOf } from "./table";

describe("end to end: the mutations", () => {
    it("has a mutation for every registered feature each program's tier requires", () => {
        for (const p of PROGRAMS) {
            for (const f of FEATURES.filter(f => requirement(f.id, p.tier) === "required")) {
                assert.ok(MUTATIONS.some(m => m.feature === f.id && programsOf(m).includes(p.tier)), `${p.tier}: no mutation breaks ${f.id}`);
            }
        }
    });

    it("docs/mutations.md lists the mutations the suite runs", () => {
        const doc = fs.readFileSync(path.join(REPO_DIR, "docs", "mutations.md"), "utf8");
        assert.strictEqual(doc, mutationsTable(), "docs/mutations.md is stale: run `npm run generate:mutations`");
    });

});
