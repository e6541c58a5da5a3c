// classic-compute-private-link in wording: the fix of the NSG rules setting does not ask for the
// back-end private endpoint as if it were absent (its verdicts are cases beside the feature).

import * as assert from "assert";
import { message } from "../../policies/core/evaluation/render";
import { nativeWorkspace } from "../../fixtures/native";
import { decideOn } from "../../support/verdicts";

const F = "classic-compute-private-link";

describe(`rendering: ${F}`, () => {
    it("public NSG rules beside a back-end endpoint: the fix sets the rules and names the endpoint as required, not as to add with them", async () => {
        const v = await decideOn(() => nativeWorkspace({ requiredNsgRules: "AllRules", backend: "workspace-vnet" }), { tier: "managed-security" });
        const m = v.findings(F, "mandatory").map(message);
        assert.strictEqual(m.length, 1, v.toString());
        assert.match(m[0], /^Found: requiredNsgRules is "AllRules": clusters reach the control plane over public NSG rules\.\n/);
        assert.match(m[0], /Fix: set `requiredNsgRules: "NoAzureDatabricksRules"`: clusters then reach the control plane only through the back-end \(databricks_ui_api\) private endpoint, which this feature also requires/);
        assert.doesNotMatch(m[0], /together with/);
    });
});
