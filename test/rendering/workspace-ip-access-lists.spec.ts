// What workspace-ip-access-lists says, beyond its verdicts (policies/inbound/workspace-ip-access-lists/cases.ts):
// the fix of a WorkspaceConf that does not enable the lists, and why it is not evaluated.

import * as assert from "assert";
import * as network from "@pulumi/azure-native/network";
import { message } from "../../policies/core/evaluation/render";
import { nativeWorkspace } from "../../fixtures/native";
import { ipAccessLists } from "../../fixtures/inbound";
import { decideOn } from "../../support/verdicts";

const F = "workspace-ip-access-lists";
const HARD = { tier: "hardened-connectivity" as const };

describe(`rendering: ${F}`, () => {
    it("a WorkspaceConf that does not enable the lists names its value and says how to enable the feature", async () => {
        const v = await decideOn(() => ipAccessLists(nativeWorkspace().workspace, { conf: "false" }), HARD);
        const [m] = v.findings(F, "mandatory").map(message);
        assert.ok(m, v.toString());
        assert.match(m, /"acl-conf" \(databricks:index\/workspaceConf:WorkspaceConf\) sets enableIpAccessLists to "false"/);
        assert.match(m, /Fix: enable the feature on the workspace/);
    });

    it("lists explicitly disabled on a workspace without public access: they would govern no traffic today; the ingress policy as the other way", async () => {
        const v = await decideOn(() => ipAccessLists(nativeWorkspace({ publicNetworkAccess: "Disabled" }).workspace, { conf: "false" }), HARD);
        const [m] = v.findings(F, "mandatory").map(message);
        assert.ok(m, v.toString());
        assert.match(m, /^Found: "acl-conf" \(databricks:index\/workspaceConf:WorkspaceConf\) sets enableIpAccessLists to "false" on workspace "prod-ws" \([^)]*\), whose public network access is disabled: IP access lists would govern no traffic today/);
        assert.match(m, /Fix: enable the feature on the workspace: .*; or restrict the workspace's public access with the network policy that governs it: .*RESTRICTED_ACCESS/);
    });

    it("not applicable: why, in words", async () => {
        const empty = await decideOn(() => new network.VirtualNetwork("lonely", { resourceGroupName: "rg", addressSpace: { addressPrefixes: ["10.0.0.0/16"] } }), HARD);
        assert.match(empty.notApplicable(F) ?? "", /no Azure Databricks workspace/);
        const ms = await decideOn(() => ipAccessLists(nativeWorkspace().workspace, { lists: [] }), { tier: "managed-security" });
        assert.match(ms.notApplicable(F) ?? "", /not part of the Managed security/);
    });
});
