// Workspace IP access: two gates restrict the public front door of a workspace, and a request must
// pass both, so either one restricting to specific ranges proves the feature:
// 1. classic IP access lists: the workspace turns them on (`WorkspaceConf` with
//    `enableIpAccessLists: "true"`) and at least one enabled ALLOW list limits the addresses. Both
//    resources reach their workspace through their databricks provider or `providerConfig.workspaceId`;
// 2. context-based ingress control: the network policy that governs the workspace restricts public
//    access (RESTRICTED_ACCESS) to the workspace UI and APIs to specific ranges.
// A catch-all in one gate while the other restricts is a note, never a failure.

import { databricksWorkspaceOf, indexLinks, linkedTo, WorkspaceLink } from "../../core/azure/databricks";
import { anyIngress, DEFAULT_POLICY, governanceOf, judgeIngress } from "../../core/azure/network-policy";
import { CATCH_ALL, coverage } from "../../core/model/cidr";
import { FeatureModule, Finding, listed, listOf, workspaceFinding } from "../../core/rules/contract";
import { premiumPrerequisite } from "../../core/rules/prerequisites";
import { StackModel, StackResource } from "../../core/model/stack";
import { cut, cutId, quote, quoteId, read, readBool, readString, readStrings, secretMark, show, unseenReason, whyUnknown } from "../../core/model/values";
import { describe, WorkspaceView, workspaceView } from "../../core/azure/workspace";

const CONF_CODE = 'new databricks.WorkspaceConf("conf", { customConfig: { enableIpAccessLists: "true" } }, { provider: wsProvider })';
const LIST_CODE = 'new databricks.IpAccessList("corp", { label: "corp", listType: "ALLOW", ipAddresses: ["203.0.113.0/24"] }, { provider: wsProvider })';
const INGRESS_CODE = 'ingress: { publicAccess: { restrictionMode: "RESTRICTED_ACCESS", allowRules: [{ origin: { includedIpRanges: { ipRanges: ["203.0.113.0/24"] } }, destination: { workspaceUi: { allDestinations: true }, workspaceApi: { scopes: ["all-apis"] } } }] } }';

const FIX_CONF = `enable the feature on the workspace: \`${CONF_CODE}\``;
const FIX_INGRESS = `or restrict the workspace's public access with the network policy that governs it: \`${INGRESS_CODE}\` on its AccountNetworkPolicy`;
const FIX_LIST = `add an enabled allow list of your egress ranges: \`${LIST_CODE}\``;

const PREMIUM = "workspace-ip-access-lists/premium";

