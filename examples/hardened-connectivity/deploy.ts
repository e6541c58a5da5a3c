// Hardened connectivity: Managed security plus hardened ingress and egress, with public endpoints
// kept. Users reach the workspace only from allowed networks (workspace IP access lists); open
// Delta Sharing recipients are limited to their networks; serverless egress is restricted by an
// enforced account network policy; serverless compute reaches the data lake over NCC private
// endpoints, classic compute over Azure private endpoints; the workspace's default (DBFS root)
// storage is behind its firewall. Account console IP access lists have no Pulumi resource: they
// are attested in the policy pack configuration (see policy-pack-config.json).

import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";
import * as authorization from "@pulumi/azure-native/authorization";
import * as azureDatabricks from "@pulumi/azure-native/databricks";
import * as network from "@pulumi/azure-native/network";
import * as privatedns from "@pulumi/azure-native/privatedns";
import * as resources from "@pulumi/azure-native/resources";
import * as storage from "@pulumi/azure-native/storage";

export interface DeployConfig {
    /** Prefix of every logical and Azure name (lower-case letters and digits). */
    prefix: string;
    /** Azure region of the workspace, its network and its NCC. */
    location: string;
    /** The Databricks account (Account console → account ID). */
    databricksAccountId: string;
    /** First two octets of the workspace VNet, e.g. "10.20" for 10.20.0.0/16. */
    vnetOctets?: string;
    /** Public ranges users and automation reach the workspace from (workspace IP access list). */
    allowedIpRanges: string[];
    /** Delta Sharing recipients with token (open sharing) authentication, with the ranges each may connect from. */
    sharingRecipients?: { name: string; allowedIpRanges: string[] }[];
}

export interface Deployment {
    workspace: azureDatabricks.Workspace;
    workspaceUrl: pulumi.Output<string>;
    ncc: databricks.MwsNetworkConnectivityConfig;
}

const DATABRICKS_DELEGATION = [{ name: "databricks", serviceName: "Microsoft.Databricks/workspaces" }];

