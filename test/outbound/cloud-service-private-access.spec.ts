import * as assert from "assert";
import { check } from "../harness/check";
import { nativeWorkspace } from "../fixtures/native";
import { classicRoutedWorkspace, dataStorage, FIREWALL_OUTPUTS, routedWorkspace, storageEndpoint } from "../fixtures/outbound-network";
import { featureRow } from "../../policies/matrix";

const F = "cloud-service-private-access";
const H = { tier: "hardened-connectivity" as const, outputs: FIREWALL_OUTPUTS };

describe(F, () => {
    it("is the one feature the seed describes in prose only: Hardened and Isolated required", () => {
        const row = featureRow(F);
        assert.match(row.proseOnly ?? "", /cloud service access/);
        assert.deepStrictEqual(row.tiers, { "managed-security": "none", "hardened-connectivity": "required", "isolated-environment": "required" });
    });

    it("passes a default storage firewall and storage closed to the public behind a private endpoint (update and preview)", async () => {
        for (const preview of [false, true]) {
            const v = await check(() => {
                routedWorkspace({ defaultStorageFirewall: "Enabled" });
                storageEndpoint("lake-blob", dataStorage({ defaultAction: "Deny", publicNetworkAccess: "Disabled" }));
            }, { ...H, preview });
            assert.deepStrictEqual(v.of(F), [], `preview=${preview}\n${v.toString()}`);
        }
    });

    it("fails a workspace whose default storage firewall is not enabled", async () => {
        const v = await check(() => routedWorkspace({ defaultStorageFirewall: "Disabled" }), H);
        const m = v.mandatory(F);
        assert.strictEqual(m.length, 1, v.toString());
        assert.match(m[0].message, /defaultStorageFirewall is "Disabled"/);
        const unset = await check(() => nativeWorkspace(), H);
        assert.match(unset.mandatory(F)[0]?.message ?? "", /defaultStorageFirewall is not set/);
    });

    it("fails storage open to the public, even with a private endpoint (not attestable)", async () => {
        const v = await check(() => {
            routedWorkspace({ defaultStorageFirewall: "Enabled" });
            storageEndpoint("lake-blob", dataStorage());
        }, { ...H, config: { [F]: { attestations: [{ reason: "n/a" }] } } });
        assert.strictEqual(v.mandatory(F).length, 1, v.toString());
        assert.match(v.mandatory(F)[0].message, /accepts public traffic/);
    });

    it("fails closed storage without a private path; an attestation turns it into \"Attested\"", async () => {
        const program = () => {
            routedWorkspace({ defaultStorageFirewall: "Enabled" });
            dataStorage({ defaultAction: "Deny" });
        };
        const v = await check(program, H);
        assert.strictEqual(v.mandatory(F).length, 1, v.toString());
        assert.match(v.mandatory(F)[0].message, /no private endpoint in this stack targets it/);
        const attested = await check(program, { ...H, config: { [F]: { attestations: [{ reason: "endpoint in hub stack" }] } } });
        assert.deepStrictEqual(attested.mandatory(F), [], attested.toString());
        assert.match(attested.advisory(F)[0]?.message ?? "", /Attested outside this stack: endpoint in hub stack/);
    });

    it("accepts a service endpoint path: a VNet rule for the workspace's subnet (ARM ID in other letter case)", async () => {
        const v = await check(() => {
            routedWorkspace({ defaultStorageFirewall: "Enabled" });
            dataStorage({ defaultAction: "Deny", subnetIds: ["/subscriptions/00000000-0000-0000-0000-000000000000/RESOURCEGROUPS/RG-DBX/providers/Microsoft.Network/virtualNetworks/PROD-VNET/subnets/prod-host"] });
        }, H);
        assert.deepStrictEqual(v.of(F), [], v.toString());
    });

    it("matches a private endpoint whose target is the storage ARM ID in other letter case", async () => {
        const v = await check(() => {
            routedWorkspace({ defaultStorageFirewall: "Enabled" });
            dataStorage({ defaultAction: "Deny" });
            storageEndpoint("lake-blob", "/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/RG-DATA/providers/microsoft.storage/storageaccounts/LAKE");
        }, H);
        assert.deepStrictEqual(v.of(F), [], v.toString());
    });

    it("classic provider: defaultStorageFirewallEnabled true passes", async () => {
        const v = await check(() => classicRoutedWorkspace(), H);
        assert.deepStrictEqual(v.of(F), [], v.toString());
    });

    it("judges several workspaces separately, and is not checked in Managed security", async () => {
        const v = await check(() => {
            routedWorkspace({ name: "a", defaultStorageFirewall: "Enabled" });
            routedWorkspace({ name: "b" });
        }, H);
        assert.strictEqual(v.mandatory(F).length, 1, v.toString());
        assert.strictEqual(v.mandatory(F)[0].urn, v.urn("b-ws"));
        const managed = await check(() => routedWorkspace({ name: "b" }), { tier: "managed-security" });
        assert.deepStrictEqual(managed.of(F), [], managed.toString());
        assert.match(managed.notApplicable(F) ?? "", /not part of the Managed security architecture/);
    });

    it("with several workspaces, storage no VNet reaches is judged once for the stack (no pass by omission)", async () => {
        const v = await check(() => {
            routedWorkspace({ name: "a", defaultStorageFirewall: "Enabled" });
            routedWorkspace({ name: "b", defaultStorageFirewall: "Enabled" });
            dataStorage({ name: "openlake" });
        }, H);
        const m = v.mandatory(F);
        assert.deepStrictEqual(m.map(d => d.urn), [v.urn("openlake")], v.toString());
        assert.match(m[0].message, /storage .*"openlake".* accepts public traffic .*every workspace here may use it/);
    });
});
