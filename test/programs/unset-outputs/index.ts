import * as pulumi from "@pulumi/pulumi";
import * as azure from "@pulumi/azure";

// A classic workspace in its own VNet, with a private endpoint from that VNet to the workspace's
// default storage account, found through the managed resource group the deployment creates.
const rg = "rg-dbx";
const vnet = new azure.network.VirtualNetwork("vnet", { name: "vnet", resourceGroupName: rg, location: "westeurope", addressSpaces: ["10.40.0.0/16"] });
const delegation = { name: "databricks", serviceDelegation: { name: "Microsoft.Databricks/workspaces" } };
const subnet = (name: string, prefix: string, delegated: boolean) => new azure.network.Subnet(name, {
    name, resourceGroupName: rg, virtualNetworkName: vnet.name, addressPrefixes: [prefix], delegations: delegated ? [delegation] : [],
});
const host = subnet("host", "10.40.1.0/24", true);
const container = subnet("container", "10.40.2.0/24", true);
const endpoints = subnet("endpoints", "10.40.3.0/24", false);
const ws = new azure.databricks.Workspace("ws", {
    name: "ws", resourceGroupName: rg, location: "westeurope", sku: "premium",
    customParameters: { noPublicIp: true, virtualNetworkId: vnet.id, publicSubnetName: host.name, privateSubnetName: container.name },
});
// The deployment names the managed resource group; the mocks do not.
const defaultStorage = pulumi.interpolate`${ws.managedResourceGroupId}/providers/Microsoft.Storage/storageAccounts/dbstorage`;
new azure.privatelink.Endpoint("dbfs-dfs", {
    name: "dbfs-dfs", resourceGroupName: rg, location: "westeurope", subnetId: endpoints.id,
    privateServiceConnection: { name: "dbfs-dfs", privateConnectionResourceId: defaultStorage, subresourceNames: ["dfs"], isManualConnection: false },
});
