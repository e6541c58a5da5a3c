// Pass/fail cases of vnet-injection (fixtures/cases.ts says how they run).

import { serverlessCases } from "../../../fixtures/serverless";
import * as network from "@pulumi/azure-native/network";
import * as databricks from "@pulumi/azure-native/databricks";
import { FeatureCase, FeatureCases, advisory, attested, beforeCreation, mandatory } from "../../../fixtures/cases";
import { nativeWorkspace, subnetsNamedByOutputs } from "../../../fixtures/native";
import { classicWorkspace } from "../../../fixtures/classic";

const F = "vnet-injection";

/** A workspace injected into subnets of a VNet declared in another stack. */
function externalVnetWorkspace() {
    new databricks.Workspace("ext-ws", {
        resourceGroupName: "rg", workspaceName: "ext-ws", managedResourceGroupId: "/subscriptions/0000/resourceGroups/m",
        sku: { name: "premium" },
        parameters: {
            customVirtualNetworkId: { value: "/subscriptions/0000/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/hub-spoke" },
            customPublicSubnetName: { value: "host" }, customPrivateSubnetName: { value: "container" },
        },
    });
}

/** Subnet resources of a VNet not declared here, named by the workspace's VNet ID in other letter case. */
function externalVnetSubnets(containerDelegated: boolean) {
    const nsg = new network.NetworkSecurityGroup("nsg", { resourceGroupName: "RG-HUB", networkSecurityGroupName: "nsg" });
    for (const role of ["host", "container"]) {
        new network.Subnet(role, {
            resourceGroupName: "RG-HUB", virtualNetworkName: "Hub-Spoke", subnetName: role, addressPrefix: "10.0.0.0/24",
            networkSecurityGroup: { id: nsg.id },
            delegations: role === "host" || containerDelegated ? [{ name: "d", serviceName: "Microsoft.Databricks/workspaces" }] : [],
        });
    }
    new databricks.Workspace("ext-ws", {
        resourceGroupName: "rg", workspaceName: "ext-ws", managedResourceGroupId: "/subscriptions/0000/resourceGroups/m", sku: { name: "premium" },
        parameters: {
            customVirtualNetworkId: { value: "/subscriptions/0000/resourcegroups/rg-hub/providers/microsoft.network/virtualnetworks/hub-spoke" },
            customPublicSubnetName: { value: "host" }, customPrivateSubnetName: { value: "container" },
        },
    });
}

const subnetForms = (["standalone", "inline"] as const).flatMap((subnets): FeatureCase[] => [
    {
        name: `delegated subnets with an NSG pass (${subnets} subnets)`,
        program: () => nativeWorkspace({ subnets }),
        expect: { all: [] },
    },
    {
        name: `subnets not delegated to Microsoft.Databricks/workspaces fail, each (${subnets} subnets)`,
        program: () => nativeWorkspace({ subnets, delegate: false }),
        expect: { all: [mandatory("wrong", "prod-ws"), mandatory("wrong", "prod-ws")] },
    },
    {
        name: `subnets without a network security group fail, each (${subnets} subnets)`,
        program: () => nativeWorkspace({ subnets, nsg: false }),
        expect: { "managed-security": [mandatory("wrong", "prod-ws"), mandatory("wrong", "prod-ws")] },
    },
]);

const classicForms = [false, true].flatMap((inlineSubnets): FeatureCase[] => {
    const form = inlineSubnets ? "inline subnets" : "Subnet + SubnetNetworkSecurityGroupAssociation";
    return [
        {
            name: `classic azure: delegated subnets with NSGs pass (${form})`,
            program: () => classicWorkspace({ inlineSubnets }),
            mode: "both",
            expect: { all: [] },
        },
        {
            name: `classic azure: subnets without an NSG fail, each (${form})`,
            program: () => classicWorkspace({ inlineSubnets, nsg: false }),
            expect: { "managed-security": [mandatory("wrong", "cl-ws"), mandatory("wrong", "cl-ws")] },
        },
        {
            name: `classic azure: undelegated subnets fail, each (${form})`,
            program: () => classicWorkspace({ inlineSubnets, delegate: false }),
            expect: { "managed-security": [mandatory("wrong", "cl-ws"), mandatory("wrong", "cl-ws")] },
        },
    ];
});

export const cases: FeatureCases = {
    feature: F,
    cases: [
        ...subnetForms,
        {
            name: "at preview, Subnet resources the workspace depends on are resolved and pass",
            program: () => nativeWorkspace(),
            mode: "preview",
            expect: { "managed-security": [] },
        },
        {
            name: "at preview, Subnet resources the workspace depends on are resolved though their names are unknown, and fail",
            program: () => nativeWorkspace({ delegate: false }),
            mode: "preview",
            expect: { "managed-security": [mandatory("wrong", "prod-ws"), mandatory("wrong", "prod-ws")] },
        },
        {
            name: "at preview, inline subnets behind an unknown parameters object are unverified, not passed",
            program: () => nativeWorkspace({ subnets: "inline" }),
            mode: "preview",
            expect: { "managed-security": [advisory("unknown", "prod-ws")] },
        },
        {
            name: "a workspace without VNet injection (Databricks-managed VNet) is refused before creation",
            program: () => nativeWorkspace({ subnets: "none", backend: "none" }),
            expect: { all: [beforeCreation(mandatory("wrong", "prod-ws"))] },
        },
        {
            name: "subnets of a VNet in another stack are unverified, each",
            program: externalVnetWorkspace,
            expect: { "managed-security": [advisory("outside", "ext-ws"), advisory("outside", "ext-ws")] },
        },
        {
            name: "an attestation covers subnets of a VNet in another stack",
            program: externalVnetWorkspace,
            config: { [F]: { attestations: [{ reason: "spoke subnets owned by the network stack", reference: "stack net/prod" }] } },
            expect: { "managed-security": [attested("outside", "ext-ws"), attested("outside", "ext-ws")] },
        },
        {
            name: "Subnet resources of an external VNet are found by its ARM ID in other letter case, and judged: both delegated pass",
            program: () => externalVnetSubnets(true),
            expect: { "managed-security": [] },
        },
        {
            name: "Subnet resources of an external VNet are found by its ARM ID in other letter case, and judged: an undelegated one fails",
            program: () => externalVnetSubnets(false),
            expect: { "managed-security": [mandatory("wrong", "ext-ws")] },
        },
        {
            name: "subnets named by outputs unknown at preview are judged alike at preview and update",
            program: subnetsNamedByOutputs,
            mode: "both",
            expect: { "managed-security": [mandatory("wrong", "ws"), mandatory("wrong", "ws")] },
        },
        {
            name: "two workspaces in one stack are judged separately",
            program: () => {
                nativeWorkspace({ name: "good" });
                nativeWorkspace({ name: "bad", nsg: false });
            },
            expect: { "managed-security": [mandatory("wrong", "bad-ws"), mandatory("wrong", "bad-ws")] },
        },
        ...classicForms,
        ...serverlessCases(() => nativeWorkspace({ subnets: "none", backend: "none" })),
    ],
};