export function deploy(config: DeployConfig): Deployment {
    const p = config.prefix;
    const location = config.location;
    const octets = config.vnetOctets ?? "10.20";

    const client = authorization.getClientConfigOutput();
    const rg = new resources.ResourceGroup(`${p}-rg`, { resourceGroupName: `${p}-rg`, location });
    const resourceGroupName = rg.name;

    // VNet injection: two subnets delegated to Azure Databricks, both with an NSG.
    const nsg = new network.NetworkSecurityGroup(`${p}-nsg`, { resourceGroupName, networkSecurityGroupName: `${p}-nsg`, location });
    const vnet = new network.VirtualNetwork(`${p}-vnet`, {
        resourceGroupName, location, virtualNetworkName: `${p}-vnet`,
        addressSpace: { addressPrefixes: [`${octets}.0.0/16`] },
    });
    const host = new network.Subnet(`${p}-host`, {
        resourceGroupName, virtualNetworkName: vnet.name, subnetName: `${p}-host`, addressPrefix: `${octets}.0.0/22`,
        delegations: DATABRICKS_DELEGATION, networkSecurityGroup: { id: nsg.id },
    });
    const container = new network.Subnet(`${p}-container`, {
        resourceGroupName, virtualNetworkName: vnet.name, subnetName: `${p}-container`, addressPrefix: `${octets}.4.0/22`,
        delegations: DATABRICKS_DELEGATION, networkSecurityGroup: { id: nsg.id },
    }, { dependsOn: [host] });
    const privateLinkSubnet = new network.Subnet(`${p}-privatelink`, {
        resourceGroupName, virtualNetworkName: vnet.name, subnetName: `${p}-privatelink`, addressPrefix: `${octets}.8.0/26`,
    }, { dependsOn: [container] });

    // The access connector lets the workspace reach its default storage behind the storage firewall.
    const connector = new azureDatabricks.AccessConnector(`${p}-connector`, {
        resourceGroupName, location, connectorName: `${p}-connector`, identity: { type: "SystemAssigned" },
    });
    const workspace = new azureDatabricks.Workspace(`${p}-ws`, {
        resourceGroupName, location, workspaceName: `${p}-ws`,
        managedResourceGroupId: pulumi.interpolate`/subscriptions/${client.subscriptionId}/resourceGroups/${p}-ws-managed`,
        sku: { name: "premium" },
        requiredNsgRules: "NoAzureDatabricksRules",
        publicNetworkAccess: "Enabled",
        defaultStorageFirewall: "Enabled",
        accessConnector: { id: connector.id, identityType: "SystemAssigned" },
        parameters: {
            enableNoPublicIp: { value: true },
            customVirtualNetworkId: { value: vnet.id },
            customPublicSubnetName: { value: host.name as pulumi.Output<string> },
            customPrivateSubnetName: { value: container.name as pulumi.Output<string> },
        },
    });

    // Classic compute plane Private Link (back-end endpoint in the workspace VNet).
    const backend = new network.PrivateEndpoint(`${p}-backend`, {
        resourceGroupName, location, privateEndpointName: `${p}-backend`,
        subnet: { id: privateLinkSubnet.id },
        privateLinkServiceConnections: [{ name: `${p}-backend`, privateLinkServiceId: workspace.id, groupIds: ["databricks_ui_api"] }],
    });
    privateZone(p, "databricks", "privatelink.azuredatabricks.net", resourceGroupName, vnet, backend);

    // The data lake: closed to the public, reached by classic compute over private endpoints.
    const lake = new storage.StorageAccount(`${p}-lake`, {
        resourceGroupName, location, accountName: `${p}lake`,
        kind: "StorageV2", sku: { name: "Standard_ZRS" }, isHnsEnabled: true,
        minimumTlsVersion: "TLS1_2", allowBlobPublicAccess: false,
        publicNetworkAccess: "Disabled",
        networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices" },
    });
    for (const group of ["blob", "dfs"]) {
        const ep = new network.PrivateEndpoint(`${p}-lake-${group}`, {
            resourceGroupName, location, privateEndpointName: `${p}-lake-${group}`,
            subnet: { id: privateLinkSubnet.id },
            privateLinkServiceConnections: [{ name: `${p}-lake-${group}`, privateLinkServiceId: lake.id, groupIds: [group] }],
        });
        privateZone(p, group, `privatelink.${group}.core.windows.net`, resourceGroupName, vnet, ep);
    }

    // Account level: the NCC of the workspace's region with private endpoint rules to the lake
    // (approve them on the storage account), and an enforced egress policy for serverless compute.
    const account = new databricks.Provider(`${p}-account`, { host: "https://accounts.azuredatabricks.net", accountId: config.databricksAccountId });
    const ncc = new databricks.MwsNetworkConnectivityConfig(`${p}-ncc`, { name: `${p}-ncc-${location}`, region: location }, { provider: account });
    new databricks.MwsNccBinding(`${p}-ncc-binding`, {
        networkConnectivityConfigId: ncc.networkConnectivityConfigId, workspaceId: workspace.workspaceId,
    }, { provider: account });
    for (const group of ["blob", "dfs"]) {
        new databricks.MwsNccPrivateEndpointRule(`${p}-ncc-lake-${group}`, {
            networkConnectivityConfigId: ncc.networkConnectivityConfigId, resourceId: lake.id, groupId: group,
        }, { provider: account });
    }
    const egress = new databricks.AccountNetworkPolicy(`${p}-egress`, {
        networkPolicyId: `${p}-egress`,
        egress: {
            networkAccess: {
                restrictionMode: "RESTRICTED_ACCESS",
                policyEnforcement: { enforcementMode: "ENFORCED" },
                allowedStorageDestinations: [{ azureStorageAccount: `${p}lake`, azureStorageService: "dfs", storageDestinationType: "AZURE_STORAGE" }],
            },
        },
    }, { provider: account });
    new databricks.WorkspaceNetworkOption(`${p}-egress-option`, {
        workspaceId: workspace.workspaceId, networkPolicyId: egress.networkPolicyId,
    }, { provider: account });
    // The account console and account APIs: context-based ingress on the account's fixed policy
    // account-policy, which always exists and is therefore adopted with `import`.
    new databricks.AccountNetworkPolicy(`${p}-account-policy`, {
        networkPolicyId: "account-policy",
        ingress: {
            publicAccess: {
                restrictionMode: "RESTRICTED_ACCESS",
                allowRules: [{
                    label: "corporate",
                    origin: { includedIpRanges: { ipRanges: config.allowedIpRanges } },
                    destination: { accountUi: { allDestinations: true }, accountApi: { scopes: ["all-apis"] } },
                }],
            },
        },
    }, { provider: account, import: "account-policy" });

    // Workspace level: IP access lists for the web application and REST API, and open Delta
    // Sharing recipients limited to their networks.
    const workspaceUrl = pulumi.interpolate`https://${workspace.workspaceUrl}`;
    const wsProvider = new databricks.Provider(`${p}-workspace`, { host: workspaceUrl, azureWorkspaceResourceId: workspace.id });
    new databricks.WorkspaceConf(`${p}-conf`, { customConfig: { enableIpAccessLists: "true" } }, { provider: wsProvider });
    new databricks.IpAccessList(`${p}-allowed`, {
        label: "corporate", listType: "ALLOW", ipAddresses: config.allowedIpRanges, enabled: true,
    }, { provider: wsProvider });
    for (const r of config.sharingRecipients ?? []) {
        new databricks.Recipient(`${p}-recipient-${r.name}`, {
            name: r.name, authenticationType: "TOKEN", comment: `open sharing with ${r.name}`,
            ipAccessList: { allowedIpAddresses: r.allowedIpRanges },
        }, { provider: wsProvider });
    }

    return { workspace, workspaceUrl, ncc };
}

/** A private DNS zone linked to the VNet and attached to the endpoint. */
function privateZone(p: string, key: string, zoneName: string, resourceGroupName: pulumi.Input<string>,
    vnet: network.VirtualNetwork, endpoint: network.PrivateEndpoint): void {
    const zone = new privatedns.PrivateZone(`${p}-dns-${key}`, { resourceGroupName, location: "global", privateZoneName: zoneName });
    new privatedns.VirtualNetworkLink(`${p}-dns-${key}-link`, {
        resourceGroupName, location: "global", privateZoneName: zone.name, virtualNetworkLinkName: `${p}-vnet`,
        virtualNetwork: { id: vnet.id }, registrationEnabled: false,
    });
    new network.PrivateDnsZoneGroup(`${p}-dns-${key}-group`, {
        resourceGroupName, privateEndpointName: endpoint.name, privateDnsZoneGroupName: "default",
        privateDnsZoneConfigs: [{ name: key, privateDnsZoneId: zone.id }],
    });
}
