// Why the inbound features are not evaluated, as the engine reports it (the cases show only that
// they are not), and that a fully isolated stack has every one of them evaluated.

import * as assert from "assert";
import * as network from "@pulumi/azure-native/network";
import { decideOn } from "../../support/verdicts";
import { nativeWorkspace } from "../../fixtures/native";
import { inboundWorkspace, ipAccessLists, recipient, serviceDirect } from "../../fixtures/inbound";
import { MATRIX } from "../../policies/matrix";

const INBOUND = MATRIX.filter(r => r.group === "inbound").map(r => r.id);

describe("inbound features: not-applicable reasons", () => {
    it("the Private Link features: not part of Managed security or Hardened connectivity; no workspace", async () => {
        const ws = () => nativeWorkspace();
        for (const f of ["workspace-inbound-private-link", "performance-services-private-link"]) {
            assert.match((await decideOn(ws, { tier: "managed-security" })).notApplicable(f) ?? "", /not part of the Managed security/, f);
            assert.match((await decideOn(ws, { tier: "hardened-connectivity" })).notApplicable(f) ?? "", /not part of the Hardened connectivity/, f);
        }
        const lonely = await decideOn(() => new network.VirtualNetwork("lonely", { resourceGroupName: "rg", addressSpace: { addressPrefixes: ["10.0.0.0/16"] } }), { tier: "isolated-environment" });
        assert.match(lonely.notApplicable("workspace-inbound-private-link") ?? "", /no Azure Databricks workspace/);
        const endpointOnly = await decideOn(() => serviceDirect({ register: true }), { tier: "isolated-environment" });
        assert.match(endpointOnly.notApplicable("performance-services-private-link") ?? "", /no Azure Databricks workspace/);
    });

    it("delta-sharing-ip-access-lists: no TOKEN recipient, no recipient, not part of Managed security", async () => {
        const F = "delta-sharing-ip-access-lists";
        const d2d = await decideOn(() => { nativeWorkspace(); recipient("d2d", "DATABRICKS"); }, { tier: "hardened-connectivity" });
        assert.match(d2d.notApplicable(F) ?? "", /no Delta Sharing recipient with TOKEN/);
        const none = await decideOn(() => nativeWorkspace(), { tier: "hardened-connectivity" });
        assert.match(none.notApplicable(F) ?? "", /no Delta Sharing recipient/);
        const ms = await decideOn(() => recipient("partner", "TOKEN"), { tier: "managed-security" });
        assert.match(ms.notApplicable(F) ?? "", /not part of the Managed security/);
    });

    it("a fully isolated stack has every inbound feature evaluated (update and preview)", async () => {
        for (const preview of [false, true]) {
            const v = await decideOn(() => {
                const { workspace } = inboundWorkspace({ frontEnd: "transit", browserAuth: "self" });
                serviceDirect({ register: true });
                ipAccessLists(workspace, { conf: "true" });
                recipient("partner", "TOKEN", ["203.0.113.0/24"]);
            }, { tier: "isolated-environment", preview });
            for (const id of INBOUND) {
                assert.strictEqual(v.notApplicable(id), undefined, `${id} preview=${preview}`);
            }
        }
    });
});
