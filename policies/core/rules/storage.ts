// Storage accounts as the outbound features see them: their firewall (public access, default
// action, VNet rules, classic AccountNetworkRules resources), the private endpoints and NCC
// private endpoint rules that reach them, and which workspace uses them.

import { armKeyOf, armParent, parseArmId, armKey } from "../model/arm";
import { connectionsTo, endpoints, workspaceVnetKey, vnetKeyOf } from "../azure/network";
import { FeatureContext, Finding, Status, NotApplicable, workspaceFinding } from "./contract";
import { byPosition, push, resourceView, stackIndex, StackModel, StackResource } from "../model/stack";
import { known, plain, readArray, readBool, readString, readStrings, Read, unseenAt } from "../model/values";
import { workspaces, WorkspaceView } from "../azure/workspace";
import { databricksLink, nccRulesTo } from "./storage-links";

export { nccRulesTo };

export interface StorageView {
    res: StackResource;
    /** Firewall default action is Deny (classic: in the account or an AccountNetworkRules resource). */
    deny: Read<boolean>;
    /** Public network access is disabled. */
    publicDisabled: Read<boolean>;
    /** Subnet IDs allowed by VNet rules. */
    subnetRules: Read<string[]>;
    /** Top-level inputs that carry the firewall rules (for dependency checks). */
    rulesFrom: { res: StackResource; prop: string }[];
}

function orDeny(a: Read<boolean>, b: Read<boolean>): Read<boolean> {
    if ((a.state === "known" && a.value) || (b.state === "known" && b.value)) {
        return known(true);
    }
    if (a.state === "unknown") {
        return unseenAt(a.path, a, b);
    }
    return b.state === "unknown" ? b : known(false);
}

function isDeny(r: Read<string>): Read<boolean> {
    return r.state === "known" ? known(r.value.toLowerCase() === "deny") : r.state === "unknown" ? r : known(false);
}

const NETWORK_RULES_BY_ACCOUNT = stackIndex("separate storage network rules by account", model => {
    const m = new Map<StackResource, StackResource[]>();
    for (const r of model.ofKind("storageNetworkRules")) {
        const target = model.resolve(r, "storageAccountId", readString(r.props, "storageAccountId"), ["storageAccount"]);
        if (target.state === "resolved") {
            push(m, target.target, r);
        }
    }
    return m;
});

export function storageView(model: StackModel, res: StackResource): StorageView {
    if (res.info?.family === "azure") {
        let deny = isDeny(readString(res.props, "networkRules", "defaultAction"));
        let subnetRules = readStrings(res.props, "networkRules", "virtualNetworkSubnetIds");
        const rulesFrom = [{ res, prop: "networkRules" }];
        // The separate network-rules resources, by the storage account they resolve to (once per stack).
        const rulesByAccount = model.index(NETWORK_RULES_BY_ACCOUNT);
        const separate = rulesByAccount.get(res) ?? [];
        if (separate.length > 0) {
            // The subnets of every rule resource in one list (an account may have many): the first
            // unknown list makes them unknown.
            const gathered: string[] = subnetRules.state === "known" ? [...subnetRules.value] : [];
            let unknownRules: Read<string[]> | undefined = subnetRules.state === "unknown" ? subnetRules : undefined;
            for (const r of separate) {
                deny = orDeny(deny, isDeny(readString(r.props, "defaultAction")));
                const more = readStrings(r.props, "virtualNetworkSubnetIds");
                if (more.state === "known") {
                    for (const id of more.value) {
                        gathered.push(id);
                    }
                } else if (more.state === "unknown") {
                    unknownRules = unknownRules === undefined ? more : unseenAt(unknownRules.state === "unknown" ? unknownRules.path : "virtualNetworkSubnetIds", unknownRules, more);
                }
                rulesFrom.push({ res: r, prop: "virtualNetworkSubnetIds" });
            }
            subnetRules = unknownRules ?? known(gathered);
        }
        const pub = readBool(res.props, "publicNetworkAccessEnabled");
        return {
            res, deny, subnetRules, rulesFrom,
            publicDisabled: pub.state === "known" ? known(!pub.value) : pub.state === "unknown" ? pub : known(false),
        };
    }
    const pna = readString(res.props, "publicNetworkAccess");
    const rules = readArray(res.props, "networkRuleSet", "virtualNetworkRules");
    let subnetRules: Read<string[]>;
    if (rules.state === "known") {
        const ids: string[] = [];
        const unseen: Read<string>[] = [];
        let at = "";
        rules.value.forEach((el, i) => {
            const id = readString(plain(el), "virtualNetworkResourceId");
            if (id.state === "known") {
                ids.push(id.value);
            } else if (id.state === "unknown") {
                unseen.push(id);
                at = `networkRuleSet.virtualNetworkRules.${i}`;
            }
        });
        subnetRules = unseen.length > 0 ? unseenAt(at, ...unseen) : known(ids);
    } else {
        subnetRules = rules.state === "unknown" ? rules : known([]);
    }
    return {
        res,
        deny: isDeny(readString(res.props, "networkRuleSet", "defaultAction")),
        publicDisabled: pna.state === "known" ? known(pna.value.toLowerCase() === "disabled") : pna.state === "unknown" ? pna : known(false),
        subnetRules,
        rulesFrom: [{ res, prop: "networkRuleSet" }],
    };
}

