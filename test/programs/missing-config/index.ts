import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";

const config = new pulumi.Config();
new network.VirtualNetwork("vnet", { resourceGroupName: config.require("resourceGroup"), addressSpace: { addressPrefixes: ["10.0.0.0/16"] } });
