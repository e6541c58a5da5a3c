import * as network from "@pulumi/azure-native/network";

// A lookup of an existing hub VNet: no mock answers this invoke unless one is supplied.
const hub = network.getVirtualNetworkOutput({ resourceGroupName: "rg-hub", virtualNetworkName: "hub" });
new network.VirtualNetwork("spoke", { resourceGroupName: "rg", addressSpace: { addressPrefixes: [hub.addressSpace.apply(a => a?.addressPrefixes?.[0] ?? "10.1.0.0/16")] } });
