"""Hardened connectivity: the resources of ../deploy.ts, declared in Python.

The same logical names, types, inputs and options as the TypeScript program, so that the two make
the same stack (the same URNs) and the policy pack judges them alike. See ../deploy.ts for why each
resource is there. Nested inputs whose type has defaults are `*Args` objects, which fill them as the
Node.js SDK does (a plain dict is sent as written).
"""

from dataclasses import dataclass
from typing import Optional, Sequence, TypedDict

import pulumi
import pulumi_azure_native.authorization as authorization
import pulumi_azure_native.databricks as azure_databricks
import pulumi_azure_native.network as network
import pulumi_azure_native.privatedns as privatedns
import pulumi_azure_native.resources as resources
import pulumi_azure_native.storage as storage
import pulumi_databricks as databricks


class SharingRecipient(TypedDict):
    name: str
    allowedIpRanges: list[str]


@dataclass
class DeployConfig:
    prefix: str
    location: str
    databricks_account_id: str
    allowed_ip_ranges: list[str]
    vnet_octets: Optional[str] = None
    sharing_recipients: Optional[Sequence[SharingRecipient]] = None


@dataclass
class Deployment:
    workspace: azure_databricks.Workspace
    workspace_url: pulumi.Output[str]
    ncc: databricks.MwsNetworkConnectivityConfig


DATABRICKS_DELEGATION = [{"name": "databricks", "service_name": "Microsoft.Databricks/workspaces"}]


