// Resource type tokens → the kinds of resource the features reason about. azure-native tokens are
// matched by pattern so that versioned forms (`azure-native:network/v20230901:Subnet`) and older
// major versions (`azure-native:network:PrivateZone`) are recognised too.

export type Family = "azure-native" | "azure" | "databricks";

export type Kind =
    | "workspace"
    | "privateEndpoint"
    | "privateDnsZoneGroup"
    | "virtualNetwork"
    | "subnet"
    | "networkSecurityGroup"
    | "subnetNsgAssociation"
    | "routeTable"
    | "route"
    | "subnetRouteTableAssociation"
    | "firewall"
    | "networkVirtualAppliance"
    | "networkInterface"
    | "natGateway"
    | "subnetNatGatewayAssociation"
    | "privateDnsZone"
    | "privateDnsZoneVnetLink"
    | "storageAccount"
    | "storageNetworkRules"
    | "workspaceConf"
    | "ipAccessList"
    | "recipient"
    | "accountNetworkPolicy"
    | "workspaceNetworkOption"
    | "ncc"
    | "nccBinding"
    | "nccPrivateEndpointRule"
    | "databricksEndpoint"
    | "accountIpAccessList";

export interface TypeInfo {
    family: Family;
    /** Module without version, e.g. `network`. */
    module: string;
    /** API version of a versioned azure-native token, e.g. `2024-05-01`. */
    apiVersion?: string;
    typeName: string;
    kind?: Kind;
}

/**
 * ARM identity of a resource type: namespace, type segments, and for each segment the input that
 * names it (`=literal` for a fixed name such as `default`; the last one names the resource itself).
 */
export interface ArmShape {
    namespace: string;
    types: string[];
    names: string[];
    /** Classic types named under a parent by its ID rather than its names: the input holding that ID. */
    parentId?: string;
}

/**
 * One type token: the kind the features reason about, if any, and its ARM identity, if it has its
 * own ARM ID. The mocks also give IDs to types no feature reads, so those are listed with no kind.
 */
interface KindSpec {
    kind?: Kind;
    arm?: ArmShape;
}

const NET = "Microsoft.Network";
const KV = "Microsoft.KeyVault";
const arm = (namespace: string, types: string[], names: string[], parentId?: string): ArmShape =>
    (parentId === undefined ? { namespace, types, names } : { namespace, types, names, parentId });

const NATIVE: Record<string, KindSpec> = {
    "databricks:Workspace": { kind: "workspace", arm: arm("Microsoft.Databricks", ["workspaces"], ["workspaceName"]) },
    "databricks:AccessConnector": { arm: arm("Microsoft.Databricks", ["accessConnectors"], ["connectorName"]) },
    "network:PrivateEndpoint": { kind: "privateEndpoint", arm: arm(NET, ["privateEndpoints"], ["privateEndpointName"]) },
    "network:PrivateDnsZoneGroup": { kind: "privateDnsZoneGroup", arm: arm(NET, ["privateEndpoints", "privateDnsZoneGroups"], ["privateEndpointName", "privateDnsZoneGroupName"]) },
    "network:VirtualNetwork": { kind: "virtualNetwork", arm: arm(NET, ["virtualNetworks"], ["virtualNetworkName"]) },
    "network:Subnet": { kind: "subnet", arm: arm(NET, ["virtualNetworks", "subnets"], ["virtualNetworkName", "subnetName"]) },
    "network:NetworkSecurityGroup": { kind: "networkSecurityGroup", arm: arm(NET, ["networkSecurityGroups"], ["networkSecurityGroupName"]) },
    "network:SecurityRule": { arm: arm(NET, ["networkSecurityGroups", "securityRules"], ["networkSecurityGroupName", "securityRuleName"]) },
    "network:RouteTable": { kind: "routeTable", arm: arm(NET, ["routeTables"], ["routeTableName"]) },
    "network:Route": { kind: "route", arm: arm(NET, ["routeTables", "routes"], ["routeTableName", "routeName"]) },
    "network:AzureFirewall": { kind: "firewall", arm: arm(NET, ["azureFirewalls"], ["azureFirewallName"]) },
    "network:FirewallPolicy": { arm: arm(NET, ["firewallPolicies"], ["firewallPolicyName"]) },
    "network:FirewallPolicyRuleCollectionGroup": { arm: arm(NET, ["firewallPolicies", "ruleCollectionGroups"], ["firewallPolicyName", "ruleCollectionGroupName"]) },
    "network:NetworkVirtualAppliance": { kind: "networkVirtualAppliance", arm: arm(NET, ["networkVirtualAppliances"], ["networkVirtualApplianceName"]) },
    "network:NetworkInterface": { kind: "networkInterface", arm: arm(NET, ["networkInterfaces"], ["networkInterfaceName"]) },
    "network:NatGateway": { kind: "natGateway", arm: arm(NET, ["natGateways"], ["natGatewayName"]) },
    "network:PublicIPAddress": { arm: arm(NET, ["publicIPAddresses"], ["publicIpAddressName"]) },
    "network:PublicIPPrefix": { arm: arm(NET, ["publicIPPrefixes"], ["publicIpPrefixName"]) },
    "network:VirtualNetworkPeering": { arm: arm(NET, ["virtualNetworks", "virtualNetworkPeerings"], ["virtualNetworkName", "virtualNetworkPeeringName"]) },
    // Private DNS lived in the network module before azure-native v2.
    "privatedns:PrivateZone": { kind: "privateDnsZone", arm: arm(NET, ["privateDnsZones"], ["privateZoneName"]) },
    "network:PrivateZone": { kind: "privateDnsZone", arm: arm(NET, ["privateDnsZones"], ["privateZoneName"]) },
    "privatedns:VirtualNetworkLink": { kind: "privateDnsZoneVnetLink", arm: arm(NET, ["privateDnsZones", "virtualNetworkLinks"], ["privateZoneName", "virtualNetworkLinkName"]) },
    "network:VirtualNetworkLink": { kind: "privateDnsZoneVnetLink", arm: arm(NET, ["privateDnsZones", "virtualNetworkLinks"], ["privateZoneName", "virtualNetworkLinkName"]) },
    "storage:StorageAccount": { kind: "storageAccount", arm: arm("Microsoft.Storage", ["storageAccounts"], ["accountName"]) },
    "storage:BlobContainer": { arm: arm("Microsoft.Storage", ["storageAccounts", "blobServices", "containers"], ["accountName", "=default", "containerName"]) },
    "keyvault:Vault": { arm: arm(KV, ["vaults"], ["vaultName"]) },
    "keyvault:Key": { arm: arm(KV, ["vaults", "keys"], ["vaultName", "keyName"]) },
    "keyvault:Secret": { arm: arm(KV, ["vaults", "secrets"], ["vaultName", "secretName"]) },
    "managedidentity:UserAssignedIdentity": { arm: arm("Microsoft.ManagedIdentity", ["userAssignedIdentities"], ["resourceName"]) },
    "operationalinsights:Workspace": { arm: arm("Microsoft.OperationalInsights", ["workspaces"], ["workspaceName"]) },
};

