// Subnets (standalone, inline in a VNet, classic with association resources) and private
// endpoints, resolved across the stack.

import { armKey, armKeyOf, armParent } from "../model/arm";
import { ownArmKey, push, Ref, resourceView, stackIndex, StackModel, StackResource } from "../model/stack";
import { Kind } from "../model/types";
import { WorkspaceView, workspaceVnet } from "./workspace";
import { ABSENT, cutId, known, plain, quoteId, Read, read, readArray, readString, readStrings, secretMark, unseenAt, whyUnknown } from "../model/values";

export interface SubnetView {
    name: string;
    /** The Subnet resource, or the VirtualNetwork that declares it inline. */
    declaredBy: StackResource;
    inline: boolean;
    /** Index in the VNet's `subnets` when inline. */
    index?: number;
    /** Service names of the subnet's delegations. */
    delegations: Read<string[]>;
    nsg: Ref;
    /** Whether an NSG is attached (an unknown ID still counts as attached). */
    nsgSet: Read<boolean>;
    routeTable: Ref;
    natGateway: Ref;
}

export type SubnetLookup =
    | { state: "found"; subnet: SubnetView }
    /** The subnet is not declared in this stack (its VNet lives elsewhere or is managed outside). */
    | { state: "outside"; detail: string }
    | { state: "unknown"; detail: string }
    /** No subnet name or VNet is set, or the VNet is declared in this stack and declares no such subnet. */
    | { state: "absent"; detail: string };

const SUBNET_KINDS: readonly Kind[] = ["subnet"];

/**
 * How a message names a subnet's role. A subnet found is named by itself, never by a role: at
 * preview the role of a subnet reached through dependencies is unseen, and the same problem must
 * read the same at preview and at update.
 */
export function subnetRole(role: "host" | "container", lookup: SubnetLookup): string {
    if (lookup.state === "found") {
        return "Databricks";
    }
    return role === "host" ? "host (public)" : "container (private)";
}

/** The workspace's host (public) and container (private) subnets. */
export function workspaceSubnets(model: StackModel, ws: WorkspaceView): { host: SubnetLookup; container: SubnetLookup } {
    const vnet = workspaceVnet(model, ws);
    const host = findSubnet(model, ws, vnet, ws.publicSubnet);
    const container = findSubnet(model, ws, vnet, ws.privateSubnet);
    // Names that are outputs of Subnet resources are unknown at preview; the workspace's
    // dependencies then name the subnets. One unseen name left has one subnet left; with both
    // unseen the dependencies say which two subnets, never which is host and which container.
    if (host.state === "unknown" || container.state === "unknown") {
        const deps = model.dependencyCandidates(ws.res, ws.paramsProp, SUBNET_KINDS);
        const taken = [host, container].filter(l => l.state === "found").map(l => (l as { subnet: SubnetView }).subnet.declaredBy);
        const free = deps.filter(d => !taken.includes(d));
        const unknownCount = [host, container].filter(l => l.state === "unknown").length;
        if (free.length === unknownCount) {
            // Stable order (by logical name), not dependency order, so a preview names them as the update does.
            const views = free.map(f => subnetResourceView(model, f)).sort((x, y) => x.name.localeCompare(y.name));
            const found = (subnet: SubnetView): SubnetLookup => ({ state: "found", subnet });
            return {
                host: host.state === "unknown" ? found(views.shift() as SubnetView) : host,
                container: container.state === "unknown" ? found(views.shift() as SubnetView) : container,
            };
        }
    }
    return { host, container };
}

