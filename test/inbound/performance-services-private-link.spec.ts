import * as assert from "assert";
import * as network from "@pulumi/azure-native/network";
import { check, Verdicts } from "../harness/check";
import { nativeWorkspace } from "../../support/fixtures/native";
import { classicWorkspace, OTHER_SUB, SERVICE_DIRECT_PLS, serviceDirect } from "../../support/fixtures/inbound";

const F = "performance-services-private-link";
const ISO = { tier: "isolated-environment" as const };
const ATTESTED = { [F]: { attestations: [{ reason: "the westeurope Service Direct endpoint is in the connectivity hub stack" }] } };

function onlyMandatory(v: Verdicts): string {
    const m = v.mandatory(F);
    assert.strictEqual(m.length, 1, v.toString());
    return m[0].message;
}

describe(F, () => {
    it("passes a registered service_direct endpoint (manual connection) in the workspace's region, at update and at preview", async () => {
        for (const preview of [false, true]) {
            const v = await check(() => { nativeWorkspace(); serviceDirect({ register: true }); }, { ...ISO, preview });
            assert.strictEqual(v.notApplicable(F), undefined);
            assert.deepStrictEqual(v.of(F), [], `preview=${preview}\n${v.toString()}`);
        }
    });

    it("an automatic connection in a stack without account resources passes, with an advisory note about registration", async () => {
        const v = await check(() => { nativeWorkspace(); serviceDirect({ manual: false }); }, ISO);
        assert.deepStrictEqual(v.mandatory(F), [], v.toString());
        const a = v.advisory(F);
        assert.strictEqual(a.length, 1, v.toString());
        assert.match(a[0].message, /Note: "service-direct" .* must also be registered with the Databricks account \(databricks\.Endpoint\)/);
    });

    it("a stack that manages account resources must register the endpoint (attestable)", async () => {
        const m = onlyMandatory(await check(() => { nativeWorkspace(); serviceDirect({ accountProvider: true }); }, ISO));
        assert.match(m, /this stack manages account resources and registers it with no databricks\.Endpoint/);
        assert.match(m, /Fix: register it with the account/);
    });

    it("takes the endpoint's region from its VNet when it sets no location, and compares regions as Azure does", async () => {
        // Not registered, so the registration's region cannot stand in for the endpoint's.
        const v = await check(() => { nativeWorkspace({ location: "West Europe" }); serviceDirect({ omitLocation: true }); }, ISO);
        assert.deepStrictEqual(v.mandatory(F), [], v.toString());
        assert.deepStrictEqual(v.advisory(F).map(d => d.message.split("\n")[1].slice(0, 5)), ["Note:"], v.toString());
    });

    it("classic provider endpoint and classic workspace; a versioned workspace token", async () => {
        const classic = await check(() => { classicWorkspace(); serviceDirect({ classic: true, register: true }); }, ISO);
        assert.deepStrictEqual(classic.of(F), [], classic.toString());
        const versioned = await check(() => { nativeWorkspace({ workspaceToken: "azure-native:databricks/v20240501:Workspace" }); serviceDirect({ register: true }); }, ISO);
        assert.deepStrictEqual(versioned.of(F), [], versioned.toString());
        assert.strictEqual(versioned.notApplicable(F), undefined);
    });

    it("fails without a service_direct endpoint; an attestation turns it into an advisory \"Attested\"", async () => {
        const m = onlyMandatory(await check(() => nativeWorkspace(), ISO));
        assert.match(m, /no service_direct private endpoint in this stack serves region westeurope/);
        assert.match(m, /attest it: set "performance-services-private-link": \{"attestations"/);
        const v = await check(() => nativeWorkspace(), { ...ISO, config: ATTESTED });
        assert.deepStrictEqual(v.mandatory(F), [], v.toString());
        assert.match(v.advisory(F)[0].message, /Attested outside this stack: the westeurope Service Direct endpoint is in the connectivity hub stack/);
    });

    it("an endpoint of another region does not serve the workspace", async () => {
        const m = onlyMandatory(await check(() => { nativeWorkspace(); serviceDirect({ register: true, location: "northeurope" }); }, ISO));
        assert.match(m, /service_direct endpoints in this stack do not serve region westeurope: "service-direct" .* \(region northeurope\)/);
    });

    it("a service_direct connection to something other than a Private Link Service does not count", async () => {
        const m = onlyMandatory(await check(() => {
            nativeWorkspace();
            const vnet = new network.VirtualNetwork("sd-vnet", { resourceGroupName: "rg-dbx", location: "westeurope", virtualNetworkName: "sd-vnet", addressSpace: { addressPrefixes: ["10.60.0.0/16"] } });
            const subnet = new network.Subnet("sd-subnet", { resourceGroupName: "rg-dbx", virtualNetworkName: vnet.name, subnetName: "sd-subnet", addressPrefix: "10.60.1.0/24" });
            new network.PrivateEndpoint("sd-storage", {
                resourceGroupName: "rg-dbx", location: "westeurope", subnet: { id: subnet.id },
                privateLinkServiceConnections: [{ name: "x", groupIds: ["service_direct"], privateLinkServiceId: `/subscriptions/${OTHER_SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/data` }],
            });
        }, ISO));
        assert.match(m, /"sd-storage" .* targets .*storageAccounts\/data, not a Private Link Service/);
    });

    it("group IDs unknown at preview: no mandatory verdict, an explicit advisory", async () => {
        const v = await check(() => {
            nativeWorkspace();
            const vnet = new network.VirtualNetwork("sd-vnet", { resourceGroupName: "rg-dbx", location: "westeurope", virtualNetworkName: "sd-vnet", addressSpace: { addressPrefixes: ["10.60.0.0/16"] } });
            new network.PrivateEndpoint("sd", {
                resourceGroupName: "rg-dbx", location: "westeurope", subnet: { id: vnet.id.apply(id => `${id}/subnets/pe`) },
                manualPrivateLinkServiceConnections: [{ name: "sd", privateLinkServiceId: SERVICE_DIRECT_PLS, groupIds: [vnet.name.apply(() => "service_direct")] }],
            });
        }, { ...ISO, preview: true });
        assert.deepStrictEqual(v.mandatory(F), [], v.toString());
        const a = v.advisory(F);
        assert.strictEqual(a.length, 1, v.toString());
        assert.match(a[0].message, /Not verified: a service_direct endpoint may serve the region but cannot be confirmed: "sd" .*group IDs are unknown until apply/);
    });

    it("one endpoint per region: several workspaces are judged by their region", async () => {
        const v = await check(() => {
            nativeWorkspace({ name: "we" });
            nativeWorkspace({ name: "we2" });
            nativeWorkspace({ name: "ne", location: "northeurope" });
            serviceDirect({ register: true });
        }, ISO);
        assert.deepStrictEqual(v.mandatory(F).map(d => d.urn), [v.urn("ne-ws")], v.toString());
    });

    it("Premium is a prerequisite: a Standard workspace fails with that reason", async () => {
        const m = onlyMandatory(await check(() => { nativeWorkspace({ sku: "standard" }); serviceDirect({ register: true }); }, ISO));
        assert.match(m, /the workspace SKU is "standard": Private Link requires the Premium SKU/);
    });

    it("is not checked below Isolated and not applicable without workspaces", async () => {
        const hard = await check(() => nativeWorkspace(), { tier: "hardened-connectivity" });
        assert.deepStrictEqual(hard.of(F), [], hard.toString());
        assert.match(hard.notApplicable(F) ?? "", /not part of the Hardened connectivity/);
        const none = await check(() => serviceDirect({ register: true }), ISO);
        assert.deepStrictEqual(none.of(F), [], none.toString());
        assert.match(none.notApplicable(F) ?? "", /no Azure Databricks workspace/);
    });
});
