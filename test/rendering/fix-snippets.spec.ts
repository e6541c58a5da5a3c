// Fixes are written for the program in front of the user: azurerm-style for a classic @pulumi/azure
// workspace, azure-native for an azure-native one.

import * as assert from "assert";
import { decideOn, InProcessVerdict } from "../../support/verdicts";
import { nativeWorkspace } from "../../fixtures/native";
import { classicWorkspace } from "../../fixtures/classic";
import { classicWorkspace as classicInbound } from "../../fixtures/inbound";

const mandatoryMessages = (v: InProcessVerdict, feature?: string) => v.diagnostics()
    .filter(d => d.enforcementLevel === "mandatory" && (feature === undefined || d.policyName === feature || d.policyName === `${feature}-resource`))
    .map(d => d.message);

describe("fix snippets follow the program's provider", () => {
    it("a classic @pulumi/azure workspace gets azurerm-style private endpoint fixes", async () => {
        const v = await decideOn(() => classicInbound({ publicNetworkAccessEnabled: false, frontEnd: false, browserAuth: false }), { tier: "isolated-environment" });
        const fixes = mandatoryMessages(v).filter(m => /private endpoint/.test(m)).join("\n");
        assert.match(fixes, /new azure\.privatelink\.Endpoint\(/, v.toString());
        assert.doesNotMatch(fixes, /azure_native\.network\.PrivateEndpoint/);
    });

    it("a classic workspace's Secure Cluster Connectivity fix sets customParameters", async () => {
        const v = await decideOn(() => classicWorkspace({ noPublicIp: false }));
        assert.match(mandatoryMessages(v, "secure-cluster-connectivity")[0] ?? "", /customParameters: \{ noPublicIp: true/, v.toString());
    });

    it("an azure-native workspace's back-end endpoint fix is an azure-native PrivateEndpoint", async () => {
        const v = await decideOn(() => nativeWorkspace({ backend: "none" }));
        assert.match(mandatoryMessages(v, "classic-compute-private-link")[0] ?? "", /new azure_native\.network\.PrivateEndpoint\(/, v.toString());
    });
});
