// Which storage accounts of a stack Databricks really uses. A storage account belongs to the
// workspaces only through a link: the workspace's own default storage, an NCC private endpoint
// rule, a network policy's allowed storage destination, a Unity Catalog external location, a role
// assignment to an access connector; the private and service endpoints from a workspace's VNet are
// read by storage.ts. Other storage (a Machine Learning workspace's, diagnostics) is not judged.

import { idKey, push, stackIndex, StackModel, StackResource } from "../model/stack";
import { quoteId, readArray, readString, Read } from "../model/values";

/** `<account>.dfs.core.windows.net` or `.blob.` in a URL (abfss://container@account.dfs…). */
const STORAGE_HOST = /(?:^|[@/])([a-z0-9]{3,24})\.(?:dfs|blob)\.core\.windows\.net/i;

/** The account's Azure names, lower-case: its name input, and the last segment of its ARM ID. */
function storageNames(s: StackResource): string[] {
    const names = new Set<string>();
    for (const prop of ["accountName", "name"]) {
        const v = readString(s.props, prop);
        if (v.state === "known") {
            names.add(v.value.toLowerCase());
        }
    }
    for (const k of s.keys) {
        const m = /\/storageaccounts\/([^/]+)$/.exec(k);
        if (m) {
            names.add(m[1]);
        }
    }
    return [...names];
}

const NAMED_BY_DATABRICKS = stackIndex("storage account names Databricks resources name", model => {
    const out = new Map<string, string>();
    for (const p of model.ofKind("accountNetworkPolicy")) {
        const dest = readArray(p.props, "egress", "networkAccess", "allowedStorageDestinations");
        for (const d of dest.state === "known" ? dest.value : []) {
            const name = readString(d, "azureStorageAccount");
            if (name.state === "known") {
                out.set(name.value.toLowerCase(), `an allowed storage destination of network policy ${quoteId(p.name)}`);
            }
        }
    }
    for (const r of model.resources) {
        if (r.info?.family !== "databricks" || r.info.typeName !== "ExternalLocation") {
            continue;
        }
        const url = readString(r.props, "url");
        const m = url.state === "known" ? STORAGE_HOST.exec(url.value) : null;
        if (m) {
            out.set(m[1].toLowerCase(), `external location ${quoteId(r.name)}`);
        }
    }
    for (const ws of model.ofKind("workspace")) {
        const name: Read<string> = ws.info?.family === "azure"
            ? readString(ws.props, "customParameters", "storageAccountName")
            : readString(ws.props, "parameters", "storageAccountName", "value");
        if (name.state === "known") {
            out.set(name.value.toLowerCase(), `the default storage of workspace ${quoteId(ws.name)}`);
        }
    }
    return out;
});

/** Storage account names the stack's Databricks resources name, with what names each. */
function namedByDatabricks(model: StackModel): Map<string, string> {
    return model.index(NAMED_BY_DATABRICKS);
}

const GRANTED_TO_CONNECTORS = stackIndex("storage accounts granted to access connectors", model => {
    const out = new Set<StackResource>();
    for (const r of model.resources) {
        if (!/RoleAssignment$|^Assignment$/.test(r.info?.typeName ?? "") || r.info?.family === "databricks") {
            continue;
        }
        const deps = new Set([...r.dependencyUrns, ...Object.values(r.propertyDependencyUrns).flat()]);
        const viaConnector = [...deps].some(u => /AccessConnector$/.test(model.get(u)?.info?.typeName ?? ""));
        if (!viaConnector) {
            continue;
        }
        const scope = model.resolve(r, "scope", readString(r.props, "scope"), ["storageAccount"]);
        if (scope.state === "resolved") {
            out.add(scope.target);
        }
    }
    return out;
});

/** Storage accounts a role assignment grants to an access connector (the connector's identity). */
function grantedToConnectors(model: StackModel): Set<StackResource> {
    return model.index(GRANTED_TO_CONNECTORS);
}

/** Whether the configuration names the account (Azure name, or ARM ID in any letter case). */
function configured(s: StackResource, names: readonly string[]): boolean {
    const own = storageNames(s);
    return names.some(n => own.includes(n.toLowerCase()) || s.keys.includes(idKey(n)));
}

/**
 * Why Databricks uses this storage account (a workspace-independent link), or undefined;
 * `listed` are the accounts the configuration names (workspaceStorageAccounts).
 */
export function databricksLink(model: StackModel, s: StackResource, listed: readonly string[] = []): string | undefined {
    if (configured(s, listed)) {
        return "the pack configuration (workspaceStorageAccounts)";
    }
    const rules = nccRulesTo(model, s);
    if (rules.length > 0) {
        return `NCC private endpoint rule ${quoteId(rules[0].name)}`;
    }
    if (grantedToConnectors(model).has(s)) {
        return "a role assignment to an access connector";
    }
    const named = namedByDatabricks(model);
    for (const n of storageNames(s)) {
        const why = named.get(n);
        if (why) {
            return why;
        }
    }
    return undefined;
}

const NCC_RULES_BY_TARGET = stackIndex("NCC private endpoint rules by target storage URN", model => {
    const m = new Map<string, StackResource[]>();
    for (const r of model.ofKind("nccPrivateEndpointRule")) {
        const t = model.resolve(r, "resourceId", readString(r.props, "resourceId"), ["storageAccount"]);
        if (t.state === "resolved") {
            push(m, t.target.urn, r);
        }
    }
    return m;
});

/** NCC private endpoint rules of the stack that target the storage account (by ID in any case, or by dependency). */
export function nccRulesTo(model: StackModel, s: StackResource): StackResource[] {
    const index = model.index(NCC_RULES_BY_TARGET);
    return index.get(s.urn) ?? [];
}
