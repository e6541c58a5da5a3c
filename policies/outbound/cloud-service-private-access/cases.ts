// Pass/fail cases of cloud-service-private-access (fixtures/cases.ts says how they run).

import * as authorization from "@pulumi/azure-native/authorization";
import * as nativeDatabricks from "@pulumi/azure-native/databricks";
import { FeatureCase, FeatureCases, attested, mandatory, note } from "../../../fixtures/cases";
import { nativeWorkspace } from "../../../fixtures/native";
import { egressPolicy, classicWorkspace, ncc, nccRule } from "../../../fixtures/outbound";
import { classicRoutedWorkspace, dataStorage, externalLocation, FIREWALL_OUTPUTS, routedWorkspace, storageEndpoint } from "../../../fixtures/outbound-network";

const HOST_SUBNET_OTHER_CASE = "/subscriptions/00000000-0000-0000-0000-000000000000/RESOURCEGROUPS/RG-DBX/providers/Microsoft.Network/virtualNetworks/PROD-VNET/subnets/prod-host";
const CONTAINER_SUBNET = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dbx/providers/Microsoft.Network/virtualNetworks/prod-vnet/subnets/prod-container";
const OTHER_SUBNET_SAME_VNET = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dbx/providers/Microsoft.Network/virtualNetworks/prod-vnet/subnets/prod-other";
const OTHER_VNET_SUBNET = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dbx/providers/Microsoft.Network/virtualNetworks/other-vnet/subnets/prod-host";
const LAKE_ID_OTHER_CASE = "/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/RG-DATA/providers/microsoft.storage/storageaccounts/LAKE";
const OTHER_ACCOUNT_ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/lake2";
const LINKED_ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/RG-DATA/providers/Microsoft.Storage/storageAccounts/LINKED";
const BLOB_CONTRIBUTOR = "/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe";

type Account = ReturnType<typeof dataStorage>;

/** Storage open to the public, and used by the workspace through `link`. */
function linkedCase(how: string, link: (account: Account) => void, o: { defaultStorage?: boolean; config?: FeatureCase["config"] } = {}): FeatureCase {
    return {
        name: `storage linked by ${how} is judged: its public access fails`,
        program: () => {
            routedWorkspace({ defaultStorageFirewall: "Enabled", ...(o.defaultStorage ? { storageAccountName: "linked" } : {}) });
            link(dataStorage({ name: "linked" }));
        },
        outputs: FIREWALL_OUTPUTS,
        config: o.config,
        expect: { "hardened-connectivity": [mandatory("wrong", "prod-ws")] },
    };
}

