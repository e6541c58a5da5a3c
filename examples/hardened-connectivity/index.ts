import * as pulumi from "@pulumi/pulumi";
import { deploy } from "./deploy";

const config = new pulumi.Config();
const azure = new pulumi.Config("azure-native");

const result = deploy({
    prefix: config.get("prefix") ?? pulumi.getStack().replace(/[^a-z0-9]/g, ""),
    location: azure.require("location"),
    databricksAccountId: config.require("databricksAccountId"),
    vnetOctets: config.get("vnetOctets"),
    allowedIpRanges: config.requireObject<string[]>("allowedIpRanges"),
    sharingRecipients: config.getObject<{ name: string; allowedIpRanges: string[] }[]>("sharingRecipients"),
});

export const workspaceUrl = result.workspaceUrl;
export const workspaceId = result.workspace.workspaceId;