/** Private endpoints of the stack that target the storage account, once per account (every workspace that uses it asks). */
export function endpointsTo(model: StackModel, s: StackResource): readonly StackResource[] {
    return model.view(ENDPOINTS_TO, s);
}

const ENDPOINTS_TO = resourceView("private endpoints that target a storage account", (model, s) => {
    const out = new Set<StackResource>();
    for (const { endpoint, connection } of connectionsTo(model, s)) {
        if (connection.target.state === "resolved") {
            out.add(endpoint.res);
        }
    }
    return [...out];
});


/** VNet key of a subnet ID (ARM key of its parent), or of a subnet resource the ID names. */
function subnetVnetKey(model: StackModel, subnetId: string): string | undefined {
    const hits = model.lookupId(subnetId, ["subnet"]);
    if (hits.length > 0) {
        const k = vnetKeyOf(model, { state: "resolved", target: hits[0], via: "id" });
        if (k.state === "known") {
            return k.value;
        }
        // The subnet's VNet is unknown until apply: the ID itself names it.
    }
    const parsed = parseArmId(subnetId);
    const parent = parsed ? armParent(parsed) : undefined;
    return parent ? armKey(parent) : undefined;
}

/**
 * Whether the storage firewall allows the workspace's host and container subnets (a service
 * endpoint path): cluster nodes reach storage from both, so a rule for another subnet of the same
 * VNet, or for one of the two only, lets no cluster through.
 */
export function allowsWorkspaceSubnets(model: StackModel, v: StorageView, ws: WorkspaceView): Read<boolean> {
    const wsKey = workspaceVnetKey(model, ws);
    if (v.subnetRules.state !== "known") {
        return v.subnetRules.state === "unknown" ? v.subnetRules : known(false);
    }
    if (wsKey.state !== "known") {
        return v.subnetRules.value.length === 0 ? known(false) : unseenAt("workspace VNet", wsKey);
    }
    // Subnet names allowed in the workspace's VNet (an ARM subnet ID names its subnet last).
    const allowed = v.subnetRules.value.filter(id => subnetVnetKey(model, id) === wsKey.value)
        .map(id => parseArmId(id)?.names.slice(-1)[0]?.toLowerCase());
    if (allowed.length === 0) {
        return known(false);
    }
    const names = [ws.publicSubnet, ws.privateSubnet];
    if (names.some(n => n.state === "unknown")) {
        return unseenAt(`${ws.paramsProp} subnet names`, ...names);
    }
    return known(names.every(n => n.state === "known" && allowed.includes(n.value.toLowerCase())));
}

const STORAGE_VIEWS = stackIndex("storage accounts as the features read them", model => model.ofKind("storageAccount").map(s => storageView(model, s)));

/** Storage some VNet of the stack reaches, in the stack's order. */
const ATTRIBUTED_VIEWS = stackIndex("storage accounts some VNet reaches", model => {
    const { attributed } = reachedFromVnets(model);
    return allStorage(model).filter(v => attributed.has(v.res));
});

const STORAGE_POSITIONS = stackIndex("storage accounts by position", model => new Map(allStorage(model).map((v, i) => [v.res, i])));

function allStorage(model: StackModel): StorageView[] {
    return model.index(STORAGE_VIEWS);
}

const REACHED_FROM_VNETS = stackIndex("storage accounts reached from each VNet", model => {
    const byVnet = new Map<string, Set<StackResource>>();
    const add = (key: string, r: StackResource) => {
        const set = byVnet.get(key) ?? new Set<StackResource>();
        set.add(r);
        byVnet.set(key, set);
    };
    for (const v of allStorage(model)) {
        if (v.subnetRules.state === "known") {
            for (const id of v.subnetRules.value) {
                const key = subnetVnetKey(model, id);
                if (key) {
                    add(key, v.res);
                }
            }
        }
    }
    for (const e of endpoints(model)) {
        const key = vnetKeyOf(model, e.subnet);
        if (key.state !== "known") {
            continue;
        }
        for (const c of e.connections) {
            if (c.target.state === "resolved" && c.target.target.kind === "storageAccount") {
                add(key.value, c.target.target);
            }
        }
    }
    return { byVnet, attributed: new Set([...byVnet.values()].flatMap(set => [...set])) };
});

/** VNet key → storage accounts reached from that VNet (private endpoint or VNet rule), once per stack. */
function reachedFromVnets(model: StackModel): { byVnet: Map<string, Set<StackResource>>; attributed: Set<StackResource> } {
    return model.index(REACHED_FROM_VNETS);
}

