// The evidence picture: per workspace, the resources and links the verdicts rest on, as a graph.
// Built from the stack model through the same views and links the rules use (workspace, subnet,
// endpoint, routing, network-policy governance, NCC bindings, storage links), and marked with the
// report's findings, so the picture cannot disagree with the verdicts. Rendering is elsewhere
// (evidence-render.ts).

import { FeatureId } from "../../policies/matrix";
import { FeatureFinding, isFeatureFinding, Judged, Status } from "../../policies/core/rules/contract";
import { push, Ref, StackModel, StackResource } from "../../policies/core/model/stack";
import { cut, cutId, Read, show, unseenWords, whyUnknown } from "../../policies/core/model/values";
import { premium, workspaces, workspaceVnet, WorkspaceView } from "../../policies/core/azure/workspace";
import { connectionsTo, DATABRICKS_DELEGATION, EndpointView, SubnetLookup, SubnetView, targetsWorkspace, workspaceSubnets } from "../../policies/core/azure/network";
import { hopTarget, isDefaultRoute, routesOf } from "../../policies/core/azure/routing";
import { governanceOf, judgeEgress, judgeIngress } from "../../policies/core/azure/network-policy";
import { nccBindingsOf, nccRegion, readId, rulesOf } from "../../policies/core/azure/account";
import { BROWSER_AUTH_GROUP, workspaceLinks, linkedTo, regionKey, UI_API_GROUP } from "../../policies/core/azure/databricks";
import { endpointsTo, nccRulesTo, storageUsedBy, StorageView } from "../../policies/core/rules/storage";

/** What a node stands for in the picture (not the resource kind, `Kind`). */
export type NodeRole =
    | "workspace" | "vnet" | "subnet" | "nsg" | "routeTable" | "appliance" | "nextHop" | "endpoint"
    | "nccBinding" | "ncc" | "nccRule" | "networkOption" | "networkPolicy" | "workspaceConf" | "ipAccessList"
    | "recipient" | "storage"
    /** What an absent link would lead to. */
    | "absent"
    /** How many more items of a list are not drawn. */
    | "more";

/** Where the evidence is: declared in the stack, named by an ID outside it, unknown until apply, or absent. */
export type Place = "stack" | "outside" | "unknown" | "absent";

/** A value a verdict reads, shown on its node; `wrong` when a finding of `feature` says so. */
export interface Fact {
    text: string;
    feature?: FeatureId;
    wrong: boolean;
}

export interface EvidenceNode {
    id: string;
    role: NodeRole;
    /** What it is and its name, e.g. `subnet "ms-host"`. */
    label: string;
    place: Place;
    urn?: string;
    facts: Fact[];
    /** The report's findings about the node's resource that do not pass (for the workspace node: about the workspace). */
    findings: FeatureFinding[];
}

export interface EvidenceEdge {
    from: string;
    to: string;
    label: string;
    /** `absent`: nothing in the stack provides the link (drawn to a node of place `absent`). */
    state: "present" | "absent" | "unknown";
    /** The features that judge this link; an absent link is `failing` when one of them has a finding on the workspace. */
    features: FeatureId[];
    failing: boolean;
    /** The worst level of those findings, when failing. */
    level?: "mandatory" | "advisory";
}

export interface WorkspacePicture {
    urn: string;
    name: string;
    /** The workspace node is always the first. */
    nodes: EvidenceNode[];
    edges: EvidenceEdge[];
}

export interface EvidencePicture {
    workspaces: WorkspacePicture[];
    /** How many workspaces the stack has (the picture holds the first `workspaces.length`). */
    total: number;
}

/** Workspaces pictured by default: enough for a reviewer, bounded for a comment. */
export const PICTURED_WORKSPACES = 10;
/** Items of one list (endpoints, storage, lists, recipients, rules) drawn per workspace, then how many more. */
export const ITEMS_PER_LIST = 6;

const NOT_PASSING = new Set<Status>(["fail", "unverified", "attested", "exempted"]);