function findSubnet(model: StackModel, ws: WorkspaceView, vnet: Ref, name: Read<string>): SubnetLookup {
    if (name.state === "absent") {
        return { state: "absent", detail: "no subnet name is set" };
    }
    if (name.state === "unknown") {
        return { state: "unknown", detail: `the subnet name is ${whyUnknown(name)}` };
    }
    const subnetName = name.value;
    // A known VNet ID finds Subnet resources by their ARM identity, wherever the VNet is declared.
    if (ws.vnetId.state === "known") {
        const hits = model.lookupId(`${ws.vnetId.value.replace(/\/+$/, "")}/subnets/${subnetName}`, SUBNET_KINDS);
        if (hits.length > 0) {
            return { state: "found", subnet: subnetResourceView(model, hits[0]) };
        }
    }
    if (vnet.state === "resolved") {
        const v = vnet.target;
        const inline = inlineSubnet(model, v, subnetName);
        if (inline) {
            return { state: "found", subnet: inline };
        }
        const children = subnetsOf(model, v);
        const child = children.find(s => subnetOwnName(s) === subnetName);
        if (child) {
            return { state: "found", subnet: subnetResourceView(model, child) };
        }
        const inlineList = readArray(v.props, "subnets");
        if (inlineList.state === "unknown") {
            return { state: "unknown", detail: `the inline subnets of VNet ${quoteId(v.name)} are ${whyUnknown(inlineList)}` };
        }
        const unnamed = children.map(ownName).filter(n => n.state !== "known");
        if (unnamed.length > 0) {
            return { state: "unknown", detail: `a subnet of VNet ${quoteId(v.name)} has a name ${whyUnknown(...unnamed)}` };
        }
        return { state: "absent", detail: `VNet ${quoteId(v.name)} declares no subnet ${quoteId(subnetName)} in this stack` };
    }
    if (vnet.state === "outside") {
        return { state: "outside", detail: `VNet ${cutId(vnet.id)} and its subnet ${quoteId(subnetName)} are not declared in this stack` };
    }
    if (vnet.state === "unknown") {
        return { state: "unknown", detail: `the VNet ID is ${whyUnknown(vnet)} and no VNet dependency identifies it` };
    }
    return { state: "absent", detail: "no VNet is set" };
}

function ownName(s: StackResource): Read<string> {
    return readString(s.props, s.info?.family === "azure-native" ? "subnetName" : "name");
}

function subnetOwnName(s: StackResource): string | undefined {
    const n = ownName(s);
    return n.state === "known" ? n.value : undefined;
}

/** VNets by lower-case `resourceGroup/name` and by name alone, for subnets that name their VNet. */
const VNETS_BY_NAME = stackIndex("virtual networks by name", model => {
    const byRgName = new Map<string, StackResource[]>();
    const byName = new Map<string, StackResource[]>();
    for (const v of model.ofKind("virtualNetwork")) {
        const own = readString(v.props, v.info?.family === "azure-native" ? "virtualNetworkName" : "name");
        if (own.state !== "known") {
            continue;
        }
        const rg = readString(v.props, "resourceGroupName");
        const name = own.value.toLowerCase();
        push(byName, name, v);
        if (rg.state === "known") {
            const k = `${rg.value.toLowerCase()}/${name}`;
            push(byRgName, k, v);
        }
    }
    return { byRgName, byName };
});

/** The VNet of a Subnet resource: by its VNet's name and resource group, else by dependency. */
export function vnetOfSubnet(model: StackModel, s: StackResource): Ref {
    return model.view(SUBNET_VNET, s);
}

const SUBNET_VNET = resourceView("the VNet of a subnet", (model, s): Ref => {
    let ref: Ref;
    const vnetName = readString(s.props, "virtualNetworkName");
    const rg = readString(s.props, "resourceGroupName");
    const index = model.index(VNETS_BY_NAME);
    const named = vnetName.state !== "known" ? []
        : rg.state === "known" ? index.byRgName.get(`${rg.value.toLowerCase()}/${vnetName.value.toLowerCase()}`) ?? []
            : index.byName.get(vnetName.value.toLowerCase()) ?? [];
    const candidates = named.length > 0 ? named : model.dependencyCandidates(s, "virtualNetworkName", ["virtualNetwork"]);
    if (candidates.length === 1) {
        ref = { state: "resolved", target: candidates[0], via: named.length > 0 ? "id" : "dependency" };
    } else {
        const key = ownArmKey(s);
        ref = key && candidates.length === 0
            ? { state: "outside", id: key.split("/").slice(0, 4).join("/") }
            : { state: "unknown", path: "virtualNetworkName", candidates };
    }
    return ref;
});

/** The Subnet resources declared in VNet `v`. */
export function subnetsOf(model: StackModel, v: StackResource): StackResource[] {
    return model.index(SUBNETS_BY_VNET).get(v.urn) ?? [];
}