const CLASSIC: Record<string, KindSpec> = {
    "databricks/workspace:Workspace": { kind: "workspace", arm: arm("Microsoft.Databricks", ["workspaces"], ["name"]) },
    "databricks/accessConnector:AccessConnector": { arm: arm("Microsoft.Databricks", ["accessConnectors"], ["name"]) },
    "privatelink/endpoint:Endpoint": { kind: "privateEndpoint", arm: arm(NET, ["privateEndpoints"], ["name"]) },
    "network/virtualNetwork:VirtualNetwork": { kind: "virtualNetwork", arm: arm(NET, ["virtualNetworks"], ["name"]) },
    "network/subnet:Subnet": { kind: "subnet", arm: arm(NET, ["virtualNetworks", "subnets"], ["virtualNetworkName", "name"]) },
    "network/networkSecurityGroup:NetworkSecurityGroup": { kind: "networkSecurityGroup", arm: arm(NET, ["networkSecurityGroups"], ["name"]) },
    "network/networkSecurityRule:NetworkSecurityRule": { arm: arm(NET, ["networkSecurityGroups", "securityRules"], ["networkSecurityGroupName", "name"]) },
    "network/subnetNetworkSecurityGroupAssociation:SubnetNetworkSecurityGroupAssociation": { kind: "subnetNsgAssociation" },
    "network/routeTable:RouteTable": { kind: "routeTable", arm: arm(NET, ["routeTables"], ["name"]) },
    "network/route:Route": { kind: "route", arm: arm(NET, ["routeTables", "routes"], ["routeTableName", "name"]) },
    "network/subnetRouteTableAssociation:SubnetRouteTableAssociation": { kind: "subnetRouteTableAssociation" },
    "network/firewall:Firewall": { kind: "firewall", arm: arm(NET, ["azureFirewalls"], ["name"]) },
    "network/firewallPolicy:FirewallPolicy": { arm: arm(NET, ["firewallPolicies"], ["name"]) },
    "network/networkInterface:NetworkInterface": { kind: "networkInterface", arm: arm(NET, ["networkInterfaces"], ["name"]) },
    "network/natGateway:NatGateway": { kind: "natGateway", arm: arm(NET, ["natGateways"], ["name"]) },
    "network/subnetNatGatewayAssociation:SubnetNatGatewayAssociation": { kind: "subnetNatGatewayAssociation" },
    "network/publicIp:PublicIp": { arm: arm(NET, ["publicIPAddresses"], ["name"]) },
    "network/publicIpPrefix:PublicIpPrefix": { arm: arm(NET, ["publicIPPrefixes"], ["name"]) },
    "network/virtualNetworkPeering:VirtualNetworkPeering": { arm: arm(NET, ["virtualNetworks", "virtualNetworkPeerings"], ["virtualNetworkName", "name"]) },
    "privatedns/zone:Zone": { kind: "privateDnsZone", arm: arm(NET, ["privateDnsZones"], ["name"]) },
    "privatedns/zoneVirtualNetworkLink:ZoneVirtualNetworkLink": { kind: "privateDnsZoneVnetLink", arm: arm(NET, ["privateDnsZones", "virtualNetworkLinks"], ["privateDnsZoneName", "name"]) },
    "privatedns/aRecord:ARecord": { arm: arm(NET, ["privateDnsZones", "A"], ["zoneName", "name"]) },
    "dns/zone:Zone": { arm: arm(NET, ["dnsZones"], ["name"]) },
    "storage/account:Account": { kind: "storageAccount", arm: arm("Microsoft.Storage", ["storageAccounts"], ["name"]) },
    "storage/accountNetworkRules:AccountNetworkRules": { kind: "storageNetworkRules" },
    "storage/container:Container": { arm: arm("Microsoft.Storage", ["blobServices", "containers"], ["=default", "name"], "storageAccountId") },
    "keyvault/keyVault:KeyVault": { arm: arm(KV, ["vaults"], ["name"]) },
    "keyvault/key:Key": { arm: arm(KV, ["keys"], ["name"], "keyVaultId") },
    "keyvault/secret:Secret": { arm: arm(KV, ["secrets"], ["name"], "keyVaultId") },
    "authorization/userAssignedIdentity:UserAssignedIdentity": { arm: arm("Microsoft.ManagedIdentity", ["userAssignedIdentities"], ["name"]) },
    "operationalinsights/analyticsWorkspace:AnalyticsWorkspace": { arm: arm("Microsoft.OperationalInsights", ["workspaces"], ["name"]) },
};

