// Databricks-side resources (@pulumi/databricks) have no workspace field: they act on the workspace
// their provider is configured for (`azureWorkspaceResourceId` or `host`), or on the one named by
// `providerConfig.workspaceId` under an account-level provider. This resolves that link.

import { byPosition, push, stackIndex, StackIndex, StackModel, StackResource } from "../model/stack";
import { Kind } from "../model/types";
import { quoteId, read, Read, readString, whyUnknown } from "../model/values";

/** Private endpoint group of the workspace UI and REST API (front-end and back-end Private Link). */
export const UI_API_GROUP = "databricks_ui_api";
/** Private endpoint group of the region's web authentication (browser SSO). */
export const BROWSER_AUTH_GROUP = "browser_authentication";
/** The private DNS zone of Azure Databricks private endpoints. */
export const DATABRICKS_DNS_ZONE = "privatelink.azuredatabricks.net";

export type WorkspaceLink =
    /** The workspace is declared in this stack. */
    | { state: "resolved"; target: StackResource; via: string }
    /** The link names a workspace that is not declared here (`key` groups resources of one workspace). */
    | { state: "outside"; key: string; via: string }
    /** The value is unknown until apply (or secret) and the dependencies do not single out one workspace. */
    | { state: "unknown"; detail: string; candidates: StackResource[] }
    /** Nothing names a workspace (e.g. a provider configured from the environment). */
    | { state: "absent"; detail: string };

const WS: ["workspace"] = ["workspace"];

/** The workspace a Databricks workspace-level resource acts on. */
export function databricksWorkspaceOf(model: StackModel, r: StackResource): WorkspaceLink {
    const wsId = read(r.props, "providerConfig", "workspaceId");
    if (wsId.state === "known" && (typeof wsId.value === "string" || typeof wsId.value === "number") && String(wsId.value) !== "") {
        return byId(model, String(wsId.value), "providerConfig.workspaceId");
    }
    if (wsId.state === "unknown" || read(r.props, "providerConfig").state === "unknown") {
        return fromDependencies(model, r, "providerConfig", `providerConfig.workspaceId is ${whyUnknown(wsId)}`);
    }
    const provider = model.providerOf(r);
    if (!provider) {
        return { state: "absent", detail: "its provider is not part of the stack" };
    }
    const armId = readString(provider.props, "azureWorkspaceResourceId");
    const via = `provider ${quoteId(provider.name)}`;
    if (armId.state === "known" && armId.value !== "") {
        return byId(model, armId.value, `${via} azureWorkspaceResourceId`);
    }
    if (armId.state === "unknown") {
        return fromDependencies(model, provider, "azureWorkspaceResourceId", `${via} azureWorkspaceResourceId is ${whyUnknown(armId)}`);
    }
    const host = readString(provider.props, "host");
    if (host.state === "known" && host.value !== "") {
        return byHost(model, host.value, `${via} host`);
    }
    if (host.state === "unknown") {
        return fromDependencies(model, provider, "host", `${via} host is ${whyUnknown(host)}`);
    }
    return { state: "absent", detail: `${via} names no workspace (neither azureWorkspaceResourceId nor host is set in the stack)` };
}

function byId(model: StackModel, id: string, via: string): WorkspaceLink {
    const hits = model.lookupId(id, WS);
    if (hits.length >= 1) {
        return { state: "resolved", target: hits[0], via };
    }
    return { state: "outside", key: id.toLowerCase(), via };
}

