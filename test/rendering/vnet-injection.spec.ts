// Which subnet a vnet-injection problem is about shows only in its wording: subnets whose names are
// unknown at preview are given their role through the workspace's dependencies, never by
// declaration order, so the same problems read the same at preview and update.

import * as assert from "assert";
import { subnetsNamedByOutputs } from "../../fixtures/native";
import { decideOn, InProcessVerdict } from "../../support/verdicts";

const texts = (v: InProcessVerdict) => v.diagnostics()
    .filter(d => d.enforcementLevel === "mandatory" && d.policyName === "vnet-injection")
    .map(d => d.message).sort();

describe("vnet-injection: subnet roles in the wording", () => {
    it("subnets named by outputs unknown at preview read the same at preview and update", async () => {
        const [preview, update] = [await decideOn(subnetsNamedByOutputs, { preview: true }), await decideOn(subnetsNamedByOutputs)];
        assert.strictEqual(texts(update).length, 2, update.toString());
        assert.deepStrictEqual(texts(preview), texts(update));
        assert.ok(texts(update).some(m => /subnet "host" .* is delegated to nothing/.test(m)), update.toString());
        assert.ok(texts(update).some(m => /subnet "container" .* has no network security group/.test(m)), update.toString());
    });
});
