// Route tables and their default routes, and what a route's next hop is: an Azure Firewall or a
// network virtual appliance of the stack (by private IP, or through dependencies when the IP is
// an output unknown at preview), or something outside the stack.

import { describe } from "./workspace";
import { push, stackIndex, StackModel, StackResource } from "../model/stack";
import { Kind } from "../model/types";
import { cut, cutId, known, plain, Read, read, readArray, readBool, readString, unseenAt, whyUnknown } from "../model/values";

export const APPLIANCE_KINDS: readonly Kind[] = ["firewall", "networkVirtualAppliance", "networkInterface"];

export interface RouteView {
    /** The RouteTable (inline route) or the Route resource. */
    declaredBy: StackResource;
    /** Top-level input that holds the next hop (for dependency resolution). */
    hopProp: string;
    prefix: Read<string>;
    nextHopType: Read<string>;
    nextHopIp: Read<string>;
}

function tableName(t: StackResource): Read<string> {
    return readString(t.props, t.info?.family === "azure" ? "name" : "routeTableName");
}

/** Whether a Route resource belongs to the table: by table name and resource group, or by dependency. */
function routeBelongsTo(model: StackModel, r: StackResource, t: StackResource): Read<boolean> {
    const rn = readString(r.props, "routeTableName");
    const tn = tableName(t);
    if (rn.state === "known" && tn.state === "known") {
        const rgR = readString(r.props, "resourceGroupName");
        const rgT = readString(t.props, "resourceGroupName");
        const sameRg = rgR.state !== "known" || rgT.state !== "known" || rgR.value.toLowerCase() === rgT.value.toLowerCase();
        return known(sameRg && rn.value.toLowerCase() === tn.value.toLowerCase());
    }
    const deps = model.dependencyCandidates(r, "routeTableName", ["routeTable"]);
    if (deps.length === 1) {
        return known(deps[0] === t);
    }
    return deps.length === 0 || deps.includes(t) ? unseenAt(`${cutId(r.name)}.routeTableName`, rn, tn) : known(false);
}

const ROUTES = stackIndex("Route resources by route table name", model => {
    const byName = new Map<string, StackResource[]>();
    const undetermined: StackResource[] = [];
    for (const r of model.ofKind("route")) {
        const rn = readString(r.props, "routeTableName");
        if (rn.state === "known") {
            const k = rn.value.toLowerCase();
            push(byName, k, r);
        } else if (model.dependencyCandidates(r, "routeTableName", ["routeTable"]).length !== 1) {
            undetermined.push(r);
        }
    }
    return { byName, undetermined };
});

/**
 * Route resources that may belong to the table (routeBelongsTo decides): those naming a table of
 * its name, those depending on it, and those whose table cannot be told apart. Indexed once per stack.
 */
function routeCandidates(model: StackModel, t: StackResource): StackResource[] {
    const index = model.index(ROUTES);
    const tn = tableName(t);
    const named = tn.state === "known" ? index.byName.get(tn.value.toLowerCase()) ?? [] : [];
    return [...new Set([...named, ...model.dependentsOf(t, ["route"]), ...index.undetermined])];
}

/** The routes of a table: inline ones and Route resources; unknown when any part is. */
export function routesOf(model: StackModel, t: StackResource): { routes: RouteView[]; open: string[] } {
    const routes: RouteView[] = [];
    const open: string[] = [];
    const classic = t.info?.family === "azure";
    const hopField = classic ? "nextHopInIpAddress" : "nextHopIpAddress";
    const inline = readArray(t.props, "routes");
    if (inline.state === "unknown") {
        open.push(`the inline routes of ${describe(t)} are ${whyUnknown(inline)}`);
    } else if (inline.state === "known") {
        for (const el of inline.value) {
            const e = plain(el);
            routes.push({
                declaredBy: t, hopProp: "routes",
                prefix: readString(e, "addressPrefix"),
                nextHopType: readString(e, "nextHopType"),
                nextHopIp: read(e).state === "unknown" ? unseenAt("routes", read(e)) : readString(e, hopField),
            });
        }
    }
    for (const r of routeCandidates(model, t)) {
        const b = routeBelongsTo(model, r, t);
        if (b.state === "unknown") {
            open.push(`the route table of ${describe(r)} is ${whyUnknown(b)}`);
        }
        if (b.state !== "known" || !b.value) {
            continue;
        }
        const field = r.info?.family === "azure" ? "nextHopInIpAddress" : "nextHopIpAddress";
        routes.push({
            declaredBy: r, hopProp: field,
            prefix: readString(r.props, "addressPrefix"),
            nextHopType: readString(r.props, "nextHopType"),
            nextHopIp: readString(r.props, field),
        });
    }
    return { routes, open };
}

const DEFAULT_PREFIXES = ["0.0.0.0/0", "default"];

export function isDefaultRoute(r: RouteView): Read<boolean> {
    return r.prefix.state === "known" ? known(DEFAULT_PREFIXES.includes(r.prefix.value.trim().toLowerCase())) : r.prefix.state === "unknown" ? r.prefix : known(false);
}

