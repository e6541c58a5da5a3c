import * as network from "@pulumi/azure-native/network";

console.log("deploying the network");
new network.VirtualNetwork("vnet", { resourceGroupName: "rg", addressSpace: { addressPrefixes: ["10.0.0.0/16"] } });
// A timer left running does not keep the command from finishing.
setInterval(() => console.log("tick"), 1000);
