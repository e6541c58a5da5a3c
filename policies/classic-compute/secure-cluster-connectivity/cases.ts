// Pass/fail cases of secure-cluster-connectivity (fixtures/cases.ts says how they run).

import { serverlessCases } from "../../../fixtures/serverless";
import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/azure-native/databricks";
import { FeatureCases, advisory, beforeCreation, mandatory, note } from "../../../fixtures/cases";
import { nativeWorkspace } from "../../../fixtures/native";
import { classicWorkspace } from "../../../fixtures/classic";

/** An azure-native provider of a given version, declared explicitly. */
class NativeProvider extends pulumi.ProviderResource {
    constructor(name: string, version: string) {
        super("azure-native", name, { version });
    }
}

/** A VNet-injected workspace leaving enableNoPublicIp to the API default, under a provider of this version (the default provider when omitted). */
function omittedNoPublicIp(providerVersion?: string) {
    const provider = providerVersion === undefined ? undefined : new NativeProvider("native", providerVersion);
    new databricks.Workspace("prod-ws", {
        resourceGroupName: "rg-dbx", location: "westeurope", workspaceName: "prod-ws", sku: { name: "premium" },
        managedResourceGroupId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/prod-managed",
        requiredNsgRules: "NoAzureDatabricksRules",
        parameters: {
            customVirtualNetworkId: { value: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dbx/providers/Microsoft.Network/virtualNetworks/prod-vnet" },
            customPublicSubnetName: { value: "prod-host" },
            customPrivateSubnetName: { value: "prod-container" },
        },
    }, { provider });
}

export const cases: FeatureCases = {
    feature: "secure-cluster-connectivity",
    cases: [
        {
            name: "a workspace with enableNoPublicIp true passes",
            program: () => nativeWorkspace(),
            expect: { all: [] },
        },
        {
            name: "a workspace with enableNoPublicIp false is refused before creation",
            program: () => nativeWorkspace({ noPublicIp: false }),
            expect: { all: [beforeCreation(mandatory("wrong", "prod-ws"))] },
        },
        {
            name: "at preview, with the parameters object unknown, enableNoPublicIp false is unverified, not refused",
            program: () => nativeWorkspace({ noPublicIp: false }),
            mode: "preview",
            expect: { "managed-security": [beforeCreation(advisory("unknown", "prod-ws"))] },
        },
        {
            name: "an omitted value passes on API 2024-05-01 and later, with a note that it relies on the default",
            program: () => nativeWorkspace({ noPublicIp: "omit" }),
            expect: { "managed-security": [beforeCreation(note("prod-ws"))] },
        },
        {
            name: "an omitted value is refused on a versioned token of an older API (default false)",
            program: () => nativeWorkspace({ noPublicIp: "omit", workspaceToken: "azure-native:databricks/v20230201:Workspace" }),
            expect: { "managed-security": [beforeCreation(mandatory("wrong", "prod-ws"))] },
        },
        {
            name: "an omitted value under the current azure-native provider relies on its default (true), with a note",
            program: () => omittedNoPublicIp(),
            expect: { "managed-security": [beforeCreation(note("prod-ws"))] },
        },
        {
            name: "an omitted value under an azure-native v2 provider fails (its default API defaults to false)",
            program: () => omittedNoPublicIp("2.90.0"),
            expect: { "managed-security": [beforeCreation(mandatory("wrong", "prod-ws"))] },
        },
        {
            name: "a versioned token of an older API with enableNoPublicIp true passes",
            program: () => nativeWorkspace({ workspaceToken: "azure-native:databricks/v20180401:Workspace" }),
            expect: { "managed-security": [] },
        },
        {
            name: "classic azure: noPublicIp true passes",
            program: () => classicWorkspace(),
            expect: { all: [] },
        },
        {
            name: "classic azure: noPublicIp false is refused before creation",
            program: () => classicWorkspace({ noPublicIp: false }),
            expect: { all: [beforeCreation(mandatory("wrong", "cl-ws"))] },
        },
        {
            name: "classic azure: an omitted noPublicIp relies on the v6 default (true), with a note",
            program: () => classicWorkspace({ noPublicIp: "omit" }),
            expect: { "managed-security": [beforeCreation(note("cl-ws"))] },
        },
        ...serverlessCases(() => nativeWorkspace({ requiredNsgRules: "AllRules", noPublicIp: false })),
    ],
};
