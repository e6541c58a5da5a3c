// serverless-private-link in wording: what a stack without NCC resources is told to add and how to
// attest it, and the rule a bound NCC lacks (its verdicts are cases beside the feature).

import * as assert from "assert";
import { decideOn } from "../../support/verdicts";
import { nativeWorkspace } from "../../fixtures/native";
import { ncc, nccBinding } from "../../fixtures/outbound";

const F = "serverless-private-link";
const H = { tier: "hardened-connectivity" as const };

describe(`${F} in wording`, () => {
    it("with no NCC resources: says what the stack lacks, what to add and how to attest", async () => {
        const v = await decideOn(() => nativeWorkspace(), H);
        const m = v.diagnostics().filter(d => d.policyName === F).map(d => d.message);
        assert.strictEqual(m.length, 1, v.toString());
        assert.match(m[0], /Found: this stack declares no network connectivity configuration \(NCC\) or NCC binding/);
        assert.match(m[0], /Fix: bind an NCC .*MwsNccBinding.*; then add a rule: .*MwsNccPrivateEndpointRule/);
        assert.match(m[0], /attest it: set "serverless-private-link"/);
    });

    it("a bound NCC without rules: the fix is a private endpoint rule", async () => {
        const v = await decideOn(() => nccBinding("bind", ncc("ncc"), nativeWorkspace().workspace), H);
        const m = v.diagnostics().filter(d => d.policyName === F).map(d => d.message);
        assert.strictEqual(m.length, 1, v.toString());
        assert.match(m[0], /has no private endpoint rule in this stack/);
        assert.match(m[0], /Fix: .*MwsNccPrivateEndpointRule/);
    });
});
