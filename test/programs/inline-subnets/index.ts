import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as databricks from "@pulumi/azure-native/databricks";

// Subnets declared inside their VNet (no Subnet resources): the private endpoint finds its subnet
// by name among the VNet's `subnets` output, whose IDs Azure computes.
const resourceGroupName = "rg-inline";
const nsg = new network.NetworkSecurityGroup("nsg", { resourceGroupName, networkSecurityGroupName: "nsg" });
const delegations = [{ name: "databricks", serviceName: "Microsoft.Databricks/workspaces" }];
const vnet = new network.VirtualNetwork("vnet", {
    resourceGroupName, virtualNetworkName: "vnet", addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
    subnets: [
        { name: "host", addressPrefix: "10.0.1.0/24", delegations, networkSecurityGroup: { id: nsg.id } },
        { name: "container", addressPrefix: "10.0.2.0/24", delegations, networkSecurityGroup: { id: nsg.id } },
        { name: "pe", addressPrefix: "10.0.3.0/24" },
    ],
});
const ws = new databricks.Workspace("ws", {
    resourceGroupName, workspaceName: "ws", sku: { name: "premium" }, requiredNsgRules: "NoAzureDatabricksRules",
    managedResourceGroupId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/ws-managed",
    parameters: {
        enableNoPublicIp: { value: true },
        customVirtualNetworkId: { value: vnet.id },
        customPublicSubnetName: { value: "host" },
        customPrivateSubnetName: { value: "container" },
    },
});
const peSubnetId = vnet.subnets.apply(s => {
    const found = (s ?? []).find(x => x.name === "pe");
    if (!found?.id) {
        throw new Error("the VNet has no subnet pe");
    }
    return found.id;
});
new network.PrivateEndpoint("backend", {
    resourceGroupName, privateEndpointName: "backend", subnet: { id: peSubnetId as pulumi.Output<string> },
    privateLinkServiceConnections: [{ name: "backend", privateLinkServiceId: ws.id, groupIds: ["databricks_ui_api"] }],
});