/** Workspace URLs are indexed with and without the scheme; a trailing slash or path is ignored. */
function byHost(model: StackModel, host: string, via: string): WorkspaceLink {
    const bare = host.trim().toLowerCase().replace(/^https?:\/\//, "").replace(/\/.*$/, "");
    for (const candidate of [bare, `https://${bare}`]) {
        const hits = model.lookupId(candidate, WS);
        if (hits.length >= 1) {
            return { state: "resolved", target: hits[0], via };
        }
    }
    return { state: "outside", key: `https://${bare}`, via };
}

function fromDependencies(model: StackModel, from: StackResource, prop: string, detail: string): WorkspaceLink {
    const candidates = model.dependencyCandidates(from, prop, WS);
    if (candidates.length === 1) {
        return { state: "resolved", target: candidates[0], via: `${detail.split(" is unknown")[0]} (through its dependency)` };
    }
    return { state: "unknown", detail, candidates };
}

/** Whether a link may point at `ws`: yes, no, or open (unknown value that could be it). */
export function linksTo(link: WorkspaceLink, ws: StackResource, workspaceCount: number): "yes" | "no" | "maybe" {
    switch (link.state) {
        case "resolved":
            return link.target === ws ? "yes" : "no";
        case "outside":
            return "no";
        case "unknown":
            return link.candidates.length === 0 || link.candidates.includes(ws) ? "maybe" : "no";
        default:
            // A provider configured outside the stack could target the only workspace here.
            return workspaceCount === 1 ? "maybe" : "no";
    }
}

export interface LinkIndex<T> {
    /** Items by the workspace they resolve to or, while unknown, by each candidate workspace. */
    byWorkspace: Map<StackResource, T[]>;
    /** Unknown links with no candidate: they may point at any workspace. */
    anywhere: T[];
    /** Links naming no workspace: they may only point at the stack's single workspace. */
    absent: T[];
    position: Map<T, number>;
}

/** Items by the workspace their link may point at, built once per list. */
export function indexLinks<T extends { link: WorkspaceLink }>(items: readonly T[]): LinkIndex<T> {
    const index: LinkIndex<T> = { byWorkspace: new Map(), anywhere: [], absent: [], position: new Map() };
    items.forEach((x, i) => {
        index.position.set(x, i);
        const link = x.link;
        if (link.state === "resolved") {
            push(index.byWorkspace, link.target, x);
        } else if (link.state === "unknown") {
            if (link.candidates.length === 0) {
                index.anywhere.push(x);
            }
            for (const c of new Set(link.candidates)) {
                push(index.byWorkspace, c, x);
            }
        } else if (link.state === "absent") {
            index.absent.push(x);
        }
    });
    return index;
}

/** The indexed items whose link may point at `ws`, with `linksTo`'s answer, in their original order. */
export function linkedTo<T extends { link: WorkspaceLink }>(index: LinkIndex<T>, ws: StackResource, workspaceCount: number): (T & { rel: "yes" | "maybe" })[] {
    const candidates = [...(index.byWorkspace.get(ws) ?? []), ...index.anywhere, ...(workspaceCount === 1 ? index.absent : [])];
    candidates.sort(byPosition(index.position));
    return candidates.flatMap(x => {
        const rel = linksTo(x.link, ws, workspaceCount);
        return rel === "no" ? [] : [{ ...x, rel }];
    });
}

const ACCOUNT_KINDS: readonly Kind[] = ["databricksEndpoint", "ncc", "nccBinding", "nccPrivateEndpointRule", "accountNetworkPolicy", "workspaceNetworkOption", "accountIpAccessList"];

/** Whether the stack manages Databricks account-level resources (an account-level provider or account-only kinds). */
export function managesAccount(model: StackModel): boolean {
    if (ACCOUNT_KINDS.some(k => model.ofKind(k).length > 0)) {
        return true;
    }
    return model.resources.some(r => r.type === "pulumi:providers:databricks" && isAccountProvider(r.props));
}

function isAccountProvider(props: unknown): boolean {
    const host = readString(props, "host");
    const account = readString(props, "accountId");
    if (host.state === "known") {
        return /^(https?:\/\/)?accounts\./i.test(host.value.trim());
    }
    // An account ID without a workspace to act on makes an account-level provider.
    return account.state === "known" && account.value !== "" && readString(props, "azureWorkspaceResourceId").state === "absent";
}

/** Azure region names compare the way Azure does, without case, spaces, `_` or `-` ("West Europe" = "westeurope"). */
export function regionKey(r: Read<string>): string | undefined {
    return r.state === "known" && r.value.trim() !== "" ? r.value.replace(/[\s_-]+/g, "").toLowerCase() : undefined;
}

/**
 * The account-level registrations (`databricks.Endpoint`) of each private endpoint: by endpoint
 * name, else, for a registration whose name is unknown, by dependency. Endpoints of the same names
 * (copies of a stack) share one answer instead of each checking every registration.
 */
const REGISTRATIONS = stackIndex("Databricks endpoint registrations by private endpoint", model => {
    const regs = model.ofKind("databricksEndpoint");
    const position = new Map(regs.map((r, i) => [r, i]));
    const byName = new Map<string, StackResource[]>();
    const unnamed: StackResource[] = [];
    for (const r of regs) {
        const name = readString(r.props, "azurePrivateEndpointInfo", "privateEndpointName");
        if (name.state === "known") {
            push(byName, name.value.toLowerCase(), r);
        } else if (name.state === "unknown") {
            unnamed.push(r);
        }
    }
    const out = new Map<StackResource, StackResource[]>();
    const byNames = new Map<string, StackResource[]>();
    for (const pe of model.ofKind("privateEndpoint")) {
        const names = [readString(pe.props, pe.info?.family === "azure" ? "name" : "privateEndpointName"), readString(pe.props, "name")]
            .filter((n): n is { state: "known"; value: string } => n.state === "known").map(n => n.value.toLowerCase());
        const key = names.join("\u0000");
        const shared = unnamed.length === 0 ? byNames.get(key) : undefined;
        if (shared !== undefined) {
            out.set(pe, shared);
            continue;
        }
        const found = new Set(names.flatMap(n => byName.get(n) ?? []));
        for (const r of unnamed) {
            if (model.dependencyCandidates(r, "azurePrivateEndpointInfo", ["privateEndpoint"]).includes(pe)) {
                found.add(r);
            }
        }
        // In the stack's order, without scanning every registration for every endpoint.
        const list = [...found].sort(byPosition(position));
        out.set(pe, list);
        if (unnamed.length === 0) {
            byNames.set(key, list);
        }
    }
    return out;
});

/** The account-level registrations of a private endpoint (`databricks.Endpoint`). */
export function registrationsOf(model: StackModel, pe: StackResource): StackResource[] {
    return model.index(REGISTRATIONS).get(pe) ?? [];
}

/** A Databricks-side resource and the workspace it acts on. */
export interface LinkedResource {
    res: StackResource;
    link: WorkspaceLink;
}

type LinkedKind = "workspaceConf" | "ipAccessList" | "recipient";

const linksOfKind = (kind: LinkedKind): StackIndex<LinkIndex<LinkedResource>> =>
    stackIndex(`${kind} resources by workspace`, model => indexLinks(model.ofKind(kind).map(res => ({ res, link: databricksWorkspaceOf(model, res) }))));

const LINKS: Record<LinkedKind, StackIndex<LinkIndex<LinkedResource>>> = {
    workspaceConf: linksOfKind("workspaceConf"),
    ipAccessList: linksOfKind("ipAccessList"),
    recipient: linksOfKind("recipient"),
};

/** The stack's resources of a Databricks-side kind, indexed by the workspace they act on. */
export function workspaceLinks(model: StackModel, kind: LinkedKind): LinkIndex<LinkedResource> {
    return model.index(LINKS[kind]);
}
