// Isolated environment: Hardened connectivity plus private access everywhere. The workspace
// accepts no public network access: users reach it through front-end private endpoints in a hub
// (transit) VNet, with a browser_authentication endpoint for single sign-on; Lakebase and Zerobus
// clients use a service_direct endpoint registered with the account. All classic compute egress
// goes through an Azure Firewall in the hub (default route to a virtual appliance). Account console
// IP access lists have no Pulumi resource: they are attested in the policy pack configuration.

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
    /** First two octets of the hub VNet (firewall and front-end endpoints), e.g. "10.30". */
    hubOctets?: string;
    /**
     * The Databricks regional Private Link Service for performance-intensive services (Lakebase,
     * Zerobus) of `location`, as published by Databricks for the region.
     */
    serviceDirectPrivateLinkServiceId: string;
    /** Delta Sharing recipients with token (open sharing) authentication, with the ranges each may connect from. */
    sharingRecipients?: { name: string; allowedIpRanges: string[] }[];
}

export interface Deployment {
    workspace: azureDatabricks.Workspace;
    workspaceUrl: pulumi.Output<string>;
    ncc: databricks.MwsNetworkConnectivityConfig;
    firewall: network.AzureFirewall;
}

const DATABRICKS_DELEGATION = [{ name: "databricks", serviceName: "Microsoft.Databricks/workspaces" }];

