"""Hardened connectivity in Python: ../index.ts, reading the same stack configuration."""

import re

import pulumi

from deploy import DeployConfig, deploy

config = pulumi.Config()
azure = pulumi.Config("azure-native")

result = deploy(DeployConfig(
    prefix=config.get("prefix") or re.sub(r"[^a-z0-9]", "", pulumi.get_stack()),
    location=azure.require("location"),
    databricks_account_id=config.require("databricksAccountId"),
    vnet_octets=config.get("vnetOctets"),
    allowed_ip_ranges=config.require_object("allowedIpRanges"),
    sharing_recipients=config.get_object("sharingRecipients"),
))

pulumi.export("workspaceUrl", result.workspace_url)
pulumi.export("workspaceId", result.workspace.workspace_id)
