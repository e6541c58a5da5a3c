// Pass/fail cases of classic-compute-private-link (fixtures/cases.ts says how they run).

import { serverlessCases } from "../../../fixtures/serverless";
import * as network from "@pulumi/azure-native/network";
import { FeatureCases, advisory, attested, beforeCreation, exempted, mandatory, note, of } from "../../../fixtures/cases";
import { nativeWorkspace, SUBSCRIPTION, serverlessWorkspace } from "../../../fixtures/native";
import { classicWorkspace } from "../../../fixtures/classic";

const F = "classic-compute-private-link";

export const cases: FeatureCases = {
    feature: F,
    cases: [
        {
            name: "NoAzureDatabricksRules, Premium and a databricks_ui_api endpoint from the workspace VNet pass",
            program: () => nativeWorkspace(),
            mode: "both",
            expect: { all: [] },
        },
        {
            name: "NoAzureDatabricksRules without a back-end endpoint fails, at preview too (an absent resource is not unknown)",
            program: () => nativeWorkspace({ backend: "none" }),
            mode: "both",
            expect: { all: [mandatory("missing", "prod-ws")] },
        },
        {
            name: "an endpoint in another VNet (a front-end endpoint) does not count",
            program: () => nativeWorkspace({ backend: "other-vnet" }),
            expect: { "managed-security": [mandatory("missing", "prod-ws")] },
        },
        {
            name: "an endpoint to another workspace does not count; several workspaces are judged separately",
            program: () => {
                const b = nativeWorkspace({ name: "b", backend: "none" });
                nativeWorkspace({ name: "a", endpointTarget: b.workspace.id });
                nativeWorkspace({ name: "c" });
            },
            expect: { "managed-security": [mandatory("missing", "a-ws"), mandatory("missing", "b-ws")] },
        },
        {
            name: "an endpoint to a workspace outside the stack does not count",
            program: () => nativeWorkspace({ endpointTarget: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-other/providers/Microsoft.Databricks/workspaces/elsewhere` }),
            expect: { "managed-security": [mandatory("missing", "prod-ws")] },
        },
        {
            name: "an endpoint whose target is the workspace's ARM ID in other letter case counts",
            program: () => nativeWorkspace({ endpointTarget: `/SUBSCRIPTIONS/${SUBSCRIPTION}/RESOURCEGROUPS/RG-DBX/PROVIDERS/MICROSOFT.DATABRICKS/WORKSPACES/PROD-WS` }),
            expect: { "managed-security": [] },
        },
        {
            name: "requiredNsgRules AllRules is refused before creation",
            program: () => nativeWorkspace({ requiredNsgRules: "AllRules" }),
            expect: { all: [beforeCreation(mandatory("wrong", "prod-ws"))] },
        },
        {
            name: "an omitted requiredNsgRules (default AllRules) is refused before creation",
            program: () => nativeWorkspace({ requiredNsgRules: "omit" }),
            expect: { "managed-security": [beforeCreation(mandatory("wrong", "prod-ws"))] },
        },
        {
            name: "requiredNsgRules is compared as Azure does, in any letter case",
            program: () => nativeWorkspace({ requiredNsgRules: "noAzureDatabricksRules" }),
            expect: { "managed-security": [] },
        },
        {
            name: "a Standard workspace is refused before creation: Private Link needs Premium",
            program: () => nativeWorkspace({ sku: "standard" }),
            expect: { "managed-security": [beforeCreation(mandatory("wrong", "prod-ws"))] },
        },
        {
            name: "a workspace declared by a versioned azure-native token passes",
            program: () => nativeWorkspace({ workspaceToken: "azure-native:databricks/v20240501:Workspace" }),
            expect: { "managed-security": [] },
        },
        {
            name: "a workspace declared by a versioned azure-native token without a back-end endpoint fails",
            program: () => nativeWorkspace({ workspaceToken: "azure-native:databricks/v20240501:Workspace", backend: "none" }),
            expect: { "managed-security": [mandatory("missing", "prod-ws")] },
        },
        {
            name: "at preview, an endpoint whose group IDs are unknown is unverified, not passed",
            program: () => {
                const { workspace } = nativeWorkspace({ backend: "none" });
                const pe = new network.Subnet("late-pe", { resourceGroupName: "rg-dbx", virtualNetworkName: "prod-vnet", subnetName: "late-pe" });
                new network.PrivateEndpoint("late", {
                    resourceGroupName: "rg-dbx", subnet: { id: pe.id },
                    privateLinkServiceConnections: [{ name: "x", privateLinkServiceId: workspace.id, groupIds: [pe.name as unknown as string] }],
                });
            },
            mode: "preview",
            expect: { "managed-security": [advisory("unknown", "prod-ws")] },
        },
        {
            name: "an attestation for the workspace covers a back-end endpoint managed in another stack",
            program: () => nativeWorkspace({ backend: "none" }),
            config: { [F]: { attestations: [{ reason: "back-end endpoint in the hub stack", workspaces: ["prod-ws"] }] } },
            expect: { all: [attested("missing", "prod-ws")] },
        },
        {
            name: "an attestation scoped to another workspace does not cover this one",
            program: () => nativeWorkspace({ backend: "none" }),
            config: { [F]: { attestations: [{ reason: "covers another workspace", workspaces: ["another-ws"] }] } },
            // The note: the attestation names a workspace this stack does not declare.
            expect: { "managed-security": [note(), mandatory("missing", "prod-ws")] },
        },
        {
            name: "an exemption of the workspace until a future date is reported, not enforced",
            program: () => nativeWorkspace({ backend: "none" }),
            config: { [F]: { exemptions: [{ resource: "prod-ws", reason: "sandbox, decommissioned in Q1", expires: "2999-01-01" }] } },
            expect: { "managed-security": [exempted("missing", "prod-ws")] },
        },
        {
            name: "an expired exemption no longer covers the workspace",
            program: () => nativeWorkspace({ backend: "none" }),
            config: { [F]: { exemptions: [{ resource: "prod-ws", reason: "old", expires: "2000-01-01" }] } },
            expect: { "managed-security": [mandatory("missing", "prod-ws")] },
        },
        {
            name: "an attestation does not cover a contradiction: AllRules stays refused",
            program: () => nativeWorkspace({ requiredNsgRules: "AllRules" }),
            config: { [F]: { attestations: [{ reason: "elsewhere" }] } },
            expect: { "managed-security": [beforeCreation(mandatory("wrong", "prod-ws"))] },
        },
        {
            name: "classic azure: networkSecurityGroupRulesRequired NoAzureDatabricksRules with an azure.privatelink.Endpoint passes",
            program: () => classicWorkspace(),
            mode: "both",
            expect: { all: [] },
        },
        {
            name: "classic azure: no private DNS zone for privatelink.azuredatabricks.net is a note, never a refusal",
            program: () => classicWorkspace({ dns: false }),
            expect: { "managed-security": [note("cl-ws")] },
        },
        {
            name: "classic azure: no back-end endpoint fails",
            program: () => classicWorkspace({ backend: "none" }),
            expect: { "managed-security": [mandatory("missing", "cl-ws")] },
        },
        {
            name: "classic azure: networkSecurityGroupRulesRequired AllRules is refused before creation",
            program: () => classicWorkspace({ nsgRulesRequired: "AllRules" }),
            expect: { "managed-security": [beforeCreation(mandatory("wrong", "cl-ws"))] },
        },
        ...serverlessCases(() => nativeWorkspace({ requiredNsgRules: "AllRules", noPublicIp: false })),
        {
            name: "beside a serverless-only workspace the other features judge it as any workspace",
            program: () => serverlessWorkspace("sl"),
            alsoJudges: ["workspace-inbound-private-link", "serverless-egress-control"],
            expect: {
                "isolated-environment": [
                    of("workspace-inbound-private-link", beforeCreation(mandatory("wrong", "sl"))),
                    of("workspace-inbound-private-link", mandatory("missing", "sl")),
                    of("workspace-inbound-private-link", mandatory("missing", "sl")),
                    of("serverless-egress-control", mandatory("missing", "sl")),
                ],
            },
        },
    ],
};