/** Findings by resource URN, without passes and notes. */
function findingsByUrn(findings: readonly Judged[]): Map<string, FeatureFinding[]> {
    const m = new Map<string, FeatureFinding[]>();
    for (const f of findings.filter(isFeatureFinding)) {
        if (f.resource === undefined || !NOT_PASSING.has(f.status)) {
            continue;
        }
        push(m, f.resource.urn, f);
    }
    return m;
}

/** The pictures of the stack's first `limit` workspaces. */
export function buildEvidence(model: StackModel, findings: readonly Judged[], opts: { limit?: number; workspaceStorageAccounts?: readonly string[] } = {}): EvidencePicture {
    const all = workspaces(model);
    const byUrn = findingsByUrn(findings);
    const limit = opts.limit ?? PICTURED_WORKSPACES;
    return {
        workspaces: all.slice(0, limit).map(ws => new Builder(model, ws, all.length, byUrn, opts.workspaceStorageAccounts ?? []).build()),
        total: all.length,
    };
}

class Builder {
    private readonly nodes: EvidenceNode[] = [];
    private readonly edges: EvidenceEdge[] = [];
    private readonly byResource = new Map<StackResource, EvidenceNode>();
    /** Route tables whose default route is drawn (both subnets may share one). */
    private readonly routed = new Set<StackResource>();
    /** Features with a finding that does not pass about this workspace, and the worst level of their findings. */
    private readonly open = new Map<string, "mandatory" | "advisory">();
    private readonly root: EvidenceNode;

    constructor(private readonly model: StackModel, private readonly ws: WorkspaceView, private readonly count: number,
        private readonly findings: Map<string, FeatureFinding[]>, private readonly storageListed: readonly string[]) {
        for (const f of findings.get(ws.res.urn) ?? []) {
            if (f.status === "fail" || f.status === "unverified") {
                this.open.set(f.feature, this.open.get(f.feature) === "mandatory" ? "mandatory" : f.level ?? "advisory");
            }
        }
        this.root = this.resourceNode("workspace", "workspace", ws.res);
    }

    build(): WorkspacePicture {
        const ws = this.ws;
        const serverless = ws.serverless.state === "known" && ws.serverless.value;
        this.root.facts.push(
            this.fact(`SKU ${show(ws.sku)}`, "classic-compute-private-link", isKnown(premium(ws), v => !v)),
            this.fact(`publicNetworkAccess ${show(ws.publicNetworkAccess)}`, "workspace-inbound-private-link", isKnown(ws.publicNetworkAccess, v => v.toLowerCase() !== "disabled")),
        );
        if (!serverless) {
            this.root.facts.push(
                this.fact(`enableNoPublicIp ${showBool(ws.noPublicIp)}`, "secure-cluster-connectivity", isKnown(ws.noPublicIp, v => !v)),
                this.fact(`requiredNsgRules ${show(ws.requiredNsgRules)}`, "classic-compute-private-link", isKnown(ws.requiredNsgRules, v => v !== "NoAzureDatabricksRules")),
            );
            this.network();
        } else {
            this.root.facts.push({ text: "serverless compute only (no classic compute plane)", wrong: false });
        }
        this.endpoints();
        this.ncc();
        this.governance();
        this.accessLists();
        this.recipients();
        this.storage();
        return { urn: ws.res.urn, name: ws.res.name, nodes: this.nodes, edges: this.edges };
    }

    // --- nodes and edges -------------------------------------------------------------------

    private add(role: NodeRole, label: string, place: Place, extra: Partial<EvidenceNode> = {}): EvidenceNode {
        const node: EvidenceNode = { id: `n${this.nodes.length}`, role, label, place, facts: [], findings: [], ...extra };
        this.nodes.push(node);
        return node;
    }

    /** The node of a stack resource, once per picture. */
    private resourceNode(role: NodeRole, what: string, res: StackResource): EvidenceNode {
        const seen = this.byResource.get(res);
        if (seen) {
            return seen;
        }
        const own = this.findings.get(res.urn) ?? [];
        const node = this.add(role, `${what} ${JSON.stringify(cut(res.name, 60))}`, "stack", { urn: res.urn, findings: own });
        this.byResource.set(res, node);
        return node;
    }