/** Private IPs of an appliance resource (firewall, NVA, NIC); unknown when an output is not yet known. */
export function applianceIps(a: StackResource): Read<string[]> {
    const ips: string[] = [];
    const unseen: Read<unknown>[] = [];
    const collect = (r: Read<string>) => {
        if (r.state === "known") {
            ips.push(r.value);
        } else if (r.state === "unknown") {
            unseen.push(r);
        }
    };
    const eachOf = (prop: string, field: string) => {
        const list = readArray(a.props, prop);
        if (list.state === "unknown") {
            unseen.push(list);
        } else if (list.state === "known") {
            // The private IP is an output: not reported before the appliance exists.
            list.value.forEach(el => {
                const ip = readString(plain(el), field);
                collect(ip.state === "absent" ? { state: "unknown", path: field } : ip);
            });
        }
    };
    const classic = a.info?.family === "azure";
    if (a.kind === "firewall") {
        eachOf("ipConfigurations", classic ? "privateIpAddress" : "privateIPAddress");
        collect(readString(a.props, "hubIPAddresses", "privateIPAddress"));
    } else if (a.kind === "networkVirtualAppliance") {
        eachOf("virtualApplianceNics", "privateIpAddress");
    } else if (a.kind === "networkInterface") {
        eachOf("ipConfigurations", classic ? "privateIpAddress" : "privateIPAddress");
        collect(readString(a.props, "privateIpAddress"));
    }
    if (ips.length === 0 && unseen.length > 0) {
        return unseenAt(`${cutId(a.name)}.privateIPAddress`, ...unseen);
    }
    return known(ips);
}

/** A NIC forwards traffic only with IP forwarding enabled; firewalls and NVAs always do. */
export function forwards(a: StackResource): Read<boolean> {
    if (a.kind !== "networkInterface") {
        return known(true);
    }
    const r = readBool(a.props, a.info?.family === "azure" ? "ipForwardingEnabled" : "enableIPForwarding");
    return r.state === "absent" ? known(false) : r;
}

export type HopTarget =
    | { state: "appliance"; target: StackResource }
    /** The IP names nothing in this stack (a hub elsewhere). */
    | { state: "outside"; ip: string }
    /** The route sets no next hop IP (or an empty one). */
    | { state: "absent" }
    | { state: "unknown"; detail: string };

const APPLIANCES_BY_IP = stackIndex("network appliances by private IP", model => {
    const ipIndex = new Map<string, StackResource>();
    const notSeen: StackResource[] = [];
    // Whether every unseen IP is a secret: the words of every message that names them.
    let allSecret = true;
    for (const a of APPLIANCE_KINDS.flatMap(k => model.ofKind(k))) {
        const ips = applianceIps(a);
        if (ips.state === "known") {
            ips.value.forEach(ip => {
                if (!ipIndex.has(ip)) {
                    ipIndex.set(ip, a);
                }
            });
        } else if (ips.state === "unknown") {
            notSeen.push(a);
            allSecret &&= ips.secret === true;
        }
    }
    return { byIp: ipIndex, unseen: notSeen, unseenWhy: whyUnknown({ state: "unknown", ...(allSecret ? { secret: true as const } : {}) }) };
});

/** What a VirtualAppliance route's next hop IP reaches. */
export function hopTarget(model: StackModel, route: RouteView): HopTarget {
    // Appliances by private IP (the first in kind order wins), and those whose IP is not yet known.
    const { byIp, unseen, unseenWhy } = model.index(APPLIANCES_BY_IP);
    if (route.nextHopIp.state === "known") {
        const ip = route.nextHopIp.value.trim();
        if (ip === "") {
            return { state: "absent" };
        }
        const hit = byIp.get(ip);
        if (hit) {
            return { state: "appliance", target: hit };
        }
        // Name a few: in a stack of many hubs the list would drown the message.
        const named = unseen.slice(0, 3).map(describe).join(" or ") + (unseen.length > 3 ? ` or one of ${unseen.length - 3} more appliances` : "");
        return unseen.length > 0
            ? { state: "unknown", detail: `next hop ${cut(ip)} may be ${named}, whose private IP is ${unseenWhy}` }
            : { state: "outside", ip };
    }
    if (route.nextHopIp.state === "absent") {
        return { state: "absent" };
    }
    const deps = model.dependencyCandidates(route.declaredBy, route.hopProp, APPLIANCE_KINDS);
    if (deps.length === 1) {
        return { state: "appliance", target: deps[0] };
    }
    return { state: "unknown", detail: `the next hop IP of ${describe(route.declaredBy)} is ${whyUnknown(route.nextHopIp)}${deps.length > 1 ? ` (it depends on ${deps.slice(0, 3).map(describe).join(", ")}${deps.length > 3 ? `, and ${deps.length - 3} more` : ""})` : ""}` };
}
