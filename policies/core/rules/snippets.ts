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

/** The workspace's parameters that turn on Secure Cluster Connectivity (`…`: the others it sets). */
export function noPublicIpCode(family: Family): string {
    return family === "azure" ? "customParameters: { noPublicIp: true, … }" : "parameters: { enableNoPublicIp: { value: true }, … }";
}

/** The workspace inputs that turn on Secure Cluster Connectivity. */
export function noPublicIpSnippet(family: Family): string {
    return `set \`${noPublicIpCode(family)}\` on the ${WORKSPACE_TYPE[family]}`;
}

/** The workspace's parameters that inject it into a customer VNet. */
export function vnetInjectionCode(family: Family): string {
    return family === "azure"
        ? "customParameters: { virtualNetworkId: vnet.id, publicSubnetName: host.name, privateSubnetName: container.name, publicSubnetNetworkSecurityGroupAssociationId: hostNsg.id, privateSubnetNetworkSecurityGroupAssociationId: containerNsg.id }"
        : "parameters: { customVirtualNetworkId: { value: vnet.id }, customPublicSubnetName: { value: host.name }, customPrivateSubnetName: { value: container.name } }";
}

/** The workspace inputs that inject it into a customer VNet. */
export function vnetInjectionSnippet(family: Family): string {
    return `set \`${vnetInjectionCode(family)}\` on the ${WORKSPACE_TYPE[family]}`;
}

const WORKSPACE_TYPE: Record<Family, string> = { azure: "azure.databricks.Workspace", "azure-native": "azure-native Workspace" };