const SUBNETS_BY_VNET = stackIndex("Subnet resources by VNet URN", model => {
    const m = new Map<string, StackResource[]>();
    for (const s of model.ofKind("subnet")) {
        const ref = vnetOfSubnet(model, s);
        if (ref.state === "resolved") {
            push(m, ref.target.urn, s);
        }
    }
    return m;
});

function inlineSubnet(model: StackModel, v: StackResource, name: string): SubnetView | undefined {
    const list = readArray(v.props, "subnets");
    if (list.state !== "known") {
        return undefined;
    }
    const classic = v.info?.family === "azure";
    for (let i = 0; i < list.value.length; i++) {
        const el = plain(list.value[i]);
        const n = readString(el, "name");
        if (n.state !== "known" || n.value !== name) {
            continue;
        }
        const nsgId = classic ? readString(el, "securityGroup") : readString(el, "networkSecurityGroup", "id");
        // Dependencies of `subnets` cover every inline subnet: an unknown ID resolves only when a
        // single candidate of the kind exists.
        return {
            name,
            declaredBy: v,
            inline: true,
            index: i,
            delegations: classic ? classicInlineDelegations(el) : nativeDelegations(el),
            nsg: model.resolve(v, "subnets", nsgId, ["networkSecurityGroup"]),
            nsgSet: isSet(nsgId, classic ? "securityGroup" : "networkSecurityGroup"),
            routeTable: model.resolve(v, "subnets", classic ? readString(el, "routeTableId") : readString(el, "routeTable", "id"), ["routeTable"]),
            natGateway: classic ? { state: "absent" } : model.resolve(v, "subnets", readString(el, "natGateway", "id"), ["natGateway"]),
        };
    }
    return undefined;
}

function subnetResourceView(model: StackModel, s: StackResource): SubnetView {
    return model.view(SUBNET, s);
}

const SUBNET = resourceView("a Subnet resource", (model, s): SubnetView => {
    const classic = s.info?.family === "azure";
    const nsg = classic
        ? associated(model, s, "subnetNsgAssociation", "networkSecurityGroupId", ["networkSecurityGroup"])
        : model.resolve(s, "networkSecurityGroup", readString(s.props, "networkSecurityGroup", "id"), ["networkSecurityGroup"]);
    const view: SubnetView = {
        name: subnetOwnName(s) ?? s.name,
        declaredBy: s,
        inline: false,
        delegations: classic ? classicDelegations(s.props) : nativeDelegations(s.props),
        nsg,
        nsgSet: classic
            ? (nsg.state === "absent" ? known(false) : nsg.state === "unknown" && nsg.path.endsWith(".subnetId") ? { state: "unknown", path: nsg.path, ...secretMark(nsg) } : known(true))
            : isSet(readString(s.props, "networkSecurityGroup", "id"), "networkSecurityGroup"),
        routeTable: classic
            ? associated(model, s, "subnetRouteTableAssociation", "routeTableId", ["routeTable"])
            : model.resolve(s, "routeTable", readString(s.props, "routeTable", "id"), ["routeTable"]),
        natGateway: classic
            ? associated(model, s, "subnetNatGatewayAssociation", "natGatewayId", ["natGateway"])
            : model.resolve(s, "natGateway", readString(s.props, "natGateway", "id"), ["natGateway"]),
    };
    return view;
});

/** Whether a reference field is set: an unknown value at (or below) the field still is. */
export function isSet(r: Read<string>, field: string): Read<boolean> {
    if (r.state === "unknown") {
        return r.path === field || r.path.startsWith(`${field}.`) ? known(true) : r;
    }
    return known(r.state === "known");
}

/** A classic association resource (`subnetId` + target) that points at subnet `s`. */
function associated(model: StackModel, s: StackResource, kind: Kind, targetProp: string, targetKinds: readonly Kind[]): Ref {
    let unresolved: Ref | undefined;
    for (const a of model.ofKind(kind)) {
        const subnetRef = model.resolve(a, "subnetId", readString(a.props, "subnetId"), ["subnet"]);
        if (subnetRef.state === "resolved" && subnetRef.target === s) {
            return model.resolve(a, targetProp, readString(a.props, targetProp), targetKinds);
        }
        if (subnetRef.state === "unknown" && subnetRef.candidates.length === 0) {
            unresolved = { state: "unknown", path: `${cutId(a.name)}.subnetId`, candidates: [], ...secretMark(subnetRef) };
        }
    }
    return unresolved ?? { state: "absent" };
}

