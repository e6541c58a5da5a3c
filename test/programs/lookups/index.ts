import * as pulumi from "@pulumi/pulumi";
import * as azure from "@pulumi/azure";

const prefix = new pulumi.Config().require("prefix");

// The network team's resources, looked up: answered by mocks.json offline.
const rg = azure.core.getResourceGroupOutput({ name: "rg-network" });
const vnet = azure.network.getVirtualNetworkOutput({ name: "spoke", resourceGroupName: rg.name });
const subnet = (name: string) => azure.network.getSubnetOutput({ name, virtualNetworkName: vnet.name, resourceGroupName: rg.name });
const [host, container, endpoints] = [subnet("host"), subnet("container"), subnet("endpoints")];
const zones = ["privatelink.azuredatabricks.net", "privatelink.blob.core.windows.net", "privatelink.dfs.core.windows.net"]
    .map(name => azure.privatedns.getDnsZoneOutput({ name, resourceGroupName: "rg-dns" }));

const ws = new azure.databricks.Workspace(`${prefix}-ws`, {
    resourceGroupName: rg.name, location: rg.location, sku: "premium",
    networkSecurityGroupRulesRequired: "NoAzureDatabricksRules", publicNetworkAccessEnabled: true,
    customParameters: {
        noPublicIp: true, virtualNetworkId: vnet.id, publicSubnetName: host.name, privateSubnetName: container.name,
        publicSubnetNetworkSecurityGroupAssociationId: host.id, privateSubnetNetworkSecurityGroupAssociationId: container.id,
    },
});
new azure.privatelink.Endpoint(`${prefix}-backend`, {
    resourceGroupName: rg.name, location: rg.location, subnetId: endpoints.id,
    privateServiceConnection: { name: "backend", privateConnectionResourceId: ws.id, subresourceNames: ["databricks_ui_api"], isManualConnection: false },
    privateDnsZoneGroup: { name: "dns", privateDnsZoneIds: [zones[0].id] },
});
export const location = rg.location;
