import * as assert from "assert";
import { check } from "../harness/check";
import { nativeWorkspace } from "../../support/fixtures/native";
import { classicRoutedWorkspace, dataStorage, externalLocation, FIREWALL_OUTPUTS, routedWorkspace, storageEndpoint } from "../../support/fixtures/outbound-network";
import * as authorization from "@pulumi/azure-native/authorization";
import * as nativeDatabricks from "@pulumi/azure-native/databricks";
import { decideOn } from "../../support/verdicts";
import { PackConfigFile } from "../../support/engine";
import { egressPolicy, ncc, nccRule } from "../../support/fixtures/outbound";
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
            externalLocation("lake-data", "lake");
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
            externalLocation("openlake-data", "openlake");
        }, H);
        const m = v.mandatory(F);
        assert.deepStrictEqual(m.map(d => d.urn), [v.urn("openlake")], v.toString());
        assert.match(m[0].message, /storage .*"openlake".* accepts public traffic .*every workspace here may use it/);
    });

    describe("judges only storage a workspace really uses", () => {
        const publicStorage = (name: string) => dataStorage({ name });

        it("an Azure Verified Module layout: the Machine Learning and diagnostics storage get no verdict, one note says why", async () => {
            const v = await decideOn(() => {
                routedWorkspace({ defaultStorageFirewall: "Enabled" });
                publicStorage("mlwsstorage");
                publicStorage("diagstorage");
            }, H);
            assert.deepStrictEqual(v.mandatory(F), [], v.toString());
            const notes = v.advisory(F);
            assert.strictEqual(notes.length, 1, v.toString());
            assert.strictEqual(notes[0].outcome?.status, "note");
            assert.match(notes[0].outcome?.found ?? "", /"mlwsstorage".*"diagstorage".*no link to a Databricks workspace.*does not judge it/);
        });

        type Account = ReturnType<typeof dataStorage>;
        const links: [string, (account: Account) => void][] = [
            ["an external location", () => externalLocation("loc", "linked")],
            ["an NCC private endpoint rule", account => nccRule("rule", ncc("ncc", "westeurope"), account.id)],
            ["a network policy's allowed storage destination", () => egressPolicy("np", { allowedStorage: ["linked"] })],
            ["the workspace's default storage", () => undefined],
            ["a role assignment to an access connector", account => {
                const connector = new nativeDatabricks.AccessConnector("connector", { resourceGroupName: "rg-dbx", connectorName: "connector", identity: { type: "SystemAssigned" } });
                new authorization.RoleAssignment("connector-blob", {
                    scope: account.id, principalId: connector.identity.apply(i => i?.principalId ?? ""), principalType: "ServicePrincipal",
                    roleDefinitionId: "/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe",
                });
            }],
        ];
        links.push(["the pack configuration", () => undefined]);
        it("a role assignment to another identity is no link", async () => {
            const v = await decideOn(() => {
                routedWorkspace({ defaultStorageFirewall: "Enabled" });
                const account = publicStorage("unlinked");
                new authorization.RoleAssignment("someone-blob", {
                    scope: account.id, principalId: "00000000-0000-0000-0000-00000000abcd", principalType: "User",
                    roleDefinitionId: "/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe",
                });
            }, H);
            assert.deepStrictEqual(v.mandatory(F), [], v.toString());
            assert.match(v.advisory(F)[0]?.outcome?.found ?? "", /"unlinked".*no link to a Databricks workspace/);
        });

        for (const [how, link] of links) {
            it(`judges storage linked by ${how}: public access is mandatory`, async () => {
                const config: PackConfigFile = how === "the pack configuration" ? { [F]: { workspaceStorageAccounts: ["/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/RG-DATA/providers/Microsoft.Storage/storageAccounts/LINKED"] } } : {};
                const v = await decideOn(() => {
                    routedWorkspace({ defaultStorageFirewall: "Enabled", ...(how.includes("default storage") ? { storageAccountName: "linked" } : {}) });
                    link(publicStorage("linked"));
                }, { ...H, config });
                const m = v.mandatory(F);
                assert.strictEqual(m.length, 1, v.toString());
                assert.match(m[0].outcome?.found ?? "", /storage .*"linked".* accepts public traffic/);
            });
        }
    });
});