export function deploy(config: DeployConfig): Deployment {
    const p = config.prefix;
    const location = config.location;
    const octets = config.vnetOctets ?? "10.20";
    const hubOctets = config.hubOctets ?? "10.30";

    const client = authorization.getClientConfigOutput();
    const rg = new resources.ResourceGroup(`${p}-rg`, { resourceGroupName: `${p}-rg`, location });
    const resourceGroupName = rg.name;

    // VNet injection: two subnets delegated to Azure Databricks, both with an NSG.
    const nsg = new network.NetworkSecurityGroup(`${p}-nsg`, { resourceGroupName, networkSecurityGroupName: `${p}-nsg`, location });
    const vnet = new network.VirtualNetwork(`${p}-vnet`, {
        resourceGroupName, location, virtualNetworkName: `${p}-vnet`,
        addressSpace: { addressPrefixes: [`${octets}.0.0/16`] },
    });
    // Hub: Azure Firewall for all egress, and the transit subnet for front-end endpoints.
    const hub = new network.VirtualNetwork(`${p}-hub`, {
        resourceGroupName, location, virtualNetworkName: `${p}-hub`,
        addressSpace: { addressPrefixes: [`${hubOctets}.0.0/16`] },
    });
    const firewallSubnet = new network.Subnet(`${p}-hub-firewall`, {
        resourceGroupName, virtualNetworkName: hub.name, subnetName: "AzureFirewallSubnet", addressPrefix: `${hubOctets}.0.0/26`,
    });
    const transitSubnet = new network.Subnet(`${p}-hub-transit`, {
        resourceGroupName, virtualNetworkName: hub.name, subnetName: `${p}-transit`, addressPrefix: `${hubOctets}.1.0/26`,
    }, { dependsOn: [firewallSubnet] });
    const firewallIp = new network.PublicIPAddress(`${p}-firewall-ip`, {
        resourceGroupName, location, publicIpAddressName: `${p}-firewall-ip`,
        sku: { name: "Standard" }, publicIPAllocationMethod: "Static",
    });
    const firewall = new network.AzureFirewall(`${p}-firewall`, {
        resourceGroupName, location, azureFirewallName: `${p}-firewall`,
        sku: { name: "AZFW_VNet", tier: "Standard" },
        ipConfigurations: [{ name: "ipconfig", subnet: { id: firewallSubnet.id }, publicIPAddress: { id: firewallIp.id } }],
        // Only what Databricks classic compute needs; add your own destinations here.
        networkRuleCollections: [{
            name: "databricks", priority: 100, action: { type: "Allow" },
            rules: [{
                name: "control-plane-and-storage", protocols: ["TCP"], sourceAddresses: [`${octets}.0.0/21`],
                destinationAddresses: ["AzureDatabricks", "Storage", "EventHub", "Sql"], destinationPorts: ["443", "3306", "8443-8451", "9093"],
            }],
        }],
    });
    const firewallPrivateIp = firewall.ipConfigurations.apply(c => c?.[0]?.privateIPAddress ?? "");
    const routes = new network.RouteTable(`${p}-routes`, {
        resourceGroupName, location, routeTableName: `${p}-routes`,
        disableBgpRoutePropagation: true,
        routes: [{ name: "default-via-firewall", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: firewallPrivateIp }],
    });

    const host = new network.Subnet(`${p}-host`, {
        resourceGroupName, virtualNetworkName: vnet.name, subnetName: `${p}-host`, addressPrefix: `${octets}.0.0/22`,
        delegations: DATABRICKS_DELEGATION, networkSecurityGroup: { id: nsg.id }, routeTable: { id: routes.id },
    });
    const container = new network.Subnet(`${p}-container`, {
        resourceGroupName, virtualNetworkName: vnet.name, subnetName: `${p}-container`, addressPrefix: `${octets}.4.0/22`,
        delegations: DATABRICKS_DELEGATION, networkSecurityGroup: { id: nsg.id }, routeTable: { id: routes.id },
    }, { dependsOn: [host] });
    const privateLinkSubnet = new network.Subnet(`${p}-privatelink`, {
        resourceGroupName, virtualNetworkName: vnet.name, subnetName: `${p}-privatelink`, addressPrefix: `${octets}.8.0/26`,
    }, { dependsOn: [container] });
    // Spoke ↔ hub peering: the spoke reaches the firewall, users' traffic reaches the workspace.
    new network.VirtualNetworkPeering(`${p}-spoke-to-hub`, {
        resourceGroupName, virtualNetworkName: vnet.name, virtualNetworkPeeringName: "to-hub",
        remoteVirtualNetwork: { id: hub.id }, allowVirtualNetworkAccess: true, allowForwardedTraffic: true,
    });
    new network.VirtualNetworkPeering(`${p}-hub-to-spoke`, {
        resourceGroupName, virtualNetworkName: hub.name, virtualNetworkPeeringName: "to-spoke",
        remoteVirtualNetwork: { id: vnet.id }, allowVirtualNetworkAccess: true, allowForwardedTraffic: true,
    });

    // The access connector lets the workspace reach its default storage behind the storage firewall.
    const connector = new azureDatabricks.AccessConnector(`${p}-connector`, {
        resourceGroupName, location, connectorName: `${p}-connector`, identity: { type: "SystemAssigned" },
    });
    const workspace = new azureDatabricks.Workspace(`${p}-ws`, {
        resourceGroupName, location, workspaceName: `${p}-ws`,
        managedResourceGroupId: pulumi.interpolate`/subscriptions/${client.subscriptionId}/resourceGroups/${p}-ws-managed`,
        sku: { name: "premium" },
        requiredNsgRules: "NoAzureDatabricksRules",
        // Front-end Private Link: no access from the public internet.
        publicNetworkAccess: "Disabled",
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
    const databricksZone = privateZone(p, "databricks", "privatelink.azuredatabricks.net", resourceGroupName, vnet, backend);
    new privatedns.VirtualNetworkLink(`${p}-dns-databricks-hub-link`, {
        resourceGroupName, location: "global", privateZoneName: databricksZone.name, virtualNetworkLinkName: `${p}-hub`,
        virtualNetwork: { id: hub.id }, registrationEnabled: false,
    });

    // Front-end Private Link from the transit subnet: the web application and REST API, and
    // browser authentication (one per region; with several workspaces in the region, point it at
    // a dedicated web-auth workspace instead).
    for (const [key, group] of [["frontend", "databricks_ui_api"], ["webauth", "browser_authentication"]]) {
        const ep = new network.PrivateEndpoint(`${p}-${key}`, {
            resourceGroupName, location, privateEndpointName: `${p}-${key}`,
            subnet: { id: transitSubnet.id },
            privateLinkServiceConnections: [{ name: `${p}-${key}`, privateLinkServiceId: workspace.id, groupIds: [group] }],
        });
        new network.PrivateDnsZoneGroup(`${p}-${key}-dns`, {
            resourceGroupName, privateEndpointName: ep.name, privateDnsZoneGroupName: "default",
            privateDnsZoneConfigs: [{ name: "databricks", privateDnsZoneId: databricksZone.id }],
        });
    }

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
    // Inbound Private Link for performance-intensive services (Lakebase Postgres, Zerobus): an
    // endpoint to the regional service, registered with the account.
    const serviceDirect = new network.PrivateEndpoint(`${p}-service-direct`, {
        resourceGroupName, location, privateEndpointName: `${p}-service-direct`,
        subnet: { id: transitSubnet.id },
        manualPrivateLinkServiceConnections: [{
            name: `${p}-service-direct`, privateLinkServiceId: config.serviceDirectPrivateLinkServiceId, groupIds: ["service_direct"],
            requestMessage: "Databricks performance-intensive services",
        }],
    });
    // Azure reports the endpoint's resource GUID only in its ARM properties.
    const serviceDirectGuid = resources.getResourceOutput({
        resourceGroupName, resourceProviderNamespace: "Microsoft.Network", parentResourcePath: "",
        resourceType: "privateEndpoints", resourceName: serviceDirect.name, apiVersion: "2024-05-01",
    }).apply(r => String((r.properties as { resourceGuid?: string } | undefined)?.resourceGuid ?? ""));
    new databricks.Endpoint(`${p}-service-direct-registration`, {
        parent: `accounts/${config.databricksAccountId}`, displayName: `${p}-service-direct`, region: location,
        azurePrivateEndpointInfo: {
            privateEndpointName: serviceDirect.name as pulumi.Output<string>,
            privateEndpointResourceGuid: serviceDirectGuid,
            privateEndpointResourceId: serviceDirect.id,
        },
    }, { provider: account });
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

    return { workspace, workspaceUrl, ncc, firewall };
}

/** A private DNS zone linked to the VNet and attached to the endpoint. */
function privateZone(p: string, key: string, zoneName: string, resourceGroupName: pulumi.Input<string>,
    vnet: network.VirtualNetwork, endpoint: network.PrivateEndpoint): privatedns.PrivateZone {
    const zone = new privatedns.PrivateZone(`${p}-dns-${key}`, { resourceGroupName, location: "global", privateZoneName: zoneName });
    new privatedns.VirtualNetworkLink(`${p}-dns-${key}-link`, {
        resourceGroupName, location: "global", privateZoneName: zone.name, virtualNetworkLinkName: `${p}-vnet`,
        virtualNetwork: { id: vnet.id }, registrationEnabled: false,
    });
    new network.PrivateDnsZoneGroup(`${p}-dns-${key}-group`, {
        resourceGroupName, privateEndpointName: endpoint.name, privateDnsZoneGroupName: "default",
        privateDnsZoneConfigs: [{ name: key, privateDnsZoneId: zone.id }],
    });
    return zone;
}
