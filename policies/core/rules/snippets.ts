// Fix snippets in the provider the program uses: a classic @pulumi/azure workspace gets azurerm-style
// code (`azure.privatelink.Endpoint`, `customParameters`), an azure-native one azure-native code.

import { WorkspaceView } from "../azure/workspace";

type Family = WorkspaceView["family"];

/** A private endpoint to `target` with one group, declared in `subnet`, in the workspace's provider. */
export function endpointSnippet(family: Family, name: string, subnet: string, target: string, group: string, manual = false): string {
    if (family === "azure") {
        return `new azure.privatelink.Endpoint("${name}", { subnetId: ${subnet}.id, privateServiceConnection: { name: "${name}", privateConnectionResourceId: ${target}, subresourceNames: ["${group}"], isManualConnection: ${manual} } })`;
    }
    const connections = manual ? "manualPrivateLinkServiceConnections" : "privateLinkServiceConnections";
    return `new azure_native.network.PrivateEndpoint("${name}", { subnet: { id: ${subnet}.id }, ${connections}: [{ name: "${name}", privateLinkServiceId: ${target}, groupIds: ["${group}"] }] })`;
}

/** The workspace inputs that turn on Secure Cluster Connectivity. */
export function noPublicIpSnippet(family: Family): string {
    return family === "azure"
        ? "set `customParameters: { noPublicIp: true, … }` on the azure.databricks.Workspace"
        : "set `parameters: { enableNoPublicIp: { value: true }, … }` on the azure-native Workspace";
}

/** The workspace inputs that inject it into a customer VNet. */
export function vnetInjectionSnippet(family: Family): string {
    return family === "azure"
        ? "set `customParameters: { virtualNetworkId: vnet.id, publicSubnetName: host.name, privateSubnetName: container.name, publicSubnetNetworkSecurityGroupAssociationId: hostNsg.id, privateSubnetNetworkSecurityGroupAssociationId: containerNsg.id }` on the azure.databricks.Workspace"
        : "set `parameters: { customVirtualNetworkId: { value: vnet.id }, customPublicSubnetName: { value: host.name }, customPrivateSubnetName: { value: container.name } }` on the azure-native Workspace";
}
