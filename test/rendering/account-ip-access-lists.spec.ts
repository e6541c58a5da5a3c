// What account-ip-access-lists says, beyond its verdicts (policies/inbound/account-ip-access-lists/cases.ts):
// how to declare account-policy or attest the lists, and why it is not evaluated.

import * as assert from "assert";
import * as network from "@pulumi/azure-native/network";
import { message } from "../../policies/core/evaluation/render";
import { nativeWorkspace } from "../../fixtures/native";
import { decideOn } from "../../support/verdicts";

const F = "account-ip-access-lists";
const HARD = { tier: "hardened-connectivity" as const };

describe(`rendering: ${F}`, () => {
    it("a missing account-policy says how to declare and import it, and how to attest in both forms", async () => {
        const v = await decideOn(() => nativeWorkspace(), HARD);
        const [m] = v.findings(F, "mandatory").map(message);
        assert.ok(m, v.toString());
        assert.match(m, /Found: this stack does not declare the account's account-policy \(nor any account IP access list\)/);
        assert.match(m, /networkPolicyId: "account-policy"/);
        assert.match(m, /import: "account-policy"/);
        assert.ok(m.includes(`"account-ip-access-lists": {"attestations": [{"reason": "…"}]}`), m);
        assert.ok(m.includes(`attestations: { "account-ip-access-lists": [{ reason: "…" }] }`), m);
    });

    it("not applicable: why, in words", async () => {
        const empty = await decideOn(() => new network.VirtualNetwork("lonely", { resourceGroupName: "rg", addressSpace: { addressPrefixes: ["10.0.0.0/16"] } }), HARD);
        assert.match(empty.notApplicable(F) ?? "", /no Azure Databricks workspace and no Databricks resources/);
        const ms = await decideOn(() => nativeWorkspace(), { tier: "managed-security" });
        assert.match(ms.notApplicable(F) ?? "", /not part of the Managed security/);
    });
});
