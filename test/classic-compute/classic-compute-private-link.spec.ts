import * as assert from "assert";
import * as network from "@pulumi/azure-native/network";
import { check } from "../harness/check";
import { nativeWorkspace } from "../../support/fixtures/native";
import { classicWorkspace } from "../../support/fixtures/classic";
import { SUBSCRIPTION } from "../../support/program";

const F = "classic-compute-private-link";

describe(F, () => {
    it("passes NoAzureDatabricksRules + Premium + a databricks_ui_api endpoint from the workspace VNet (update and preview)", async () => {
        for (const preview of [false, true]) {
            const v = await check(() => nativeWorkspace(), { preview });
            assert.deepStrictEqual(v.of(F), [], `${preview ? "preview" : "update"}:\n${v}`);
        }
    });

    it("fails a workspace that sets NoAzureDatabricksRules but has no back-end endpoint", async () => {
        const v = await check(() => nativeWorkspace({ backend: "none" }));
        const m = v.mandatory(F);
        assert.strictEqual(m.length, 1, v.toString());
        assert.strictEqual(m[0].urn, v.urn("prod-ws"));
        assert.match(m[0].message, /no private endpoint in this stack targets this workspace with group databricks_ui_api/);
        assert.match(m[0].message, /Fix: add a private endpoint in a subnet of the workspace's VNet/);
    });

    it("fails at preview too when no endpoint exists at all (nothing is unknown about an absent resource)", async () => {
        const v = await check(() => nativeWorkspace({ backend: "none" }), { preview: true });
        assert.strictEqual(v.mandatory(F).length, 1, v.toString());
    });

    it("does not count an endpoint in another VNet (a front-end endpoint)", async () => {
        const v = await check(() => nativeWorkspace({ backend: "other-vnet" }));
        const m = v.mandatory(F);
        assert.strictEqual(m.length, 1, v.toString());
        assert.match(m[0].message, /exist only outside its VNet: "prod-backend"/);
    });

    it("does not count an endpoint to another workspace; two workspaces are judged separately", async () => {
        const v = await check(() => {
            const b = nativeWorkspace({ name: "b", backend: "none" });
            nativeWorkspace({ name: "a", endpointTarget: b.workspace.id });
            nativeWorkspace({ name: "c" });
        });
        const m = v.mandatory(F);
        assert.deepStrictEqual(m.map(d => d.urn).sort(), [v.urn("a-ws"), v.urn("b-ws")].sort(), v.toString());
    });

    it("does not count an endpoint to a workspace outside the stack", async () => {
        const other = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-other/providers/Microsoft.Databricks/workspaces/elsewhere`;
        const v = await check(() => nativeWorkspace({ endpointTarget: other }));
        assert.strictEqual(v.mandatory(F).length, 1, v.toString());
    });

    it("matches an endpoint whose target is the workspace's ARM ID in other letter case", async () => {
        const upper = `/SUBSCRIPTIONS/${SUBSCRIPTION}/RESOURCEGROUPS/RG-DBX/PROVIDERS/MICROSOFT.DATABRICKS/WORKSPACES/PROD-WS`;
        const v = await check(() => nativeWorkspace({ endpointTarget: upper }));
        assert.deepStrictEqual(v.of(F), [], v.toString());
    });

    it("fails requiredNsgRules AllRules, and an omitted value (default AllRules)", async () => {
        for (const requiredNsgRules of ["AllRules", "omit"]) {
            const v = await check(() => nativeWorkspace({ requiredNsgRules }));
            const m = v.mandatory(F);
            assert.strictEqual(m.length, 1, v.toString());
            assert.match(m[0].message, /requiredNsgRules "NoAzureDatabricksRules"/);
        }
    });

    it("compares the requiredNsgRules value as Azure does, in any letter case", async () => {
        const v = await check(() => nativeWorkspace({ requiredNsgRules: "noAzureDatabricksRules" }));
        assert.deepStrictEqual(v.mandatory(F), [], v.toString());
    });

    it("fails a Standard workspace: Private Link needs Premium", async () => {
        const v = await check(() => nativeWorkspace({ sku: "standard" }));
        const m = v.mandatory(F);
        assert.strictEqual(m.length, 1, v.toString());
        assert.match(m[0].message, /SKU is "standard": Private Link requires the Premium SKU/);
    });

    it("recognises a versioned azure-native token", async () => {
        const v = await check(() => nativeWorkspace({ workspaceToken: "azure-native:databricks/v20240501:Workspace" }));
        assert.deepStrictEqual(v.of(F), [], v.toString());
        const bad = await check(() => nativeWorkspace({ workspaceToken: "azure-native:databricks/v20240501:Workspace", backend: "none" }));
        assert.strictEqual(bad.mandatory(F).length, 1, bad.toString());
    });

    it("at preview, an endpoint whose group IDs are unknown is unverified, not passed", async () => {
        const v = await check(() => {
            const { workspace } = nativeWorkspace({ backend: "none" });
            const pe = new network.Subnet("late-pe", { resourceGroupName: "rg-dbx", virtualNetworkName: "prod-vnet", subnetName: "late-pe" });
            new network.PrivateEndpoint("late", {
                resourceGroupName: "rg-dbx", subnet: { id: pe.id },
                privateLinkServiceConnections: [{ name: "x", privateLinkServiceId: workspace.id, groupIds: [pe.name as unknown as string] }],
            });
        }, { preview: true });
        assert.deepStrictEqual(v.mandatory(F), [], v.toString());
        assert.match(v.advisory(F).map(d => d.message).join("\n"), /cannot be confirmed: "late" .*group IDs are unknown until apply/);
    });

    it("an attestation covers a back-end endpoint managed in another stack; an exemption is reported", async () => {
        const attested = await check(() => nativeWorkspace({ backend: "none" }), {
            config: { [F]: { attestations: [{ reason: "back-end endpoint in the hub stack", workspaces: ["prod-ws"] }] } },
        });
        assert.deepStrictEqual(attested.mandatory(F), [], attested.toString());
        assert.match(attested.advisory(F)[0].message, /Attested outside this stack: back-end endpoint in the hub stack/);

        const otherScope = await check(() => nativeWorkspace({ backend: "none" }), {
            config: { [F]: { attestations: [{ reason: "covers another workspace", workspaces: ["another-ws"] }] } },
        });
        assert.strictEqual(otherScope.mandatory(F).length, 1, otherScope.toString());

        const exempted = await check(() => nativeWorkspace({ backend: "none" }), {
            config: { [F]: { exemptions: [{ resource: "prod-ws", reason: "sandbox, decommissioned in Q1", expires: "2999-01-01" }] } },
        });
        assert.deepStrictEqual(exempted.mandatory(F), [], exempted.toString());
        assert.match(exempted.advisory(F)[0].message, /Exempted: sandbox, decommissioned in Q1 \(until 2999-01-01\)/);

        const expired = await check(() => nativeWorkspace({ backend: "none" }), {
            config: { [F]: { exemptions: [{ resource: "prod-ws", reason: "old", expires: "2000-01-01" }] } },
        });
        assert.strictEqual(expired.mandatory(F).length, 1, expired.toString());
    });

    it("does not attest a contradiction: AllRules stays mandatory even with an attestation", async () => {
        const v = await check(() => nativeWorkspace({ requiredNsgRules: "AllRules" }), {
            config: { [F]: { attestations: [{ reason: "elsewhere" }] } },
        });
        assert.strictEqual(v.mandatory(F).length, 1, v.toString());
    });

    describe("classic azure", () => {
        it("passes networkSecurityGroupRulesRequired NoAzureDatabricksRules with an azure.privatelink.Endpoint (update and preview)", async () => {
            for (const preview of [false, true]) {
                const v = await check(() => classicWorkspace(), { preview });
                assert.deepStrictEqual(v.of(F), [], `${preview ? "preview" : "update"}:\n${v}`);
            }
        });

        it("advises (never blocks) when no private DNS zone for privatelink.azuredatabricks.net is declared", async () => {
            const v = await check(() => classicWorkspace({ dns: false }));
            assert.deepStrictEqual(v.mandatory(F), [], v.toString());
            assert.match(v.advisory(F)[0]?.message ?? "", /Note: the workspace's private endpoints have no private DNS zone privatelink\.azuredatabricks\.net/, v.toString());
        });

        it("fails without the endpoint, and with AllRules", async () => {
            const noEp = await check(() => classicWorkspace({ backend: "none" }));
            assert.strictEqual(noEp.mandatory(F).length, 1, noEp.toString());
            const allRules = await check(() => classicWorkspace({ nsgRulesRequired: "AllRules" }));
            assert.match(allRules.mandatory(F)[0]?.message ?? "", /networkSecurityGroupRulesRequired is "AllRules"/, allRules.toString());
        });
    });
});
