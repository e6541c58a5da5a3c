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

/** ARM identity of a kind: namespace and type segments, and how a declared resource names itself. */
export interface ArmShape {
    namespace: string;
    types: string[];
}

interface KindSpec {
    kind: Kind;
    arm?: ArmShape;
}

const NET = "Microsoft.Network";

const NATIVE: Record<string, KindSpec> = {
    "databricks:Workspace": { kind: "workspace", arm: { namespace: "Microsoft.Databricks", types: ["workspaces"] } },
    "network:PrivateEndpoint": { kind: "privateEndpoint", arm: { namespace: NET, types: ["privateEndpoints"] } },
    "network:PrivateDnsZoneGroup": { kind: "privateDnsZoneGroup" },
    "network:VirtualNetwork": { kind: "virtualNetwork", arm: { namespace: NET, types: ["virtualNetworks"] } },
    "network:Subnet": { kind: "subnet", arm: { namespace: NET, types: ["virtualNetworks", "subnets"] } },
    "network:NetworkSecurityGroup": { kind: "networkSecurityGroup", arm: { namespace: NET, types: ["networkSecurityGroups"] } },
    "network:RouteTable": { kind: "routeTable", arm: { namespace: NET, types: ["routeTables"] } },
    "network:Route": { kind: "route", arm: { namespace: NET, types: ["routeTables", "routes"] } },
    "network:AzureFirewall": { kind: "firewall", arm: { namespace: NET, types: ["azureFirewalls"] } },
    "network:NetworkVirtualAppliance": { kind: "networkVirtualAppliance", arm: { namespace: NET, types: ["networkVirtualAppliances"] } },
    "network:NetworkInterface": { kind: "networkInterface", arm: { namespace: NET, types: ["networkInterfaces"] } },
    "network:NatGateway": { kind: "natGateway", arm: { namespace: NET, types: ["natGateways"] } },
    // Private DNS lived in the network module before azure-native v2.
    "privatedns:PrivateZone": { kind: "privateDnsZone", arm: { namespace: NET, types: ["privateDnsZones"] } },
    "network:PrivateZone": { kind: "privateDnsZone", arm: { namespace: NET, types: ["privateDnsZones"] } },
    "privatedns:VirtualNetworkLink": { kind: "privateDnsZoneVnetLink" },
    "network:VirtualNetworkLink": { kind: "privateDnsZoneVnetLink" },
    "storage:StorageAccount": { kind: "storageAccount", arm: { namespace: "Microsoft.Storage", types: ["storageAccounts"] } },
};

const CLASSIC: Record<string, KindSpec> = {
    "databricks/workspace:Workspace": { kind: "workspace", arm: { namespace: "Microsoft.Databricks", types: ["workspaces"] } },
    "privatelink/endpoint:Endpoint": { kind: "privateEndpoint", arm: { namespace: NET, types: ["privateEndpoints"] } },
    "network/virtualNetwork:VirtualNetwork": { kind: "virtualNetwork", arm: { namespace: NET, types: ["virtualNetworks"] } },
    "network/subnet:Subnet": { kind: "subnet", arm: { namespace: NET, types: ["virtualNetworks", "subnets"] } },
    "network/networkSecurityGroup:NetworkSecurityGroup": { kind: "networkSecurityGroup", arm: { namespace: NET, types: ["networkSecurityGroups"] } },
    "network/subnetNetworkSecurityGroupAssociation:SubnetNetworkSecurityGroupAssociation": { kind: "subnetNsgAssociation" },
    "network/routeTable:RouteTable": { kind: "routeTable", arm: { namespace: NET, types: ["routeTables"] } },
    "network/route:Route": { kind: "route", arm: { namespace: NET, types: ["routeTables", "routes"] } },
    "network/subnetRouteTableAssociation:SubnetRouteTableAssociation": { kind: "subnetRouteTableAssociation" },
    "network/firewall:Firewall": { kind: "firewall", arm: { namespace: NET, types: ["azureFirewalls"] } },
    "network/networkInterface:NetworkInterface": { kind: "networkInterface", arm: { namespace: NET, types: ["networkInterfaces"] } },
    "network/natGateway:NatGateway": { kind: "natGateway", arm: { namespace: NET, types: ["natGateways"] } },
    "network/subnetNatGatewayAssociation:SubnetNatGatewayAssociation": { kind: "subnetNatGatewayAssociation" },
    "privatedns/zone:Zone": { kind: "privateDnsZone", arm: { namespace: NET, types: ["privateDnsZones"] } },
    "privatedns/zoneVirtualNetworkLink:ZoneVirtualNetworkLink": { kind: "privateDnsZoneVnetLink" },
    "storage/account:Account": { kind: "storageAccount", arm: { namespace: "Microsoft.Storage", types: ["storageAccounts"] } },
    "storage/accountNetworkRules:AccountNetworkRules": { kind: "storageNetworkRules" },
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

/** The azure-native input that names a resource of this kind, e.g. `workspaceName`. */
export const NATIVE_NAME_PROPS: Partial<Record<Kind, string[]>> = {
    workspace: ["workspaceName"],
    privateEndpoint: ["privateEndpointName"],
    virtualNetwork: ["virtualNetworkName"],
    subnet: ["virtualNetworkName", "subnetName"],
    networkSecurityGroup: ["networkSecurityGroupName"],
    routeTable: ["routeTableName"],
    route: ["routeTableName", "routeName"],
    firewall: ["azureFirewallName"],
    networkVirtualAppliance: ["networkVirtualApplianceName"],
    networkInterface: ["networkInterfaceName"],
    natGateway: ["natGatewayName"],
    privateDnsZone: ["privateZoneName"],
    storageAccount: ["accountName"],
};

/** The classic inputs that name a resource of this kind (the last one is the resource's own name). */
export const CLASSIC_NAME_PROPS: Partial<Record<Kind, string[]>> = {
    subnet: ["virtualNetworkName", "name"],
    route: ["routeTableName", "name"],
};
