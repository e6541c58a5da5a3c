// Managed security: the baseline architecture. Classic compute runs in the customer's VNet (VNet
// injection) without public IPs (secure cluster connectivity) and reaches the control plane over
// back-end Private Link. Serverless compute keeps the stable egress subnets Databricks provides:
// the workspace is bound to a network connectivity configuration (NCC) of its region, whose
// subnets the data lake firewall allows. Users still reach the workspace over the internet.

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
    /** Delta Sharing recipients with token (open sharing) authentication. */
    sharingRecipients?: string[];
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

    // VNet injection: two subnets delegated to Azure Databricks, both with an NSG. With
    // NoAzureDatabricksRules Databricks adds no inbound rules to it.
    const nsg = new network.NetworkSecurityGroup(`${p}-nsg`, { resourceGroupName, networkSecurityGroupName: `${p}-nsg`, location });
    const vnet = new network.VirtualNetwork(`${p}-vnet`, {
        resourceGroupName, location, virtualNetworkName: `${p}-vnet`,
        addressSpace: { addressPrefixes: [`${octets}.0.0/16`] },
    });
    const serviceEndpoints = [{ service: "Microsoft.Storage", locations: [location] }];
    const host = new network.Subnet(`${p}-host`, {
        resourceGroupName, virtualNetworkName: vnet.name, subnetName: `${p}-host`, addressPrefix: `${octets}.0.0/22`,
        delegations: DATABRICKS_DELEGATION, networkSecurityGroup: { id: nsg.id }, serviceEndpoints,
    });
    const container = new network.Subnet(`${p}-container`, {
        resourceGroupName, virtualNetworkName: vnet.name, subnetName: `${p}-container`, addressPrefix: `${octets}.4.0/22`,
        delegations: DATABRICKS_DELEGATION, networkSecurityGroup: { id: nsg.id }, serviceEndpoints,
    }, { dependsOn: [host] });
    const privateLinkSubnet = new network.Subnet(`${p}-privatelink`, {
        resourceGroupName, virtualNetworkName: vnet.name, subnetName: `${p}-privatelink`, addressPrefix: `${octets}.8.0/26`,
    }, { dependsOn: [container] });

    const workspace = new azureDatabricks.Workspace(`${p}-ws`, {
        resourceGroupName, location, workspaceName: `${p}-ws`,
        managedResourceGroupId: pulumi.interpolate`/subscriptions/${client.subscriptionId}/resourceGroups/${p}-ws-managed`,
        sku: { name: "premium" },
        // Back-end Private Link: no public control-plane NSG rules.
        requiredNsgRules: "NoAzureDatabricksRules",
        publicNetworkAccess: "Enabled",
        parameters: {
            enableNoPublicIp: { value: true },
            customVirtualNetworkId: { value: vnet.id },
            customPublicSubnetName: { value: host.name as pulumi.Output<string> },
            customPrivateSubnetName: { value: container.name as pulumi.Output<string> },
        },
    });

    // Classic compute plane Private Link: a databricks_ui_api endpoint in the workspace's own VNet,
    // resolved through the private zone privatelink.azuredatabricks.net.
    const backend = new network.PrivateEndpoint(`${p}-backend`, {
        resourceGroupName, location, privateEndpointName: `${p}-backend`,
        subnet: { id: privateLinkSubnet.id },
        privateLinkServiceConnections: [{ name: `${p}-backend`, privateLinkServiceId: workspace.id, groupIds: ["databricks_ui_api"] }],
    });
    const zone = new privatedns.PrivateZone(`${p}-dns-databricks`, { resourceGroupName, location: "global", privateZoneName: "privatelink.azuredatabricks.net" });
    new privatedns.VirtualNetworkLink(`${p}-dns-databricks-link`, {
        resourceGroupName, location: "global", privateZoneName: zone.name, virtualNetworkLinkName: `${p}-vnet`,
        virtualNetwork: { id: vnet.id }, registrationEnabled: false,
    });
    new network.PrivateDnsZoneGroup(`${p}-backend-dns`, {
        resourceGroupName, privateEndpointName: backend.name, privateDnsZoneGroupName: "default",
        privateDnsZoneConfigs: [{ name: "databricks", privateDnsZoneId: zone.id }],
    });

    // Account-level resources: the NCC of the workspace's region publishes the stable subnets of
    // serverless compute (egressConfig.defaultRules.azureServiceEndpointRule.subnets).
    const account = new databricks.Provider(`${p}-account`, { host: "https://accounts.azuredatabricks.net", accountId: config.databricksAccountId });
    const ncc = new databricks.MwsNetworkConnectivityConfig(`${p}-ncc`, { name: `${p}-ncc-${location}`, region: location }, { provider: account });
    new databricks.MwsNccBinding(`${p}-ncc-binding`, {
        networkConnectivityConfigId: ncc.networkConnectivityConfigId, workspaceId: workspace.workspaceId,
    }, { provider: account });
    // Serverless egress stays open in this tier (Hardened connectivity restricts it); the policy is
    // declared so that the step to the next tier is one field.
    const egress = new databricks.AccountNetworkPolicy(`${p}-egress`, {
        networkPolicyId: `${p}-egress`, egress: { networkAccess: { restrictionMode: "FULL_ACCESS" } },
    }, { provider: account });
    new databricks.WorkspaceNetworkOption(`${p}-egress-option`, {
        workspaceId: workspace.workspaceId, networkPolicyId: egress.networkPolicyId,
    }, { provider: account });

    // The data lake (Unity Catalog storage): its firewall denies by default and allows the
    // workspace subnets (service endpoints) and the NCC's stable serverless subnets.
    const nccSubnets = ncc.egressConfig.apply(e => e?.defaultRules?.azureServiceEndpointRule?.subnets ?? []);
    new storage.StorageAccount(`${p}-lake`, {
        resourceGroupName, location, accountName: `${p}lake`,
        kind: "StorageV2", sku: { name: "Standard_ZRS" }, isHnsEnabled: true,
        minimumTlsVersion: "TLS1_2", allowBlobPublicAccess: false,
        networkRuleSet: {
            defaultAction: "Deny", bypass: "AzureServices",
            virtualNetworkRules: pulumi.all([host.id, container.id, nccSubnets]).apply(([h, c, serverless]) =>
                [h, c, ...serverless].map(id => ({ virtualNetworkResourceId: id, action: "Allow" as const }))),
        },
    });

    // Open Delta Sharing recipients (token authentication).
    const workspaceUrl = pulumi.interpolate`https://${workspace.workspaceUrl}`;
    const wsProvider = new databricks.Provider(`${p}-workspace`, { host: workspaceUrl, azureWorkspaceResourceId: workspace.id });
    for (const r of config.sharingRecipients ?? []) {
        new databricks.Recipient(`${p}-recipient-${r}`, { name: r, authenticationType: "TOKEN", comment: `open sharing with ${r}` }, { provider: wsProvider });
    }

    return { workspace, workspaceUrl, ncc };
}