/**
 * Storage with a Databricks link that is not the workspace VNet's (storage-links.ts), or whose
 * VNet rules are unknown until apply (they may allow a workspace's subnets: judged, not skipped).
 */
function linkedViews(model: StackModel, listed: readonly string[]): StorageView[] {
    return allStorage(model).filter(v => v.subnetRules.state === "unknown" || databricksLink(model, v.res, listed) !== undefined);
}

/**
 * Storage accounts the workspace uses: those reached from the workspace's VNet (private endpoint
 * or VNet rule), or, while the workspace's VNet is not known, every storage account some VNet
 * reaches; with a single workspace, also every account another Databricks link names.
 */
export function storageUsedBy(model: StackModel, ws: WorkspaceView, workspaceCount: number, listed: readonly string[] = []): StorageView[] {
    const all = allStorage(model);
    const { byVnet, attributed } = reachedFromVnets(model);
    const wsKey = workspaceVnetKey(model, ws);
    // A VNet known only by its URN (a new VNet at preview) cannot be matched to the ARM IDs in
    // storage firewalls: every storage some VNet reaches may be the workspace's.
    const byUrnOnly = wsKey.state === "known" && wsKey.value.startsWith("urn:");
    const mine = wsKey.state === "known" && !byUrnOnly ? byVnet.get(wsKey.value) ?? new Set<StackResource>() : attributed;
    if (workspaceCount <= 1) {
        const linked = new Set(linkedViews(model, listed).map(v => v.res));
        return all.filter(v => mine.has(v.res) || linked.has(v.res));
    }
    if (wsKey.state !== "known") {
        return model.index(ATTRIBUTED_VIEWS);
    }
    if (mine.size === 0) {
        return [];
    }
    // In the stack's order, without scanning every account for every workspace.
    const position = model.index(STORAGE_POSITIONS);
    return [...mine].filter(r => position.has(r)).sort(byPosition(position)).map(r => all[position.get(r) as number]);
}

/**
 * With several workspaces, linked storage that no VNet reaches cannot be attributed to one of
 * them: it is judged once for the stack (any workspace may use it), never passed by omission.
 */
export function unattributedStorage(model: StackModel, workspaceCount: number, listed: readonly string[] = []): StorageView[] {
    if (workspaceCount <= 1) {
        return [];
    }
    const { attributed } = reachedFromVnets(model);
    return linkedViews(model, listed).filter(v => !attributed.has(v.res));
}

/** Storage no Databricks link reaches (no workspace's VNet, no rule, policy, location, connector): not judged. */
export function unlinkedStorage(model: StackModel, listed: readonly string[] = []): StackResource[] {
    const { byVnet } = reachedFromVnets(model);
    const fromWorkspaces = new Set<StackResource>();
    for (const ws of workspaces(model)) {
        const key = workspaceVnetKey(model, ws);
        if (key.state !== "known") {
            return [];
        }
        byVnet.get(key.value)?.forEach(r => fromWorkspaces.add(r));
    }
    const linked = new Set(linkedViews(model, listed).map(v => v.res));
    return model.ofKind("storageAccount").filter(s => !fromWorkspaces.has(s) && !linked.has(s));
}

/**
 * How findings about storage account `s` are made: on the workspace that uses it, or on the account
 * itself when no VNet of the stack reaches it (see unattributedStorage).
 */
export function storageSubject(ws: WorkspaceView | undefined, s: StorageView): (status: Status, found: string, extra?: Partial<Finding>) => Finding {
    return (status, found, extra = {}) => ws
        ? workspaceFinding(ws, status, found, extra)
        : { status, resource: s.res, found: `${found} (it serves no VNet of this stack, so every workspace here may use it)`, ...extra };
}

/**
 * The shape of a storage feature: each workspace judged (with the storage it uses), then the
 * storage no VNet of the stack reaches, judged once for the stack (its passes left out).
 */
export function judgeWorkspacesAndStorage(ctx: FeatureContext, perWorkspace: (ws: WorkspaceView, workspaceCount: number) => Finding[],
    unattributed: (s: StorageView) => Finding): Finding[] | NotApplicable {
    if (ctx.workspaces.length === 0) {
        return { notApplicable: "no Azure Databricks workspace in this stack" };
    }
    const count = ctx.workspaces.length;
    return [
        ...ctx.workspaces.flatMap(ws => perWorkspace(ws, count)),
        ...unattributedStorage(ctx.model, count, ctx.workspaceStorageAccounts).map(unattributed).filter(f => f.status !== "pass"),
    ];
}

/** Lower-case ARM keys of the subnet IDs, for set comparisons. */
export function subnetKeys(ids: readonly string[]): Set<string> {
    return new Set(ids.map(id => armKeyOf(id) ?? id.toLowerCase()));
}