    /** The node a reference leads to: the resource, an ID outside the stack, or an unknown value; none when absent. */
    private refNode(role: NodeRole, what: string, ref: Ref): EvidenceNode | undefined {
        switch (ref.state) {
            case "resolved":
                return this.resourceNode(role, what, ref.target);
            case "outside":
                return this.add(role, `${what} ${cut(lastSegment(ref.id), 60)} (not in this stack)`, "outside", { facts: [{ text: cutId(ref.id), wrong: false }] });
            case "unknown":
                return this.add(role, `${what} (${whyUnknown(ref)})`, "unknown");
            default:
                return undefined;
        }
    }

    private link(from: EvidenceNode, to: EvidenceNode, label: string, features: FeatureId[]): void {
        this.edges.push({ from: from.id, to: to.id, label, state: to.place === "unknown" ? "unknown" : "present", features, failing: false });
    }

    /** A link the stack does not provide, drawn to a node that names what is absent. */
    private absent(from: EvidenceNode, what: string, features: FeatureId[]): void {
        const to = this.add("absent", what, "absent");
        const levels = features.map(f => this.open.get(f)).filter(l => l !== undefined);
        const level = levels.includes("mandatory") ? "mandatory" : levels.length > 0 ? "advisory" : undefined;
        this.edges.push({ from: from.id, to: to.id, label: `no ${what}`, state: "absent", features, failing: level !== undefined, ...(level ? { level } : {}) });
    }

    private fact(text: string, feature: FeatureId, wrongValue: boolean): Fact {
        return { text, feature, wrong: wrongValue && this.open.has(feature) };
    }

    private more(from: EvidenceNode, n: number, what: string): void {
        if (n > 0) {
            const to = this.add("more", `${n} more ${what}`, "stack");
            this.link(from, to, "", []);
        }
    }

    // --- the workspace's network ------------------------------------------------------------

    private network(): void {
        const vnet = this.refNode("vnet", "VNet", workspaceVnet(this.model, this.ws));
        if (!vnet) {
            this.absent(this.root, "VNet injection", ["vnet-injection"]);
            return;
        }
        this.link(this.root, vnet, "injected into", ["vnet-injection"]);
        const subnets = workspaceSubnets(this.model, this.ws);
        this.subnet(vnet, "host", subnets.host);
        this.subnet(vnet, "container", subnets.container);
    }

    private subnet(vnet: EvidenceNode, role: "host" | "container", lookup: SubnetLookup): void {
        if (lookup.state === "absent") {
            this.absent(vnet, `${role} subnet`, ["vnet-injection"]);
            return;
        }
        if (lookup.state !== "found") {
            const node = this.add("subnet", `${role} subnet${lookup.state === "outside" ? " (not in this stack)" : " (not seen here)"}`, lookup.state === "outside" ? "outside" : "unknown",
                { facts: [{ text: cut(lookup.detail, 120), wrong: false }] });
            this.link(vnet, node, role, ["vnet-injection"]);
            return;
        }
        const s = lookup.subnet;
        const node = this.subnetNode(s);
        const delegated: Read<boolean> = s.delegations.state === "known" ? { state: "known", value: s.delegations.value.includes(DATABRICKS_DELEGATION) } : s.delegations;
        node.facts.push(this.fact(`delegated to Databricks: ${showBool(delegated)}`, "vnet-injection", isKnown(delegated, v => !v)));
        this.link(vnet, node, role, ["vnet-injection"]);
        const nsg = this.refNode("nsg", "NSG", s.nsg);
        if (nsg) {
            this.link(node, nsg, "NSG", ["vnet-injection"]);
        } else {
            this.absent(node, "network security group", ["vnet-injection"]);
        }
        const rt = this.refNode("routeTable", "route table", s.routeTable);
        if (!rt) {
            this.absent(node, "route table", ["external-firewall"]);
            return;
        }
        this.link(node, rt, "route table", ["external-firewall"]);
        if (s.routeTable.state === "resolved") {
            this.defaultRoute(rt, s.routeTable.target);
        }
    }