function nativeDelegations(o: unknown): Read<string[]> {
    const list = readArray(o, "delegations");
    if (list.state !== "known") {
        return list.state === "unknown" ? list : known([]);
    }
    const out: string[] = [];
    for (let i = 0; i < list.value.length; i++) {
        const n = readString(list.value[i], "serviceName");
        if (n.state === "unknown") {
            return n;
        }
        if (n.state === "known") {
            out.push(n.value);
        }
    }
    return known(out);
}

function classicDelegations(o: unknown): Read<string[]> {
    const list = readArray(o, "delegations");
    if (list.state !== "known") {
        return list.state === "unknown" ? list : known([]);
    }
    const out: string[] = [];
    for (let i = 0; i < list.value.length; i++) {
        const n = readString(list.value[i], "serviceDelegation", "name");
        if (n.state === "unknown") {
            return n;
        }
        if (n.state === "known") {
            out.push(n.value);
        }
    }
    return known(out);
}

function classicInlineDelegations(el: unknown): Read<string[]> {
    const d = read(el, "delegation");
    if (d.state === "unknown") {
        return d;
    }
    if (d.state === "absent") {
        return known([]);
    }
    const n = readString(d.value, "serviceDelegation", "name");
    return n.state === "known" ? known([n.value]) : n.state === "unknown" ? n : known([]);
}

export const DATABRICKS_DELEGATION = "Microsoft.Databricks/workspaces";

// ---------------------------------------------------------------------------------------------
// Private endpoints

export interface EndpointConnection {
    /** Top-level input that holds the connection (for dependency resolution). */
    prop: string;
    target: Ref;
    groupIds: Read<string[]>;
    manual: boolean;
}

export interface EndpointView {
    res: StackResource;
    connections: EndpointConnection[];
    subnet: Ref;
}

export function endpoints(model: StackModel): EndpointView[] {
    return model.ofKind("privateEndpoint").map(e => endpointView(model, e));
}

export function endpointView(model: StackModel, res: StackResource): EndpointView {
    return model.view(ENDPOINT, res);
}

const ENDPOINT = resourceView("a private endpoint", (model, res) => res.info?.family === "azure" ? classicEndpoint(model, res) : nativeEndpoint(model, res));

const TARGET_KINDS: readonly Kind[] = ["workspace", "storageAccount"];

function nativeEndpoint(model: StackModel, res: StackResource): EndpointView {
    const connections: EndpointConnection[] = [];
    for (const [prop, manual] of [["privateLinkServiceConnections", false], ["manualPrivateLinkServiceConnections", true]] as const) {
        const list = readArray(res.props, prop);
        if (list.state === "unknown") {
            connections.push({ prop, manual, groupIds: list, target: model.resolve(res, prop, list as Read<never>, TARGET_KINDS) });
            continue;
        }
        if (list.state !== "known") {
            continue;
        }
        for (let i = 0; i < list.value.length; i++) {
            const el = list.value[i];
            const id = readString(el, "privateLinkServiceId");
            connections.push({
                prop,
                manual,
                groupIds: readStrings(el, "groupIds"),
                target: model.resolve(res, prop, id.state === "absent" && read(el).state === "unknown" ? { state: "unknown", path: `${prop}.${i}` } : id, TARGET_KINDS),
            });
        }
    }
    const subnetId = readString(res.props, "subnet", "id");
    return { res, connections, subnet: model.resolve(res, "subnet", subnetId, ["subnet", "virtualNetwork"]) };
}