export const workspaceIpAccessLists: FeatureModule = {
    id: "workspace-ip-access-lists",
    description: "Every Azure Databricks workspace restricts its public front door to specific address ranges, on a Premium workspace: IP access lists (WorkspaceConf enableIpAccessLists \"true\" and an enabled ALLOW list that does not admit every address), or the ingress rules of the network policy that governs it (RESTRICTED_ACCESS public access).",
    severity: "high",
    url: "https://learn.microsoft.com/azure/databricks/security/network/front-end/ip-access-list-workspace",
    remediationSteps: [
        "Restrict the workspace's public access to known address ranges:",
        "",
        "    const wsProvider = new databricks.Provider(\"ws\", { azureWorkspaceResourceId: ws.id });",
        `    ${CONF_CODE};`,
        `    ${LIST_CODE};`,
        "",
        "The value is the string \"true\". An allow list of 0.0.0.0/0 or ::/0 (or ranges that together cover every address) admits",
        "everyone. The workspace needs the Premium SKU. Under an account-level provider, set `providerConfig: { workspaceId: ws.workspaceId }`",
        "on both resources instead.",
        "",
        "Or restrict public access with context-based ingress control on the network policy that governs the workspace (the one a",
        "WorkspaceNetworkOption names, else default-policy):",
        "",
        `    new databricks.AccountNetworkPolicy("restricted", { networkPolicyId: "restricted", ${INGRESS_CODE} }, { provider: accountProvider });`,
    ].join("\n"),
    resourceCheck: {
        id: PREMIUM,
        // A list's or WorkspaceConf's own values do not decide alone: the workspace's ingress policy may restrict instead.
        summary: "Refuses a workspace not on the Premium SKU that IP access lists and ingress control need.",
        kinds: ["workspace"],
        check: res => {
            const pre = premium(workspaceView(res));
            return pre ? [pre] : [];
        },
    },
    evaluate: ctx => {
        const model = ctx.model;
        const confs = model.ofKind("workspaceConf").map(r => ({ res: r, link: databricksWorkspaceOf(model, r) }));
        const lists = model.ofKind("ipAccessList").map(r => ({ res: r, link: databricksWorkspaceOf(model, r) }));
        if (ctx.workspaces.length === 0 && confs.length === 0 && lists.length === 0) {
            return { notApplicable: "no Azure Databricks workspace and no workspace IP access list resources in this stack" };
        }
        const count = ctx.workspaces.length;
        const gates = new Map(ctx.workspaces.map(ws => [ws.res, ingressGate(model, ws)]));
        // Each resource's own problems once, whichever workspace it reaches: a note where that
        // workspace's ingress policy restricts its public access instead.
        const out: Finding[] = [...confs, ...lists].flatMap(x => {
            const target = x.link.state === "resolved" ? x.link.target : undefined;
            const f = x.res.info?.kind === "workspaceConf" ? confProblem(x.res, target && workspaceView(target)) : listProblem(x.res);
            if (f === undefined) {
                return [];
            }
            const gate = x.link.state === "resolved" ? gates.get(x.link.target) : undefined;
            if (gate?.state === "restricts") {
                return [{ status: "note" as const, resource: x.res, found: `${f.found}; ${gate.text}, so the workspace's public access is restricted` }];
            }
            if (gate?.state === "unknown") {
                return [{ ...f, status: "unverified" as const, reason: unseenReason(gate), found: `${f.found}; whether the workspace's ingress policy restricts it instead is ${whyUnknown(gate)}: ${gate.text}` }];
            }
            return [f];
        });
        const confIndex = indexLinks(confs);
        const listIndex = indexLinks(lists);
        for (const ws of ctx.workspaces) {
            const parts = judgeParts(linkedTo(confIndex, ws.res, count), linkedTo(listIndex, ws.res, count));
            const pre = premium(ws);
            out.push(...bothGates(parts, gates.get(ws.res) as IngressGate, pre, (status, found, extra) => workspaceFinding(ws, status, found, extra)));
        }
        // Resources that act on workspaces declared in other stacks: judge each such workspace.
        const outside = new Map<string, { confs: Related[]; lists: Related[]; via: string }>();
        for (const [bucket, xs] of [["confs", confs], ["lists", lists]] as const) {
            for (const x of xs) {
                if (x.link.state === "outside") {
                    const e = outside.get(x.link.key) ?? { confs: [], lists: [], via: x.link.via };
                    e[bucket].push({ ...x, rel: "yes" });
                    outside.set(x.link.key, e);
                }
            }
        }
        for (const [key, e] of outside) {
            const subject = (e.confs[0] ?? e.lists[0]).res;
            const parts = judgeParts(e.confs, e.lists);
            out.push(...toFindings(parts, undefined, (status, found, extra) => ({
                status, resource: subject, found: `workspace ${cutId(key)} (declared in another stack, reached through ${e.via}): ${found}`, ...extra,
            })));
        }
        if (out.length === 0) {
            // Only resources whose workspace is unknown and no workspace here to attribute them to.
            const any = [...confs, ...lists][0];
            return [{
                status: "unverified", resource: any.res,
                found: `the workspace that ${describe(any.res)} acts on cannot be determined: ${detail(any.link)}`,
                missing: "an enabled WorkspaceConf and ALLOW list that reach a known workspace",
            }];
        }
        return out;
    },
};

interface Linked {
    res: StackResource;
    link: WorkspaceLink;
}

interface Related extends Linked {
    /** `maybe`: the link is unknown until apply and could be this workspace. */
    rel: "yes" | "maybe";
}

type Make = (status: Finding["status"], found: string, extra: Partial<Finding>) => Finding;

/**
 * One part's finding (its `aspect`: the WorkspaceConf or the IP access list), before it is made
 * the workspace's; `local`: what is wrong is a resource's own setting, reported on that resource.
 */
type PartResult = Pick<Finding, "found" | "missing" | "fix" | "reason" | "aspect"> & { status: "pass" | "fail" | "unverified" | "local" };