    private subnetNode(s: SubnetView): EvidenceNode {
        if (!s.inline) {
            return this.resourceNode("subnet", "subnet", s.declaredBy);
        }
        return this.add("subnet", `subnet ${JSON.stringify(cut(s.name, 60))} (inline in ${cut(s.declaredBy.name, 60)})`, "stack");
    }

    /** The default route of a route table, its next hop and the appliance it reaches. */
    private defaultRoute(rt: EvidenceNode, table: StackResource): void {
        if (this.routed.has(table)) {
            return; // already drawn for the other subnet
        }
        this.routed.add(table);
        const { routes, open } = routesOf(this.model, table);
        const route = routes.find(r => isKnown(isDefaultRoute(r), v => v));
        if (!route) {
            if (open.length > 0 || routes.some(r => isDefaultRoute(r).state === "unknown")) {
                rt.facts.push({ text: "default route not seen here", wrong: false });
            } else {
                this.absent(rt, "default route 0.0.0.0/0", ["external-firewall"]);
            }
            return;
        }
        const type = route.nextHopType;
        const toAppliance = isKnown(type, v => v.toLowerCase() === "virtualappliance");
        rt.facts.push(this.fact(`0.0.0.0/0 → ${show(type)}${route.nextHopIp.state === "known" ? ` ${cut(route.nextHopIp.value, 40)}` : ""}`, "external-firewall", type.state !== "unknown" && !toAppliance));
        if (!toAppliance) {
            return;
        }
        const target = hopTarget(this.model, route);
        if (target.state === "appliance") {
            const a = this.resourceNode("appliance", applianceWord(target.target), target.target);
            this.link(rt, a, "next hop", ["external-firewall"]);
        } else if (target.state === "outside" || target.state === "absent") {
            const node = this.add("nextHop", target.state === "outside" ? `next hop ${cut(target.ip, 40)} (not in this stack)` : "next hop without an IP", target.state);
            this.link(rt, node, "next hop", ["external-firewall"]);
        } else {
            const node = this.add("nextHop", "next hop (not seen here)", "unknown", { facts: [{ text: cut(target.detail, 120), wrong: false }] });
            this.link(rt, node, "next hop", ["external-firewall"]);
        }
    }

    // --- private endpoints --------------------------------------------------------------------

    private endpoints(): void {
        const mine = connectionsTo(this.model, this.ws.res).filter(c => {
            const t = targetsWorkspace(c.connection, this.ws);
            return t.state !== "known" || t.value;
        });
        const seen = new Set<EndpointView>();
        const groups = new Set<string>();
        let drawn = 0;
        for (const { endpoint, connection } of mine) {
            if (seen.has(endpoint)) {
                continue;
            }
            seen.add(endpoint);
            const ids = connection.groupIds.state === "known" ? connection.groupIds.value : [];
            ids.forEach(g => groups.add(g.toLowerCase()));
            if (drawn >= ITEMS_PER_LIST) {
                continue;
            }
            drawn++;
            const node = this.resourceNode("endpoint", "private endpoint", endpoint.res);
            node.facts.push({ text: `groupIds ${connection.groupIds.state === "known" ? ids.join(", ") || "(none)" : show(connection.groupIds)}`, wrong: false });
            this.link(this.root, node, connection.groupIds.state === "known" ? ids.join(", ") : "private endpoint", ["classic-compute-private-link", "workspace-inbound-private-link"]);
            const subnet = this.refNode("subnet", "subnet", endpoint.subnet);
            if (subnet) {
                this.link(node, subnet, "in", ["classic-compute-private-link"]);
            }
        }
        this.more(this.root, seen.size - drawn, "private endpoints");
        if (!groups.has(UI_API_GROUP)) {
            this.absent(this.root, `${UI_API_GROUP} endpoint`, ["classic-compute-private-link", "workspace-inbound-private-link"]);
        }
        if (!groups.has(BROWSER_AUTH_GROUP) && this.open.has("workspace-inbound-private-link")) {
            // Another workspace of the region may serve web authentication: drawn absent only when the verdict says so.
            this.absent(this.root, `${BROWSER_AUTH_GROUP} endpoint`, ["workspace-inbound-private-link"]);
        }
    }

