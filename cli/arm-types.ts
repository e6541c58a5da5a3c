// The ARM resource type of a Pulumi Azure type token, for the IDs the mocks give resources.
// Neither SDK exposes the ARM type at run time, so the kinds programs commonly declare are listed
// here (with the inputs that name their parents); any other token gets a type derived from its
// module and type name (`azure-native:cdn:Profile` → `Microsoft.Cdn/profiles`), which is at least
// a valid ARM ID shape.

import { armShape, classify, CLASSIC_NAME_PROPS, NATIVE_NAME_PROPS, TypeInfo } from "../policies/core/model/types";

/**
 * How an ID is built: `namespace`, the type segments, and for each segment the input that names it
 * (`=literal` for a fixed name such as `default`; the last one names the resource itself).
 * `parentId` instead of parent names: the classic input holding the parent's ID (`keyVaultId`).
 */
export interface ArmType {
    namespace: string;
    types: string[];
    names: string[];
    parentId?: string;
}

const NET = "Microsoft.Network";
const KV = "Microsoft.KeyVault";

const NATIVE: Record<string, ArmType> = {
    "databricks:AccessConnector": { namespace: "Microsoft.Databricks", types: ["accessConnectors"], names: ["connectorName"] },
    "keyvault:Vault": { namespace: KV, types: ["vaults"], names: ["vaultName"] },
    "keyvault:Key": { namespace: KV, types: ["vaults", "keys"], names: ["vaultName", "keyName"] },
    "keyvault:Secret": { namespace: KV, types: ["vaults", "secrets"], names: ["vaultName", "secretName"] },
    "storage:BlobContainer": { namespace: "Microsoft.Storage", types: ["storageAccounts", "blobServices", "containers"], names: ["accountName", "=default", "containerName"] },
    "network:PublicIPAddress": { namespace: NET, types: ["publicIPAddresses"], names: ["publicIpAddressName"] },
    "network:PublicIPPrefix": { namespace: NET, types: ["publicIPPrefixes"], names: ["publicIpPrefixName"] },
    "network:PrivateDnsZoneGroup": { namespace: NET, types: ["privateEndpoints", "privateDnsZoneGroups"], names: ["privateEndpointName", "privateDnsZoneGroupName"] },
    "network:VirtualNetworkLink": { namespace: NET, types: ["privateDnsZones", "virtualNetworkLinks"], names: ["privateZoneName", "virtualNetworkLinkName"] },
    "privatedns:VirtualNetworkLink": { namespace: NET, types: ["privateDnsZones", "virtualNetworkLinks"], names: ["privateZoneName", "virtualNetworkLinkName"] },
    "network:VirtualNetworkPeering": { namespace: NET, types: ["virtualNetworks", "virtualNetworkPeerings"], names: ["virtualNetworkName", "virtualNetworkPeeringName"] },
    "network:SecurityRule": { namespace: NET, types: ["networkSecurityGroups", "securityRules"], names: ["networkSecurityGroupName", "securityRuleName"] },
    "network:FirewallPolicy": { namespace: NET, types: ["firewallPolicies"], names: ["firewallPolicyName"] },
    "network:FirewallPolicyRuleCollectionGroup": { namespace: NET, types: ["firewallPolicies", "ruleCollectionGroups"], names: ["firewallPolicyName", "ruleCollectionGroupName"] },
    "managedidentity:UserAssignedIdentity": { namespace: "Microsoft.ManagedIdentity", types: ["userAssignedIdentities"], names: ["resourceName"] },
    "operationalinsights:Workspace": { namespace: "Microsoft.OperationalInsights", types: ["workspaces"], names: ["workspaceName"] },
};

const CLASSIC: Record<string, ArmType> = {
    "databricks/accessConnector:AccessConnector": { namespace: "Microsoft.Databricks", types: ["accessConnectors"], names: ["name"] },
    "keyvault/keyVault:KeyVault": { namespace: KV, types: ["vaults"], names: ["name"] },
    "keyvault/key:Key": { namespace: KV, types: ["keys"], names: ["name"], parentId: "keyVaultId" },
    "keyvault/secret:Secret": { namespace: KV, types: ["secrets"], names: ["name"], parentId: "keyVaultId" },
    "storage/container:Container": { namespace: "Microsoft.Storage", types: ["blobServices", "containers"], names: ["=default", "name"], parentId: "storageAccountId" },
    "network/publicIp:PublicIp": { namespace: NET, types: ["publicIPAddresses"], names: ["name"] },
    "network/publicIpPrefix:PublicIpPrefix": { namespace: NET, types: ["publicIPPrefixes"], names: ["name"] },
    "network/virtualNetworkPeering:VirtualNetworkPeering": { namespace: NET, types: ["virtualNetworks", "virtualNetworkPeerings"], names: ["virtualNetworkName", "name"] },
    "network/networkSecurityRule:NetworkSecurityRule": { namespace: NET, types: ["networkSecurityGroups", "securityRules"], names: ["networkSecurityGroupName", "name"] },
    "network/firewallPolicy:FirewallPolicy": { namespace: NET, types: ["firewallPolicies"], names: ["name"] },
    "privatedns/zoneVirtualNetworkLink:ZoneVirtualNetworkLink": { namespace: NET, types: ["privateDnsZones", "virtualNetworkLinks"], names: ["privateDnsZoneName", "name"] },
    "privatedns/aRecord:ARecord": { namespace: NET, types: ["privateDnsZones", "A"], names: ["zoneName", "name"] },
    "dns/zone:Zone": { namespace: NET, types: ["dnsZones"], names: ["name"] },
    "authorization/userAssignedIdentity:UserAssignedIdentity": { namespace: "Microsoft.ManagedIdentity", types: ["userAssignedIdentities"], names: ["name"] },
    "operationalinsights/analyticsWorkspace:AnalyticsWorkspace": { namespace: "Microsoft.OperationalInsights", types: ["workspaces"], names: ["name"] },
};