function classicEndpoint(model: StackModel, res: StackResource): EndpointView {
    const connections: EndpointConnection[] = [];
    const conn = read(res.props, "privateServiceConnection");
    const prop = "privateServiceConnection";
    if (conn.state === "unknown") {
        connections.push({ prop, manual: false, groupIds: conn, target: model.resolve(res, prop, conn, TARGET_KINDS) });
    } else if (conn.state === "known") {
        const manual = read(conn.value, "isManualConnection");
        connections.push({
            prop,
            manual: manual.state === "known" && manual.value === true,
            groupIds: readStrings(conn.value, "subresourceNames"),
            target: model.resolve(res, prop, readString(conn.value, "privateConnectionResourceId"), TARGET_KINDS),
        });
    }
    return { res, connections, subnet: model.resolve(res, "subnetId", readString(res.props, "subnetId"), ["subnet", "virtualNetwork"]) };
}

const CONNECTIONS_BY_TARGET = stackIndex("private endpoint connections by target URN", model => {
    const m = new Map<string, { endpoint: EndpointView; connection: EndpointConnection }[]>();
    const add = (urn: string, entry: { endpoint: EndpointView; connection: EndpointConnection }) => {
        const list = m.get(urn);
        if (list) {
            if (!list.includes(entry)) {
                list.push(entry);
            }
        } else {
            m.set(urn, [entry]);
        }
    };
    for (const endpoint of endpoints(model)) {
        for (const connection of endpoint.connections) {
            const entry = { endpoint, connection };
            if (connection.target.state === "resolved") {
                add(connection.target.target.urn, entry);
            } else if (connection.target.state === "unknown") {
                connection.target.candidates.forEach(c => add(c.urn, entry));
            }
        }
    }
    return m;
});

/** Connections that target `target` or may (unknown at preview, with `target` among the candidates). */
export function connectionsTo(model: StackModel, target: StackResource): { endpoint: EndpointView; connection: EndpointConnection }[] {
    const index = model.index(CONNECTIONS_BY_TARGET);
    return index.get(target.urn) ?? [];
}

/** Whether a connection targets the workspace: yes, no, or unknown (value unseen). */
export function targetsWorkspace(c: EndpointConnection, ws: WorkspaceView): Read<boolean> {
    if (c.target.state === "resolved") {
        return known(c.target.target === ws.res);
    }
    if (c.target.state === "outside" || c.target.state === "absent") {
        return known(false);
    }
    // Unknown: only a candidate list that includes the workspace leaves the question open.
    return c.target.candidates.includes(ws.res) ? unseenAt(c.target.path, c.target) : known(false);
}

export function hasGroup(c: EndpointConnection, group: string): Read<boolean> {
    if (c.groupIds.state !== "known") {
        return c.groupIds.state === "unknown" ? c.groupIds : known(false);
    }
    return known(c.groupIds.value.some(g => g.toLowerCase() === group.toLowerCase()));
}

/** ARM key of the VNet a reference (to a VNet or a subnet) lives in. */
export function vnetKeyOf(model: StackModel, ref: Ref): Read<string> {
    if (ref.state === "resolved") {
        const t = ref.target;
        if (t.kind === "virtualNetwork") {
            return keyOrName(t);
        }
        const parent = vnetOfSubnet(model, t);
        if (parent.state === "resolved") {
            return keyOrName(parent.target);
        }
        if (parent.state === "outside") {
            return known(parent.id);
        }
        return { state: "unknown", path: `${cutId(t.name)}.virtualNetworkName` };
    }
    if (ref.state === "outside") {
        const parsed = ref.arm;
        if (!parsed) {
            return ABSENT;
        }
        const vnet = parsed.types.length >= 2 ? armParent(parsed) : parsed;
        return vnet ? known(armKey(vnet)) : ABSENT;
    }
    if (ref.state === "unknown") {
        return { state: "unknown", path: ref.path };
    }
    return ABSENT;
}

function keyOrName(v: StackResource): Read<string> {
    const key = ownArmKey(v);
    return known(key ?? `urn:${v.urn}`);
}

/** ARM key of the workspace's VNet. */
export function workspaceVnetKey(model: StackModel, ws: WorkspaceView): Read<string> {
    const ref = workspaceVnet(model, ws);
    if (ref.state === "outside" && ws.vnetId.state === "known") {
        const k = armKeyOf(ws.vnetId.value);
        return k ? known(k) : ABSENT;
    }
    return vnetKeyOf(model, ref);
}