function detail(link: WorkspaceLink): string {
    switch (link.state) {
        case "unknown":
        case "absent":
            return link.detail;
        default:
            return `through ${link.via}`;
    }
}

function judgeParts(confs: Related[], lists: Related[]): PartResult[] {
    return [{ ...judgeConf(confs), aspect: "WorkspaceConf" }, { ...judgeLists(lists), aspect: "IP access list" }];
}

function toFindings(parts: PartResult[], pre: Finding | undefined, make: Make): Finding[] {
    const out: Finding[] = pre ? [pre] : [];
    for (const p of parts) {
        if (p.status === "local") {
            continue;
        }
        if (p.status !== "pass") {
            const { status, found, ...rest } = p;
            out.push(make(status, found, rest));
        }
    }
    if (out.length === 0 && parts.every(p => p.status === "pass")) {
        return [make("pass", parts.map(p => p.found).join("; "), {})];
    }
    return out;
}

/** The second gate: the ingress of the network policy that governs the workspace. */
interface IngressGate {
    /** `IngressVerdict`'s states, and `outside`; `none` is a verdict (nothing here restricts ingress), not an absent value. */
    state: "restricts" | "open" | "unknown" | "none" | "outside";
    /** `unknown` only because of secrets. */
    secret?: true;
    text: string;
    exceptions: string[];
}

/** The workspace's own SKU, which IP access lists and ingress control need: the resource check. */
function premium(ws: WorkspaceView): Finding | undefined {
    const pre = premiumPrerequisite(ws, "IP access lists");
    return pre && { ...pre, check: PREMIUM };
}

const GATE_ORDER: IngressGate["state"][] = ["open", "unknown", "outside", "none", "restricts"];

function ingressGate(model: StackModel, ws: WorkspaceView): IngressGate {
    const gates = governanceOf(model, ws).map((g): IngressGate => {
        switch (g.state) {
            case "declared": {
                const v = judgeIngress(g.policy, "workspace");
                const via = g.option ? `applied by ${describe(g.option)}` : `${DEFAULT_POLICY}: no WorkspaceNetworkOption applies to this workspace`;
                return { state: v.state, ...secretMark(v), text: `${v.text} (${via})`, exceptions: v.exceptions };
            }
            case "outside":
                return { state: "outside", text: `${describe(g.option)} applies network policy ${quoteId(g.id)}, which is not declared in this stack`, exceptions: [] };
            case "unknown":
                // Only a policy with ingress could restrict: an unseen link to policies without any decides nothing.
                return anyIngress(model) ? { state: "unknown", ...secretMark(g), text: g.text, exceptions: [] } : { state: "none", text: g.text, exceptions: [] };
            default:
                return { state: "none", text: "", exceptions: [] };
        }
    });
    return gates.sort((a, b) => GATE_ORDER.indexOf(a.state) - GATE_ORDER.indexOf(b.state))[0];
}

/** The workspace's findings from both gates: one restricting is enough. */
function bothGates(parts: PartResult[], gate: IngressGate, pre: Finding | undefined, make: Make): Finding[] {
    const exceptions = gate.exceptions.length > 0 ? [make("note", `named exceptions of the ingress policy: ${listed(gate.exceptions, "; ")}`, { aspect: "ingress exceptions" })] : [];
    if (gate.state === "restricts") {
        return [...(pre ? [pre] : [make("pass", gate.text, {})]), ...exceptions];
    }
    const classic = toFindings(parts, pre, make);
    if (classic.some(f => f.status === "pass")) {
        return gate.state === "open" ? [...classic, make("note", `${gate.text}; the IP access lists restrict the workspace's public access`, { aspect: "ingress policy" })] : classic;
    }
    if (gate.state === "unknown") {
        // The policy may restrict once known: nothing here blocks until then.
        return [...(pre ? [pre] : []), make("unverified", `IP access lists do not restrict this workspace here, and whether the ingress policy that governs it does is ${whyUnknown(gate)}: ${gate.text}`, {
            reason: unseenReason(gate), missing: `${LIST_MISSING}, or RESTRICTED_ACCESS public ingress to specific ranges in the policy that governs it`,
        })];
    }
    if (gate.state === "open" || gate.state === "outside") {
        // Named beside the classic findings, which still decide (an outside policy is never evidence alone).
        return classic.map(f => (f.status === "fail" || f.status === "unverified" ? { ...f, found: `${f.found}; and ${gate.text}` } : f));
    }
    return classic;
}