/** Provider namespaces whose spelling the module name does not give. */
const NAMESPACES: Record<string, string> = {
    network: "Network", privatedns: "Network", dns: "Network", privatelink: "Network", lb: "Network",
    keyvault: "KeyVault", managedidentity: "ManagedIdentity", operationalinsights: "OperationalInsights",
    monitoring: "Insights", insights: "Insights", containerservice: "ContainerService", eventhub: "EventHub",
    cosmosdb: "DocumentDB", documentdb: "DocumentDB", appservice: "Web", web: "Web", core: "Resources",
    resources: "Resources", dbforpostgresql: "DBforPostgreSQL", dbformysql: "DBforMySQL", servicebus: "ServiceBus",
};

const lcFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

function plural(s: string): string {
    if (/[^aeiou]y$/i.test(s)) {
        return `${s.slice(0, -1)}ies`;
    }
    return /(s|x|ch|sh)$/i.test(s) ? `${s}es` : `${s}s`;
}

function derived(module: string, typeName: string, ownName: string): ArmType {
    const ns = NAMESPACES[module] ?? module.charAt(0).toUpperCase() + module.slice(1);
    return { namespace: `Microsoft.${ns}`, types: [plural(lcFirst(typeName))], names: [ownName] };
}

/** The ARM type of an Azure token; undefined for Databricks and non-Azure tokens. */
export function armType(info: TypeInfo): ArmType | undefined {
    if (info.family === "databricks") {
        return undefined;
    }
    const shape = info.kind ? armShape(info) : undefined;
    if (shape && info.kind) {
        const names = info.family === "azure-native" ? NATIVE_NAME_PROPS[info.kind] : CLASSIC_NAME_PROPS[info.kind] ?? ["name"];
        if (names && names.length === shape.types.length) {
            return { namespace: shape.namespace, types: shape.types, names };
        }
    }
    const key = `${info.module}:${info.typeName}`;
    if (info.family === "azure-native") {
        return NATIVE[key] ?? derived(info.module, info.typeName, `${lcFirst(info.typeName)}Name`);
    }
    return CLASSIC[key] ?? derived(info.module.split("/")[0], info.typeName, "name");
}

/** The name the inputs give one segment: the input itself, or one spelled alike in another case. */
function nameInput(inputs: Record<string, unknown>, prop: string): string | undefined {
    if (prop.startsWith("=")) {
        return prop.slice(1);
    }
    const key = prop in inputs ? prop : Object.keys(inputs).find(k => k.toLowerCase() === prop.toLowerCase());
    const v = key === undefined ? undefined : inputs[key];
    return typeof v === "string" && v !== "" ? v : undefined;
}

/** The ARM ID Azure would give a resource of this token, name and inputs. */
export function armIdOf(type: string, name: string, inputs: Record<string, unknown>, subscription: string): string | undefined {
    const info = classify(type);
    if (!info || info.family === "databricks") {
        return undefined;
    }
    const rg = nameInput(inputs, "resourceGroupName") ?? "rg";
    if ((info.family === "azure-native" && key(info) === "resources:ResourceGroup") || (info.family === "azure" && key(info) === "core/resourceGroup:ResourceGroup")) {
        return `/subscriptions/${subscription}/resourceGroups/${info.family === "azure" ? nameInput(inputs, "name") ?? name : nameInput(inputs, "resourceGroupName") ?? name}`;
    }
    // Classic associations carry the subnet's ID as their own.
    if (info.family === "azure" && /Association$/.test(info.typeName) && typeof inputs.subnetId === "string") {
        return inputs.subnetId;
    }
    const t = armType(info) as ArmType;
    const last = t.names.length - 1;
    const segments = t.types.map((ty, i) => `${ty}/${nameInput(inputs, t.names[i]) ?? (i === last ? name : "parent")}`).join("/");
    const parent = t.parentId ? nameInput(inputs, t.parentId) : undefined;
    if (parent?.startsWith("/subscriptions/")) {
        return `${parent}/${segments}`;
    }
    return `/subscriptions/${subscription}/resourceGroups/${rg}/providers/${t.namespace}/${segments}`;
}

function key(info: TypeInfo): string {
    return `${info.module}:${info.typeName}`;
}