    // --- serverless: NCC ----------------------------------------------------------------------

    private ncc(): void {
        const { known: bindings, open, unseen } = nccBindingsOf(this.model, this.ws);
        if (bindings.length === 0 && open.length === 0) {
            this.absent(this.root, "NCC binding", ["serverless-private-link", "serverless-stable-ips"]);
            return;
        }
        for (const b of bindings.slice(0, ITEMS_PER_LIST)) {
            const bn = this.resourceNode("nccBinding", "NCC binding", b.binding);
            this.link(this.root, bn, "bound by", ["serverless-private-link"]);
            const ncc = this.refNode("ncc", "NCC", b.ncc);
            if (!ncc) {
                this.absent(bn, "NCC", ["serverless-private-link"]);
                continue;
            }
            this.link(bn, ncc, "NCC", ["serverless-private-link"]);
            if (b.ncc.state === "resolved" && ncc.facts.length === 0) {
                const region = nccRegion(b.ncc.target);
                const here = regionKey(this.ws.location);
                ncc.facts.push(this.fact(`region ${show(region)}`, "serverless-stable-ips", regionKey(region) !== undefined && here !== undefined && regionKey(region) !== here));
                const rules = rulesOf(this.model, b.ncc.target).mine;
                for (const r of rules.slice(0, ITEMS_PER_LIST)) {
                    this.link(ncc, this.resourceNode("nccRule", "private endpoint rule", r), "rule", ["serverless-private-link"]);
                }
                this.more(ncc, rules.length - ITEMS_PER_LIST, "rules");
                if (rules.length === 0) {
                    this.absent(ncc, "private endpoint rule", ["serverless-private-link"]);
                }
            }
        }
        for (const [i, b] of open.slice(0, ITEMS_PER_LIST).entries()) {
            this.link(this.root, this.resourceNode("nccBinding", `NCC binding (workspace ${whyUnknown(unseen[i])})`, b), "may be bound by", ["serverless-private-link"]);
        }
    }

    // --- network policy -----------------------------------------------------------------------

    private governance(): void {
        const features: FeatureId[] = ["serverless-egress-control", "workspace-ip-access-lists"];
        for (const g of governanceOf(this.model, this.ws)) {
            let from = this.root;
            if ("option" in g && g.option) {
                from = this.resourceNode("networkOption", "network option", g.option);
                this.link(this.root, from, "option", features);
            }
            switch (g.state) {
                case "declared": {
                    const p = this.resourceNode("networkPolicy", "network policy", g.policy);
                    if (p.facts.length === 0) {
                        const egress = judgeEgress(g.policy);
                        const ingress = judgeIngress(g.policy, "workspace");
                        p.facts.push(
                            { text: `id ${show(readId(g.policy.props, "networkPolicyId"))}`, wrong: false },
                            this.fact(`egress: ${egress.status === "pass" ? "restricted, enforced" : egress.reason === "unknown" || egress.reason === "secret" ? unseenWords(egress.reason) : "not restricted"}`, "serverless-egress-control", egress.status === "fail"),
                            { text: `ingress: ${ingress.state === "unknown" ? whyUnknown(ingress) : INGRESS_WORDS[ingress.state]}`, feature: "workspace-ip-access-lists", wrong: false },
                        );
                    }
                    this.link(from, p, g.option ? "applies" : "governed by (default-policy)", features);
                    break;
                }
                case "outside": {
                    const p = this.add("networkPolicy", `network policy ${JSON.stringify(cut(g.id, 60))} (not in this stack)`, "outside");
                    this.link(from, p, "applies", features);
                    break;
                }
                case "default-outside": {
                    const p = this.add("networkPolicy", "default-policy (not in this stack)", "outside");
                    this.link(from, p, "governed by", features);
                    break;
                }
                case "unknown": {
                    const p = this.add("networkPolicy", `network policy (${whyUnknown(g)})`, "unknown", { facts: [{ text: cut(g.text, 120), wrong: false }] });
                    this.link(from, p, "governed by", features);
                    break;
                }
                default:
                    this.absent(from, "network policy named", features);
            }
        }
    }