const LIST_MISSING = "an enabled IpAccessList with listType \"ALLOW\" and specific address ranges for this workspace";
const CONF_MISSING = "a WorkspaceConf with customConfig.enableIpAccessLists \"true\" (the string) for this workspace";

/** The ranges that admit every address, as a message names them. */
function admits(covering: readonly string[]): string {
    return covering.length === 1 ? cut(covering[0]) : `${listOf(covering, ip => cut(ip), " + ")}, which together cover every address`;
}

/**
 * A WorkspaceConf's own problem: it sets enableIpAccessLists to something other than "true". On a
 * workspace whose public network access is disabled the lists would govern no traffic today (they
 * gate public access only): said so, with the ingress policy as the other way to restrict.
 */
function confProblem(res: StackResource, ws?: WorkspaceView): Finding | undefined {
    const v = read(res.props, "customConfig", "enableIpAccessLists");
    if (v.state !== "known" || v.value === "true") {
        return undefined;
    }
    const pna = ws?.publicNetworkAccess;
    const closed = ws !== undefined && pna?.state === "known" && pna.value.toLowerCase() === "disabled" ? ws : undefined;
    return {
        status: "fail", resource: res,
        found: closed
            ? `${describe(res)} sets enableIpAccessLists to ${quote(v.value)} on workspace ${describe(closed.res)}, whose public network access is disabled: IP access lists would govern no traffic today (they gate public access only); the feature asks for its public front door to be restricted, by the lists or by the ingress of the network policy that governs it`
            : `${describe(res)} sets enableIpAccessLists to ${quote(v.value)} (only the string "true" enables IP access lists)`,
        missing: CONF_MISSING, fix: `${FIX_CONF}; ${FIX_INGRESS}`,
    };
}

/** An ALLOW list's own problem: disabled, or admitting every address. */
function listProblem(res: StackResource): Finding | undefined {
    const enabled = readBool(res.props, "enabled");
    const type = readString(res.props, "listType");
    if (type.state !== "known" || type.value.toUpperCase() !== "ALLOW") {
        return undefined;
    }
    const name = describe(res);
    if (enabled.state === "known" && !enabled.value) {
        return { status: "fail", resource: res, found: `${name} is disabled: the allow list restricts nothing while it is off`, missing: LIST_MISSING, fix: "set `enabled: true` on the list (or remove it)" };
    }
    const ips = readStrings(res.props, "ipAddresses");
    const cover = ips.state === "known" ? coverage(ips.value) : undefined;
    if (enabled.state !== "unknown" && cover && cover.everything.length > 0) {
        return { status: "fail", resource: res, found: `${name} allows ${admits(cover.covering)}: ${CATCH_ALL}`, missing: LIST_MISSING, fix: "replace the catch-all ranges with your egress ranges" };
    }
    if (cover && cover.malformed.length > 0) {
        return { status: "fail", resource: res, found: `${name} lists entries that are not IP addresses or CIDR ranges: ${listOf(cover.malformed, ip => cut(ip))}`, missing: LIST_MISSING, fix: "correct or remove the malformed entries" };
    }
    return undefined;
}

function judgeConf(confs: Related[]): PartResult {
    const wrong: string[] = [];
    const enabling: string[] = [];
    const open: string[] = [];
    for (const c of confs) {
        const all = read(c.res.props, "customConfig");
        const v = read(c.res.props, "customConfig", "enableIpAccessLists");
        if (c.rel === "maybe") {
            if (v.state !== "absent" || all.state === "unknown") {
                open.push(`${describe(c.res)}: ${detail(c.link)}`);
            }
            continue;
        }
        if (v.state === "known") {
            if (v.value === "true") {
                enabling.push(describe(c.res));
            } else {
                wrong.push(describe(c.res));
            }
        } else if (v.state === "unknown" || all.state === "unknown") {
            open.push(`${describe(c.res)}: customConfig.enableIpAccessLists is ${whyUnknown(v, all)}`);
        }
    }
    const missing = CONF_MISSING;
    if (enabling.length > 0 && wrong.length === 0) {
        return { status: "pass", found: `IP access lists enabled by ${listed(enabling)}` };
    }
    if (wrong.length > 0) {
        // The WorkspaceConf's own value is wrong: reported on it (confProblem).
        return { status: "local", found: `${listed(wrong)} does not enable IP access lists` };
    }
    if (open.length > 0) {
        return { status: "unverified", found: `a WorkspaceConf may enable IP access lists but cannot be confirmed: ${listed(open, "; ")}`, missing };
    }
    return { status: "fail", found: "no WorkspaceConf in this stack enables IP access lists for this workspace", missing, fix: `${FIX_CONF}; ${FIX_INGRESS}`, reason: "missing" };
}

