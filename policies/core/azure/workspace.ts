// One normalised view of an Azure Databricks workspace, whichever provider declares it.

import { idKey, stackIndex, StackModel, StackResource, Ref } from "../model/stack";
import { cutId, known, quoteId, Read, readBool, readString } from "../model/values";

export interface WorkspaceView {
    res: StackResource;
    family: "azure-native" | "azure";
    /** `computeMode: "Serverless"` (azure-native): no classic compute plane. */
    serverless: Read<boolean>;
    sku: Read<string>;
    location: Read<string>;
    /** The top-level input that holds the network parameters (for dependency resolution). */
    paramsProp: "parameters" | "customParameters";
    noPublicIp: Read<boolean>;
    vnetId: Read<string>;
    /** Host ("public") subnet name. */
    publicSubnet: Read<string>;
    /** Container ("private") subnet name. */
    privateSubnet: Read<string>;
    requiredNsgRules: Read<string>;
    /** "Enabled" / "Disabled" (classic booleans are mapped). */
    publicNetworkAccess: Read<string>;
    /** API version the resource is created with, when the token or provider version tells. */
    apiVersion?: string;
}

/** The stack's workspaces, read once per model (every feature judges them). */
export function workspaces(model: StackModel): WorkspaceView[] {
    return model.index(WORKSPACES);
}

const WORKSPACES = stackIndex("workspaces", model => model.ofKind("workspace").map(workspaceView));

/** A workspace as the features read it (a resource check reads the one resource it is given). */
export function workspaceView(res: StackResource): WorkspaceView {
    return res.info?.family === "azure" ? classicView(res) : nativeView(res);
}

/** `{ value: x }` wrapper of azure-native workspace parameters. */
function param<T>(res: StackResource, name: string, reader: (o: unknown, ...p: string[]) => Read<T>): Read<T> {
    return reader(res.props, "parameters", name, "value");
}

function nativeView(res: StackResource): WorkspaceView {
    const computeMode = readString(res.props, "computeMode");
    return {
        res,
        family: "azure-native",
        serverless: computeMode.state === "known" ? known(computeMode.value.toLowerCase() === "serverless") : computeMode.state === "absent" ? known(false) : computeMode,
        sku: readString(res.props, "sku", "name"),
        location: readString(res.props, "location"),
        paramsProp: "parameters",
        noPublicIp: param(res, "enableNoPublicIp", readBool),
        vnetId: param(res, "customVirtualNetworkId", readString),
        publicSubnet: param(res, "customPublicSubnetName", readString),
        privateSubnet: param(res, "customPrivateSubnetName", readString),
        requiredNsgRules: readString(res.props, "requiredNsgRules"),
        publicNetworkAccess: readString(res.props, "publicNetworkAccess"),
        apiVersion: res.info?.apiVersion ?? nativeDefaultApiVersion(res.providerVersion),
    };
}

function classicView(res: StackResource): WorkspaceView {
    const pna = readBool(res.props, "publicNetworkAccessEnabled");
    return {
        res,
        family: "azure",
        serverless: known(false),
        sku: readString(res.props, "sku"),
        location: readString(res.props, "location"),
        paramsProp: "customParameters",
        noPublicIp: readBool(res.props, "customParameters", "noPublicIp"),
        vnetId: readString(res.props, "customParameters", "virtualNetworkId"),
        publicSubnet: readString(res.props, "customParameters", "publicSubnetName"),
        privateSubnet: readString(res.props, "customParameters", "privateSubnetName"),
        requiredNsgRules: readString(res.props, "networkSecurityGroupRulesRequired"),
        publicNetworkAccess: pna.state === "known" ? known(pna.value ? "Enabled" : "Disabled") : pna,
        apiVersion: classicApiVersion(res.providerVersion),
    };
}

/** The Databricks API version behind an unversioned azure-native token, by provider major version. */
function nativeDefaultApiVersion(providerVersion: string | undefined): string | undefined {
    const major = majorOf(providerVersion);
    if (major === undefined) {
        return undefined;
    }
    if (major <= 1) {
        return "2018-04-01";
    }
    return major === 2 ? "2023-02-01" : "2024-05-01";
}

function classicApiVersion(providerVersion: string | undefined): string | undefined {
    const major = majorOf(providerVersion);
    if (major === undefined) {
        return undefined;
    }
    return major >= 6 ? "2024-05-01" : "2023-02-01";
}

function majorOf(version: string | undefined): number | undefined {
    const m = version ? /^v?(\d+)\./.exec(version) : null;
    return m ? Number(m[1]) : undefined;
}

/** Whether the workspace's SKU is Premium (or a trial of it); unknown stays unknown. */
export function premium(ws: WorkspaceView): Read<boolean> {
    if (ws.sku.state !== "known") {
        return ws.sku;
    }
    const s = ws.sku.value.toLowerCase();
    return known(s === "premium" || s === "trial");
}

/** The workspace's VNet, resolved in the stack or outside it. */
export function workspaceVnet(model: StackModel, ws: WorkspaceView): Ref {
    return model.resolve(ws.res, ws.paramsProp, ws.vnetId, ["virtualNetwork"]);
}

/** Human name of a resource in messages: logical name and type (both cut, as every quoted value). */
export function describe(res: StackResource): string {
    return `${quoteId(res.name)} (${cutId(res.type)})`;
}

/** Whether an identifier names this workspace: logical name, URN, Azure name, ARM ID (any case) or workspace ID. */
export function matchesWorkspace(ws: WorkspaceView, ident: string): boolean {
    if (ident === ws.res.urn || ident.toLowerCase() === ws.res.name.toLowerCase()) {
        return true;
    }
    const azName = readString(ws.res.props, ws.family === "azure" ? "name" : "workspaceName");
    if (azName.state === "known" && azName.value.toLowerCase() === ident.toLowerCase()) {
        return true;
    }
    return ws.res.keys.includes(idKey(ident));
}
