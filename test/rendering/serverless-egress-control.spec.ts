// serverless-egress-control in wording: what a stack without account-level resources is told to
// add and how to attest it (policy pack configuration and library), and the fix of an open policy
// (its verdicts are cases beside the feature).

import * as assert from "assert";
import { decideOn } from "../../support/verdicts";
import { nativeWorkspace } from "../../fixtures/native";
import { egressPolicy, networkOption } from "../../fixtures/outbound";

const F = "serverless-egress-control";
const H = { tier: "hardened-connectivity" as const };

describe(`${F} in wording`, () => {
    it("with no account-level resources: says what the stack lacks, what to add and how to attest", async () => {
        const v = await decideOn(() => nativeWorkspace(), H);
        const m = v.diagnostics().filter(d => d.policyName === F).map(d => d.message);
        assert.strictEqual(m.length, 1, v.toString());
        assert.match(m[0], /Found: this stack declares no account network policy or workspace network option/);
        assert.match(m[0], /Fix: declare a restricted policy and apply it: .*new databricks\.WorkspaceNetworkOption/);
        assert.match(m[0], /attest it: set "serverless-egress-control": \{"attestations"/);
        assert.match(m[0], /library: `attestations: \{ "serverless-egress-control": \[\{ reason: "…" \}\] \}`/);
    });

    it("a FULL_ACCESS policy: names the restriction mode and fixes it with RESTRICTED_ACCESS", async () => {
        const v = await decideOn(() => networkOption("opt", nativeWorkspace().workspace, egressPolicy("open", { restrictionMode: "FULL_ACCESS" })), H);
        const m = v.diagnostics().filter(d => d.policyName === F).map(d => d.message);
        assert.strictEqual(m.length, 1, v.toString());
        assert.match(m[0], /restrictionMode "FULL_ACCESS"/);
        assert.match(m[0], /Fix: .*RESTRICTED_ACCESS/);
    });
});