function judgeLists(lists: Related[]): PartResult {
    const good: string[] = [];
    const goodRanges: string[] = [];
    const allowAll: string[] = [];
    const localBad: string[] = [];
    const ignored: string[] = [];
    const open: string[] = [];
    for (const l of lists) {
        const enabled = readBool(l.res.props, "enabled");
        const type = readString(l.res.props, "listType");
        const ips = readStrings(l.res.props, "ipAddresses");
        const name = describe(l.res);
        const unknowns = [["enabled", enabled], ["listType", type], ["ipAddresses", ips]].filter(([, r]) => (r as { state: string }).state === "unknown").map(([k]) => k);
        const isAllow = type.state === "known" && type.value.toUpperCase() === "ALLOW";
        const isEnabled = enabled.state !== "known" || enabled.value;
        if (l.rel === "maybe") {
            if ((isAllow || type.state === "unknown") && isEnabled) {
                open.push(`${name}: ${detail(l.link)}`);
            }
            continue;
        }
        if (isAllow && listProblem(l.res)) {
            // Disabled, or admitting every address: reported on the list itself (listProblem).
            localBad.push(name);
            continue;
        }
        if (enabled.state === "known" && !enabled.value) {
            ignored.push(`${name} is disabled`);
            continue;
        }
        if (type.state === "known" && !isAllow) {
            ignored.push(`${name} is a ${cut(type.value)} list`);
            continue;
        }
        if (type.state === "absent") {
            ignored.push(`${name} sets no listType`);
            continue;
        }
        const cover = ips.state === "known" ? coverage(ips.value) : undefined;
        if (cover && cover.everything.length > 0) {
            if (enabled.state === "unknown" || type.state === "unknown") {
                open.push(`${name} admits every address (${admits(cover.covering)}) and its ${unknowns.join(", ")} is ${whyUnknown(enabled, type)}`);
            } else {
                allowAll.push(`${name} allows ${admits(cover.covering)}`);
            }
            continue;
        }
        if (unknowns.length > 0) {
            open.push(`${name}: ${unknowns.join(", ")} ${whyUnknown(enabled, type, ips)}`);
            continue;
        }
        if (ips.state !== "known" || ips.value.length === 0) {
            ignored.push(`${name} has no addresses (${show(ips)})`);
            continue;
        }
        good.push(`${name} (${listOf(ips.value, ip => cut(ip))})`);
        goodRanges.push(...ips.value);
    }
    // Enabled ALLOW lists are alternatives: together they may admit every address though none does alone.
    const together = coverage(goodRanges);
    if (good.length > 1 && together.everything.length > 0) {
        allowAll.push(`the allow lists ${listed(good)} allow ${admits(together.covering)}`);
    }
    const missing = LIST_MISSING;
    if (allowAll.length > 0) {
        return { status: "fail", found: `${listed(allowAll, "; ")}: ${CATCH_ALL}`, missing, fix: "replace the catch-all range with your egress ranges" };
    }
    if (good.length > 0) {
        return { status: "pass", found: `enabled ALLOW list ${listed(good)}` };
    }
    if (localBad.length > 0) {
        return { status: "local", found: `no effective ALLOW list: ${listed(localBad)} restricts nothing` };
    }
    if (open.length > 0) {
        return { status: "unverified", found: `an allow list may apply but cannot be confirmed: ${listed(open, "; ")}`, missing };
    }
    return {
        status: "fail",
        found: ignored.length > 0 ? `no enabled ALLOW list for this workspace in this stack (${listed(ignored, "; ")})` : "no IpAccessList in this stack applies to this workspace",
        // Lists declared for this workspace that do not count are the stack's own word: not attestable.
        missing, fix: `${FIX_LIST}; ${FIX_INGRESS}`, reason: ignored.length === 0 ? "missing" : "wrong",
    };
}
