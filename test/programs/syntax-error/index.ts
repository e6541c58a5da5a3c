import * as network from "@pulumi/azure-native/network";

const vnet = new network.VirtualNetwork("vnet", {
    resourceGroupName: "rg",
    addressSpace: { addressPrefixes: ["10.0.0.0/16"] ,
});
