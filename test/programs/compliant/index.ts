import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as databricks from "@pulumi/azure-native/databricks";
import * as authorization from "@pulumi/azure-native/authorization";

const config = new pulumi.Config();
const p = config.require("prefix");
const resourceGroupName = `${p}-rg`;
const client = authorization.getClientConfigOutput();
const delegations = [{ name: "databricks", serviceName: "Microsoft.Databricks/workspaces" }];
const nsg = new network.NetworkSecurityGroup(`${p}-nsg`, { resourceGroupName, networkSecurityGroupName: `${p}-nsg` });
const vnet = new network.VirtualNetwork(`${p}-vnet`, { resourceGroupName, virtualNetworkName: `${p}-vnet`, addressSpace: { addressPrefixes: ["10.0.0.0/16"] } });
const host = new network.Subnet(`${p}-host`, { resourceGroupName, virtualNetworkName: vnet.name, subnetName: "host", addressPrefix: "10.0.1.0/24", delegations, networkSecurityGroup: { id: nsg.id } });
const container = new network.Subnet(`${p}-container`, { resourceGroupName, virtualNetworkName: vnet.name, subnetName: "container", addressPrefix: "10.0.2.0/24", delegations, networkSecurityGroup: { id: nsg.id } });
const pe = new network.Subnet(`${p}-pe`, { resourceGroupName, virtualNetworkName: vnet.name, subnetName: "pe", addressPrefix: "10.0.3.0/24" }, { dependsOn: [host, container] });
const ws = new databricks.Workspace(`${p}-ws`, {
    resourceGroupName, workspaceName: `${p}-ws`, sku: { name: "premium" }, requiredNsgRules: "NoAzureDatabricksRules",
    managedResourceGroupId: pulumi.interpolate`/subscriptions/${client.subscriptionId}/resourceGroups/${p}-managed`,
    parameters: {
        enableNoPublicIp: { value: true },
        customVirtualNetworkId: { value: vnet.id },
        customPublicSubnetName: { value: host.name as pulumi.Output<string> },
        customPrivateSubnetName: { value: container.name as pulumi.Output<string> },
    },
});
new network.PrivateEndpoint(`${p}-backend`, {
    resourceGroupName, privateEndpointName: `${p}-backend`, subnet: { id: pe.id },
    privateLinkServiceConnections: [{ name: "backend", privateLinkServiceId: ws.id, groupIds: ["databricks_ui_api"] }],
});
export const workspaceUrl = ws.workspaceUrl;
