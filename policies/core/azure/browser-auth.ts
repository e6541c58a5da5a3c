// Browser authentication (single sign-on through Private Link) is served per region: one
// browser_authentication endpoint to any workspace of a region serves every workspace there. These
// lookups group the stack's endpoints and workspaces by region once per model.

import { BROWSER_AUTH_GROUP, regionKey } from "./databricks";
import { endpoints, EndpointConnection, EndpointView, hasGroup } from "./network";
import { push, stackIndex, StackModel, StackResource } from "../model/stack";
import { Read } from "../model/values";
import { workspaces, workspaceView } from "./workspace";

export interface BrowserAuthConnection {
    endpoint: EndpointView;
    connection: EndpointConnection;
    /** Whether the connection carries browser_authentication: known to, or unknown. */
    group: Read<boolean>;
}

export interface RegionalBrowserAuth {
    /** Connections settled by region (known group, a workspace of the stack with a known region). */
    regional: Map<string, { endpoint: EndpointView; target: StackResource }[]>;
    /** Per region, the endpoints a workspace of it relies on: the first, and every classic one (its DNS zone group is inline). */
    kept: Map<string, EndpointView[]>;
    /** The others, as they are. */
    rest: BrowserAuthConnection[];
}

/** Connections that may carry browser_authentication (group known to include it, or unknown). */
const CONNECTIONS = stackIndex("browser authentication connections", model => endpoints(model).flatMap(endpoint => endpoint.connections
    .map(connection => ({ endpoint, connection, group: hasGroup(connection, BROWSER_AUTH_GROUP) }))
    .filter(x => x.group.state !== "known" || x.group.value)));

const BY_REGION = stackIndex("browser authentication connections by region", (model): RegionalBrowserAuth => {
    const regional = new Map<string, { endpoint: EndpointView; target: StackResource }[]>();
    const rest: BrowserAuthConnection[] = [];
    for (const x of model.index(CONNECTIONS)) {
        const t = x.connection.target;
        const r = t.state === "resolved" && t.target.kind === "workspace" && x.group.state === "known"
            ? regionKey(workspaceView(t.target).location) : undefined;
        if (t.state === "resolved" && r !== undefined) {
            push(regional, r, { endpoint: x.endpoint, target: t.target });
        } else {
            rest.push(x);
        }
    }
    const kept = new Map([...regional].map(([r, entries]) =>
        [r, entries.filter((e, i) => i === 0 || e.endpoint.res.info?.family === "azure").map(e => e.endpoint)]));
    return { regional, kept, rest };
});

const WORKSPACES_PER_REGION = stackIndex("workspaces per region", model => {
    const m = new Map<string, number>();
    for (const o of workspaces(model)) {
        const r = regionKey(o.location);
        if (r !== undefined) {
            m.set(r, (m.get(r) ?? 0) + 1);
        }
    }
    return m;
});

export function browserAuthConnections(model: StackModel): BrowserAuthConnection[] {
    return model.index(CONNECTIONS);
}

export function browserAuthByRegion(model: StackModel): RegionalBrowserAuth {
    return model.index(BY_REGION);
}

/** How many workspaces of the stack are in the region. */
export function workspacesInRegion(model: StackModel, region: string): number {
    return model.index(WORKSPACES_PER_REGION).get(region) ?? 0;
}
