import * as network from "@pulumi/azure-native/network";

new network.VirtualNetwork("vnet", { resourceGroupName: "rg", addressSpace: { addressPrefixes: ["10.0.0.0/16"] } });
setTimeout(() => {
    throw new Error("the timer failed");
}, 10);
export = async () => {
    await new Promise(resolve => setTimeout(resolve, 50));
};
