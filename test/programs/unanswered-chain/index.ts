import * as azure from "@pulumi/azure";

// An existing VNet looked up, a subnet found by its name, and an NSG associated with it.
const vnet = azure.network.getVirtualNetworkOutput({ name: "spoke-vnet", resourceGroupName: "rg-network" });
const subnet = azure.network.getSubnetOutput({ name: "host", virtualNetworkName: vnet.name, resourceGroupName: "rg-network" });
const nsg = new azure.network.NetworkSecurityGroup("nsg", { resourceGroupName: "rg-network", location: "westeurope" });
new azure.network.SubnetNetworkSecurityGroupAssociation("host-nsg", { subnetId: subnet.id, networkSecurityGroupId: nsg.id });