def deploy(config: DeployConfig) -> Deployment:
    p = config.prefix
    location = config.location
    octets = config.vnet_octets or "10.20"

    client = authorization.get_client_config_output()
    rg = resources.ResourceGroup(f"{p}-rg", resource_group_name=f"{p}-rg", location=location)
    resource_group_name = rg.name

    nsg = network.NetworkSecurityGroup(f"{p}-nsg", resource_group_name=resource_group_name,
                                       network_security_group_name=f"{p}-nsg", location=location)
    vnet = network.VirtualNetwork(f"{p}-vnet", resource_group_name=resource_group_name, location=location,
                                  virtual_network_name=f"{p}-vnet",
                                  address_space={"address_prefixes": [f"{octets}.0.0/16"]})
    host = network.Subnet(f"{p}-host", resource_group_name=resource_group_name, virtual_network_name=vnet.name,
                          subnet_name=f"{p}-host", address_prefix=f"{octets}.0.0/22",
                          delegations=DATABRICKS_DELEGATION, network_security_group={"id": nsg.id})
    container = network.Subnet(f"{p}-container", resource_group_name=resource_group_name,
                               virtual_network_name=vnet.name, subnet_name=f"{p}-container",
                               address_prefix=f"{octets}.4.0/22", delegations=DATABRICKS_DELEGATION,
                               network_security_group={"id": nsg.id},
                               opts=pulumi.ResourceOptions(depends_on=[host]))
    private_link_subnet = network.Subnet(f"{p}-privatelink", resource_group_name=resource_group_name,
                                         virtual_network_name=vnet.name, subnet_name=f"{p}-privatelink",
                                         address_prefix=f"{octets}.8.0/26",
                                         opts=pulumi.ResourceOptions(depends_on=[container]))

    connector = azure_databricks.AccessConnector(f"{p}-connector", resource_group_name=resource_group_name,
                                                 location=location, connector_name=f"{p}-connector",
                                                 identity={"type": "SystemAssigned"})
    workspace = azure_databricks.Workspace(
        f"{p}-ws", resource_group_name=resource_group_name, location=location, workspace_name=f"{p}-ws",
        managed_resource_group_id=pulumi.Output.concat("/subscriptions/", client.subscription_id,
                                                       f"/resourceGroups/{p}-ws-managed"),
        sku={"name": "premium"},
        required_nsg_rules="NoAzureDatabricksRules",
        public_network_access="Enabled",
        default_storage_firewall="Enabled",
        access_connector={"id": connector.id, "identity_type": "SystemAssigned"},
        parameters={
            "enable_no_public_ip": {"value": True},
            "custom_virtual_network_id": {"value": vnet.id},
            "custom_public_subnet_name": {"value": host.name},
            "custom_private_subnet_name": {"value": container.name},
        })

    backend = network.PrivateEndpoint(f"{p}-backend", resource_group_name=resource_group_name, location=location,
                                      private_endpoint_name=f"{p}-backend",
                                      subnet=network.SubnetArgs(id=private_link_subnet.id),
                                      private_link_service_connections=[{
                                          "name": f"{p}-backend", "private_link_service_id": workspace.id,
                                          "group_ids": ["databricks_ui_api"]}])
    private_zone(p, "databricks", "privatelink.azuredatabricks.net", resource_group_name, vnet, backend)

    lake = storage.StorageAccount(f"{p}-lake", resource_group_name=resource_group_name, location=location,
                                  account_name=f"{p}lake", kind="StorageV2", sku={"name": "Standard_ZRS"},
                                  is_hns_enabled=True, minimum_tls_version="TLS1_2", allow_blob_public_access=False,
                                  public_network_access="Disabled",
                                  network_rule_set=storage.NetworkRuleSetArgs(default_action="Deny",
                                                                              bypass="AzureServices"))
    for group in ["blob", "dfs"]:
        ep = network.PrivateEndpoint(f"{p}-lake-{group}", resource_group_name=resource_group_name, location=location,
                                     private_endpoint_name=f"{p}-lake-{group}",
                                     subnet=network.SubnetArgs(id=private_link_subnet.id),
                                     private_link_service_connections=[{
                                         "name": f"{p}-lake-{group}", "private_link_service_id": lake.id,
                                         "group_ids": [group]}])
        private_zone(p, group, f"privatelink.{group}.core.windows.net", resource_group_name, vnet, ep)

    account = databricks.Provider(f"{p}-account", host="https://accounts.azuredatabricks.net",
                                  account_id=config.databricks_account_id)
    on_account = pulumi.ResourceOptions(provider=account)
    ncc = databricks.MwsNetworkConnectivityConfig(f"{p}-ncc", name=f"{p}-ncc-{location}", region=location,
                                                  opts=on_account)
    databricks.MwsNccBinding(f"{p}-ncc-binding", network_connectivity_config_id=ncc.network_connectivity_config_id,
                             workspace_id=workspace.workspace_id, opts=on_account)
    for group in ["blob", "dfs"]:
        databricks.MwsNccPrivateEndpointRule(f"{p}-ncc-lake-{group}",
                                             network_connectivity_config_id=ncc.network_connectivity_config_id,
                                             resource_id=lake.id, group_id=group, opts=on_account)
    egress = databricks.AccountNetworkPolicy(f"{p}-egress", network_policy_id=f"{p}-egress", egress={
        "network_access": {
            "restriction_mode": "RESTRICTED_ACCESS",
            "policy_enforcement": {"enforcement_mode": "ENFORCED"},
            "allowed_storage_destinations": [{"azure_storage_account": f"{p}lake", "azure_storage_service": "dfs",
                                              "storage_destination_type": "AZURE_STORAGE"}],
        },
    }, opts=on_account)
    databricks.WorkspaceNetworkOption(f"{p}-egress-option", workspace_id=workspace.workspace_id,
                                      network_policy_id=egress.network_policy_id, opts=on_account)
    # account-policy always exists, so it is adopted with `import`.
    databricks.AccountNetworkPolicy(f"{p}-account-policy", network_policy_id="account-policy", ingress={
        "public_access": {
            "restriction_mode": "RESTRICTED_ACCESS",
            "allow_rules": [{
                "label": "corporate",
                "origin": {"included_ip_ranges": {"ip_ranges": config.allowed_ip_ranges}},
                "destination": {"account_ui": {"all_destinations": True}, "account_api": {"scopes": ["all-apis"]}},
            }],
        },
    }, opts=pulumi.ResourceOptions(provider=account, import_="account-policy"))

    workspace_url = pulumi.Output.concat("https://", workspace.workspace_url)
    ws_provider = databricks.Provider(f"{p}-workspace", host=workspace_url, azure_workspace_resource_id=workspace.id)
    on_workspace = pulumi.ResourceOptions(provider=ws_provider)
    databricks.WorkspaceConf(f"{p}-conf", custom_config={"enableIpAccessLists": "true"}, opts=on_workspace)
    databricks.IpAccessList(f"{p}-allowed", label="corporate", list_type="ALLOW",
                            ip_addresses=config.allowed_ip_ranges, enabled=True, opts=on_workspace)
    for r in config.sharing_recipients or []:
        databricks.Recipient(f"{p}-recipient-{r['name']}", name=r["name"], authentication_type="TOKEN",
                             comment=f"open sharing with {r['name']}",
                             ip_access_list={"allowed_ip_addresses": r["allowedIpRanges"]}, opts=on_workspace)

    return Deployment(workspace=workspace, workspace_url=workspace_url, ncc=ncc)


def private_zone(p: str, key: str, zone_name: str, resource_group_name: pulumi.Input[str],
                 vnet: network.VirtualNetwork, endpoint: network.PrivateEndpoint) -> None:
    """A private DNS zone linked to the VNet and attached to the endpoint."""
    zone = privatedns.PrivateZone(f"{p}-dns-{key}", resource_group_name=resource_group_name, location="global",
                                  private_zone_name=zone_name)
    privatedns.VirtualNetworkLink(f"{p}-dns-{key}-link", resource_group_name=resource_group_name, location="global",
                                  private_zone_name=zone.name, virtual_network_link_name=f"{p}-vnet",
                                  virtual_network={"id": vnet.id}, registration_enabled=False)
    network.PrivateDnsZoneGroup(f"{p}-dns-{key}-group", resource_group_name=resource_group_name,
                                private_endpoint_name=endpoint.name, private_dns_zone_group_name="default",
                                private_dns_zone_configs=[{"name": key, "private_dns_zone_id": zone.id}])