export const cases: FeatureCases = {
    feature: "cloud-service-private-access",
    cases: [
        {
            name: "an enabled default storage firewall and storage closed to the public behind a private endpoint pass (update and preview)",
            program: () => {
                routedWorkspace({ defaultStorageFirewall: "Enabled" });
                storageEndpoint("lake-blob", dataStorage({ defaultAction: "Deny", publicNetworkAccess: "Disabled" }));
            },
            mode: "both",
            outputs: FIREWALL_OUTPUTS,
            expect: { "hardened-connectivity": [], "isolated-environment": [] },
        },
        {
            name: "a default storage firewall \"enabled\" in other letter case passes",
            program: () => routedWorkspace({ defaultStorageFirewall: "enabled" }),
            outputs: FIREWALL_OUTPUTS,
            expect: { "hardened-connectivity": [] },
        },
        {
            name: "a workspace whose default storage firewall is \"Disabled\" fails",
            program: () => routedWorkspace({ defaultStorageFirewall: "Disabled" }),
            outputs: FIREWALL_OUTPUTS,
            expect: { "hardened-connectivity": [mandatory("wrong", "prod-ws")], "isolated-environment": [mandatory("wrong", "prod-ws")] },
        },
        {
            name: "a workspace whose default storage firewall is not set fails",
            program: () => nativeWorkspace(),
            expect: { "hardened-connectivity": [mandatory("wrong", "prod-ws")] },
        },
        {
            name: "storage open to the public fails even behind a private endpoint, and an attestation does not cover it",
            program: () => {
                routedWorkspace({ defaultStorageFirewall: "Enabled" });
                storageEndpoint("lake-blob", dataStorage());
            },
            outputs: FIREWALL_OUTPUTS,
            config: { "cloud-service-private-access": { attestations: [{ reason: "n/a" }] } },
            expect: { "hardened-connectivity": [mandatory("wrong", "prod-ws")] },
        },
        {
            name: "storage closed to the public without a private or service endpoint path is missing",
            program: () => {
                routedWorkspace({ defaultStorageFirewall: "Enabled" });
                dataStorage({ defaultAction: "Deny" });
                externalLocation("lake-data", "lake");
            },
            outputs: FIREWALL_OUTPUTS,
            expect: { "hardened-connectivity": [mandatory("missing", "prod-ws")], "isolated-environment": [mandatory("missing", "prod-ws")] },
        },
        {
            name: "an attestation covers closed storage whose private endpoint lives in another stack",
            program: () => {
                routedWorkspace({ defaultStorageFirewall: "Enabled" });
                dataStorage({ defaultAction: "Deny" });
                externalLocation("lake-data", "lake");
            },
            outputs: FIREWALL_OUTPUTS,
            config: { "cloud-service-private-access": { attestations: [{ reason: "endpoint in hub stack" }] } },
            expect: { "hardened-connectivity": [attested("missing", "prod-ws")] },
        },
        {
            name: "a service endpoint path passes: VNet rules for the workspace's host and container subnets (ARM ID in other letter case)",
            program: () => {
                routedWorkspace({ defaultStorageFirewall: "Enabled" });
                dataStorage({ defaultAction: "Deny", subnetIds: [HOST_SUBNET_OTHER_CASE, CONTAINER_SUBNET] });
            },
            outputs: FIREWALL_OUTPUTS,
            expect: { "hardened-connectivity": [] },
        },
        {
            name: "a VNet rule for the host subnet only lets no cluster through: the container subnet is missing",
            program: () => {
                routedWorkspace({ defaultStorageFirewall: "Enabled" });
                dataStorage({ defaultAction: "Deny", subnetIds: [HOST_SUBNET_OTHER_CASE] });
                externalLocation("lake-data", "lake");
            },
            outputs: FIREWALL_OUTPUTS,
            expect: { "hardened-connectivity": [mandatory("missing", "prod-ws")] },
        },
        {
            name: "a VNet rule for another subnet of the workspace's VNet is no path",
            program: () => {
                routedWorkspace({ defaultStorageFirewall: "Enabled" });
                dataStorage({ defaultAction: "Deny", subnetIds: [OTHER_SUBNET_SAME_VNET] });
                externalLocation("lake-data", "lake");
            },
            outputs: FIREWALL_OUTPUTS,
            expect: { "hardened-connectivity": [mandatory("missing", "prod-ws")] },
        },
        {
            name: "a VNet rule for a subnet of another VNet (same subnet name) is no path",
            program: () => {
                routedWorkspace({ defaultStorageFirewall: "Enabled" });
                dataStorage({ defaultAction: "Deny", subnetIds: [OTHER_VNET_SUBNET] });
                externalLocation("lake-data", "lake");
            },
            outputs: FIREWALL_OUTPUTS,
            expect: { "hardened-connectivity": [mandatory("missing", "prod-ws")] },
        },
        {
            name: "a private endpoint whose target is the storage ARM ID in other letter case passes",
            program: () => {
                routedWorkspace({ defaultStorageFirewall: "Enabled" });
                dataStorage({ defaultAction: "Deny" });
                storageEndpoint("lake-blob", LAKE_ID_OTHER_CASE);
            },
            outputs: FIREWALL_OUTPUTS,
            expect: { "hardened-connectivity": [] },
        },
        {
            name: "a private endpoint to another storage account is no path",
            program: () => {
                routedWorkspace({ defaultStorageFirewall: "Enabled" });
                dataStorage({ defaultAction: "Deny" });
                storageEndpoint("lake-blob", OTHER_ACCOUNT_ID);
                externalLocation("lake-data", "lake");
            },
            outputs: FIREWALL_OUTPUTS,
            expect: { "hardened-connectivity": [mandatory("missing", "prod-ws")] },
        },
        {
            name: "classic provider: defaultStorageFirewallEnabled true passes",
            program: () => classicRoutedWorkspace(),
            expect: { "hardened-connectivity": [] },
        },
        {
            name: "classic provider: defaultStorageFirewallEnabled not set fails",
            program: () => classicWorkspace("classic-ws"),
            expect: { "hardened-connectivity": [mandatory("wrong", "classic-ws")] },
        },
        {
            name: "several workspaces are judged separately",
            program: () => {
                routedWorkspace({ name: "a", defaultStorageFirewall: "Enabled" });
                routedWorkspace({ name: "b" });
            },
            outputs: FIREWALL_OUTPUTS,
            expect: { "hardened-connectivity": [mandatory("wrong", "b-ws")] },
        },
        {
            name: "not part of Managed security",
            program: () => routedWorkspace({ name: "b" }),
            expect: { "managed-security": "not-applicable" },
        },
        {
            name: "with several workspaces, public storage no VNet reaches is judged once for the stack, on the storage (no pass by omission)",
            program: () => {
                routedWorkspace({ name: "a", defaultStorageFirewall: "Enabled" });
                routedWorkspace({ name: "b", defaultStorageFirewall: "Enabled" });
                dataStorage({ name: "openlake" });
                externalLocation("openlake-data", "openlake");
            },
            outputs: FIREWALL_OUTPUTS,
            expect: { "hardened-connectivity": [mandatory("wrong", "openlake")] },
        },
        {
            name: "an Azure Verified Module layout: Machine Learning and diagnostics storage no workspace uses get no verdict, one note for the stack",
            program: () => {
                routedWorkspace({ defaultStorageFirewall: "Enabled" });
                dataStorage({ name: "mlwsstorage" });
                dataStorage({ name: "diagstorage" });
            },
            outputs: FIREWALL_OUTPUTS,
            expect: { "hardened-connectivity": [note()] },
        },
        {
            name: "a role assignment to another identity is no link: the public storage gets only the note",
            program: () => {
                routedWorkspace({ defaultStorageFirewall: "Enabled" });
                const account = dataStorage({ name: "unlinked" });
                new authorization.RoleAssignment("someone-blob", {
                    scope: account.id, principalId: "00000000-0000-0000-0000-00000000abcd", principalType: "User", roleDefinitionId: BLOB_CONTRIBUTOR,
                });
            },
            outputs: FIREWALL_OUTPUTS,
            expect: { "hardened-connectivity": [note()] },
        },
        linkedCase("an external location", () => externalLocation("loc", "linked")),
        linkedCase("an NCC private endpoint rule", account => nccRule("rule", ncc("ncc", "westeurope"), account.id)),
        linkedCase("a network policy's allowed storage destination", () => egressPolicy("np", { allowedStorage: ["linked"] })),
        linkedCase("the workspace's default storage", () => undefined, { defaultStorage: true }),
        linkedCase("a role assignment to an access connector", account => {
            const connector = new nativeDatabricks.AccessConnector("connector", { resourceGroupName: "rg-dbx", connectorName: "connector", identity: { type: "SystemAssigned" } });
            new authorization.RoleAssignment("connector-blob", {
                scope: account.id, principalId: connector.identity.apply(i => i?.principalId ?? ""), principalType: "ServicePrincipal", roleDefinitionId: BLOB_CONTRIBUTOR,
            });
        }),
        linkedCase("the pack configuration (ARM ID in other letter case)", () => undefined, { config: { "cloud-service-private-access": { workspaceStorageAccounts: [LINKED_ID] } } }),
    ],
};