const DATABRICKS: Record<string, KindSpec> = {
    "WorkspaceConf": { kind: "workspaceConf" },
    "IpAccessList": { kind: "ipAccessList" },
    "Recipient": { kind: "recipient" },
    "AccountNetworkPolicy": { kind: "accountNetworkPolicy" },
    "WorkspaceNetworkOption": { kind: "workspaceNetworkOption" },
    "MwsNetworkConnectivityConfig": { kind: "ncc" },
    "MwsNccBinding": { kind: "nccBinding" },
    "MwsNccPrivateEndpointRule": { kind: "nccPrivateEndpointRule" },
    "Endpoint": { kind: "databricksEndpoint" },
    // Not in @pulumi/databricks 1.110; recognised should a provider version add it.
    "AccountIpAccessList": { kind: "accountIpAccessList" },
};

const NATIVE_RE = /^azure-native:([A-Za-z0-9]+)(?:\/([A-Za-z0-9]+))?:([A-Za-z0-9]+)$/;
const CLASSIC_RE = /^azure:([A-Za-z0-9]+\/[A-Za-z0-9]+):([A-Za-z0-9]+)$/;
const DATABRICKS_RE = /^databricks:([A-Za-z0-9]+)\/([A-Za-z0-9]+):([A-Za-z0-9]+)$/;
const API_VERSION_RE = /^v(\d{4})(\d{2})(\d{2})((?:preview)?)$/;

const cache = new Map<string, TypeInfo | undefined>();

/** Classifies a type token; undefined for anything outside the three providers. */
export function classify(type: string): TypeInfo | undefined {
    if (cache.has(type)) {
        return cache.get(type);
    }
    const info = classifyUncached(type);
    cache.set(type, info);
    return info;
}

function classifyUncached(type: string): TypeInfo | undefined {
    if (typeof type !== "string") {
        return undefined;
    }
    let m = NATIVE_RE.exec(type);
    if (m) {
        const [, module, version, typeName] = m;
        const v = version ? API_VERSION_RE.exec(version) : null;
        const apiVersion = v ? `${v[1]}-${v[2]}-${v[3]}${v[4] ? "-preview" : ""}` : undefined;
        const spec = NATIVE[`${module}:${typeName}`];
        return { family: "azure-native", module, apiVersion, typeName, kind: spec?.kind };
    }
    m = CLASSIC_RE.exec(type);
    if (m) {
        const [, module, typeName] = m;
        return { family: "azure", module, typeName, kind: CLASSIC[`${module}:${typeName}`]?.kind };
    }
    m = DATABRICKS_RE.exec(type);
    if (m) {
        const [, module, , typeName] = m;
        return { family: "databricks", module, typeName, kind: DATABRICKS[typeName]?.kind };
    }
    return undefined;
}

/** The ARM shape of a classified type, if it is an Azure resource with its own ID. */
export function armShape(info: TypeInfo): ArmShape | undefined {
    if (info.family === "azure-native") {
        return NATIVE[`${info.module}:${info.typeName}`]?.arm;
    }
    if (info.family === "azure") {
        return CLASSIC[`${info.module}:${info.typeName}`]?.arm;
    }
    return undefined;
}