    // --- Databricks-side resources of the workspace ---------------------------------------------

    private accessLists(): void {
        const model = this.model;
        const related = (kind: "workspaceConf" | "ipAccessList") => {
            return linkedTo(workspaceLinks(model, kind), this.ws.res, this.count);
        };
        const confs = related("workspaceConf");
        const lists = related("ipAccessList");
        for (const c of confs.slice(0, ITEMS_PER_LIST)) {
            this.link(this.root, this.resourceNode("workspaceConf", "workspace conf", c.res), c.rel === "yes" ? "configured by" : "may be configured by", ["workspace-ip-access-lists"]);
        }
        for (const l of lists.slice(0, ITEMS_PER_LIST)) {
            this.link(this.root, this.resourceNode("ipAccessList", "IP access list", l.res), l.rel === "yes" ? "IP access list" : "may be its IP access list", ["workspace-ip-access-lists"]);
        }
        this.more(this.root, lists.length - ITEMS_PER_LIST, "IP access lists");
        if (lists.length === 0 && this.open.has("workspace-ip-access-lists")) {
            this.absent(this.root, "IP access list", ["workspace-ip-access-lists"]);
        }
    }

    private recipients(): void {
        const model = this.model;
        const mine = linkedTo(workspaceLinks(model, "recipient"), this.ws.res, this.count);
        for (const r of mine.slice(0, ITEMS_PER_LIST)) {
            this.link(this.root, this.resourceNode("recipient", "Delta Sharing recipient", r.res), "shares with", ["delta-sharing-ip-access-lists"]);
        }
        this.more(this.root, mine.length - ITEMS_PER_LIST, "recipients");
    }

    // --- storage ------------------------------------------------------------------------------

    private storage(): void {
        const used = storageUsedBy(this.model, this.ws, this.count, this.storageListed);
        for (const v of used.slice(0, ITEMS_PER_LIST)) {
            const node = this.storageNode(v);
            this.link(this.root, node, "uses", ["cloud-service-private-access", "serverless-stable-ips"]);
            const endpoints = endpointsTo(this.model, v.res);
            for (const e of endpoints.slice(0, 2)) {
                this.link(this.resourceNode("endpoint", "private endpoint", e), node, "private endpoint to", ["cloud-service-private-access"]);
            }
            this.more(node, endpoints.length - 2, "private endpoints");
            // NCC rules are drawn from their NCC; a rule to this account links the two.
            for (const r of nccRulesTo(this.model, v.res)) {
                const rule = this.byResource.get(r);
                if (rule) {
                    this.link(rule, node, "serverless private endpoint to", ["serverless-stable-ips"]);
                }
            }
        }
        this.more(this.root, used.length - ITEMS_PER_LIST, "storage accounts");
    }

    private storageNode(v: StorageView): EvidenceNode {
        const node = this.resourceNode("storage", "storage account", v.res);
        if (node.facts.length === 0) {
            const closed = v.deny.state === "known" && v.deny.value || v.publicDisabled.state === "known" && v.publicDisabled.value;
            node.facts.push(this.fact(`firewall default action Deny: ${showBool(v.deny)}; public access disabled: ${showBool(v.publicDisabled)}`,
                "cloud-service-private-access", !closed && v.deny.state === "known" && v.publicDisabled.state === "known"));
        }
        return node;
    }
}

const INGRESS_WORDS = { restricts: "restricts public access", open: "admits every address", none: "no public ingress restriction" } as const;

function isKnown<T>(r: Read<T>, test: (v: T) => boolean): boolean {
    return r.state === "known" && test(r.value);
}

function showBool(r: Read<boolean>): string {
    return r.state === "known" ? (r.value ? "yes" : "no") : r.state === "unknown" ? whyUnknown(r) : "not set";
}

function applianceWord(r: StackResource): string {
    return r.kind === "firewall" ? "Azure Firewall" : r.kind === "networkVirtualAppliance" ? "network virtual appliance" : "appliance NIC";
}

function lastSegment(id: string): string {
    const parts = id.replace(/\/+$/, "").split("/");
    return parts[parts.length - 1] || id;
}
