// Databricks account network policies: which policy governs which door, and what a policy's
// context-based ingress admits. One object (`AccountNetworkPolicy`) holds serverless egress and
// ingress; a workspace is governed by the policy its `WorkspaceNetworkOption` names, else by
// `default-policy`; the account console and account APIs by the fixed policy `account-policy`.

import { networkOptionsOf, readId } from "./account";
import { coverage } from "../model/cidr";
import { stackIndex, StackModel, StackResource } from "../model/stack";
import { cut, quote, Read, read, readArray, readBool, readString, readStrings, secretMark, Unseen, unseenReason, whyUnknown } from "../model/values";
import { listed, listOf, Reason } from "../rules/contract";
import { describe, WorkspaceView } from "./workspace";

/** The policy of every workspace without a WorkspaceNetworkOption. */
export const DEFAULT_POLICY = "default-policy";
/** The fixed policy that governs the account console and the account APIs. */
export const ACCOUNT_POLICY = "account-policy";

/** How one workspace is governed. */
export type Governance =
    /** A policy declared in this stack (`option` names it; none: it is default-policy). */
    | { state: "declared"; policy: StackResource; option?: StackResource }
    /** The option names a policy not declared in this stack. */
    | { state: "outside"; id: string; option: StackResource }
    /** No option applies and this stack does not declare default-policy. */
    | { state: "default-outside" }
    /** A link not seen: unknown until apply, or secret (`secret`, for `whyUnknown`). */
    | { state: "unknown"; text: string; option?: StackResource; secret?: true }
    /** The option names no policy (its networkPolicyId is absent). */
    | { state: "absent"; option: StackResource };

/** The network policy ID a resource names or holds, when known. */
export function policyIdOf(p: StackResource): string | undefined {
    const id = readId(p.props, "networkPolicyId");
    return id.state === "known" ? id.value : undefined;
}

/** The stack's policies by role: default-policy, account-policy and those whose ID is unseen. */
const POLICIES = stackIndex("network policies by role", (model): { def?: StackResource; account: StackResource[]; openIds: StackResource[]; anyIngress: boolean } => {
    const all = model.ofKind("accountNetworkPolicy");
    return {
        def: all.find(p => policyIdOf(p) === DEFAULT_POLICY),
        account: all.filter(p => policyIdOf(p) === ACCOUNT_POLICY),
        openIds: all.filter(p => readId(p.props, "networkPolicyId").state === "unknown"),
        anyIngress: all.some(p => read(p.props, "ingress").state !== "absent" || read(p.props, "ingressDryRun").state !== "absent"),
    };
});

/** Whether any network policy of the stack writes ingress rules (or a dry run of them). */
export function anyIngress(model: StackModel): boolean {
    return model.index(POLICIES).anyIngress;
}

/** What governs this workspace's doors, as this stack shows it (one entry per option that applies). */
export function governanceOf(model: StackModel, ws: WorkspaceView): Governance[] {
    const { mine, open, unseen } = networkOptionsOf(model, ws);
    if (mine.length > 0) {
        return mine.map(o => optionGovernance(model, o));
    }
    if (open.length > 0) {
        return [unseenGovernance(`the workspace of ${listOf(open, describe)} is ${whyUnknown(...unseen)}`, unseen)];
    }
    const { def, openIds } = model.index(POLICIES);
    if (def) {
        return [{ state: "declared", policy: def }];
    }
    if (openIds.length > 0) {
        const ids = openIds.map(p => readId(p.props, "networkPolicyId"));
        return [unseenGovernance(`no WorkspaceNetworkOption applies to this workspace, and whether ${listOf(openIds, describe)} is ${DEFAULT_POLICY} is ${whyUnknown(...ids)}`, ids)];
    }
    return [{ state: "default-outside" }];
}

function optionGovernance(model: StackModel, o: StackResource): Governance {
    const ref = model.resolve(o, "networkPolicyId", readId(o.props, "networkPolicyId"), ["accountNetworkPolicy"]);
    switch (ref.state) {
        case "resolved":
            return { state: "declared", policy: ref.target, option: o };
        case "outside":
            return { state: "outside", id: ref.id, option: o };
        case "unknown":
            return { ...unseenGovernance(`${describe(o)} applies a network policy ${whyUnknown(ref)}`, [ref]), option: o };
        default:
            return { state: "absent", option: o };
    }
}

function unseenGovernance(text: string, reads: readonly Unseen[]): Extract<Governance, { state: "unknown" }> {
    return { state: "unknown", text, ...secretMark(...reads) };
}

/** The policies that govern workspaces: default-policy and every policy a WorkspaceNetworkOption of this stack applies. */
export function governingPolicies(model: StackModel): StackResource[] {
    const applied = new Set<StackResource>();
    for (const o of model.ofKind("workspaceNetworkOption")) {
        const g = optionGovernance(model, o);
        if (g.state === "declared") {
            applied.add(g.policy);
        }
    }
    return model.ofKind("accountNetworkPolicy").filter(p => applied.has(p) || policyIdOf(p) === DEFAULT_POLICY);
}

/** The policies that govern the account console and APIs: account-policy, or those that may be it. */
export function accountPolicies(model: StackModel): { declared: StackResource[]; maybe: StackResource[] } {
    const { account, openIds } = model.index(POLICIES);
    return { declared: account, maybe: openIds.filter(p => read(p.props, "ingress").state !== "absent") };
}

/** Which door of Databricks an ingress rule is judged for. */
export type Door = "workspace" | "account";

const DOOR_DESTINATIONS: Record<Door, readonly string[]> = {
    workspace: ["workspaceUi", "workspaceApi"],
    account: ["accountUi", "accountApi", "accountDatabricksOne"],
};

const DOOR_NAMES: Record<Door, string> = {
    workspace: "the workspace UI and APIs",
    account: "the account console and account APIs",
};

/**
 * What a policy's ingress does for a door:
 * - `restricts`: public access is RESTRICTED_ACCESS and no allow rule reaching the door admits
 *   every address for every identity (`exceptions` names rules limited to selected identities);
 * - `open`: it admits every address (FULL_ACCESS, a catch-all rule, or restrictions in dry run only);
 * - `unknown`: a value that decides is unknown until apply (or secret);
 * - `none`: the policy sets no public ingress restriction at all. A verdict on a policy that
 *   exists, not a value that is not set (`absent`), hence its own word.
 */
export interface IngressVerdict {
    state: "restricts" | "open" | "unknown" | "none";
    /** `unknown` only because of secrets (for `whyUnknown`). */
    secret?: true;
    /** What was found, starting with the policy's name. */
    text: string;
    exceptions: string[];
    /** Entries of allow lists that are not address ranges. */
    malformed: string[];
}

/** Judges a policy's public ingress for one door. */
export function judgeIngress(p: StackResource, door: Door): IngressVerdict {
    const name = `policy ${describe(p)}`;
    const verdict = (state: IngressVerdict["state"], text: string, extra: Partial<IngressVerdict> = {}): IngressVerdict =>
        ({ state, text: `${name} ${text}`, exceptions: [], malformed: [], ...extra });
    const notSeen = (text: string, ...reads: Unseen[]): IngressVerdict =>
        verdict("unknown", text, secretMark(...reads));
    const ingress = read(p.props, "ingress");
    const dryRun = read(p.props, "ingressDryRun");
    if (ingress.state === "unknown") {
        return notSeen(`has an ingress block ${whyUnknown(ingress)}`, ingress);
    }
    if (ingress.state === "absent") {
        return dryRun.state === "absent"
            ? verdict("none", "sets no ingress")
            : verdict("open", "writes its ingress restrictions only in ingressDryRun, which logs requests and restricts nothing");
    }
    const mode = readString(p.props, "ingress", "publicAccess", "restrictionMode");
    const publicAccess = read(p.props, "ingress", "publicAccess");
    if (publicAccess.state === "absent") {
        return dryRun.state === "absent"
            ? verdict("none", "sets no ingress.publicAccess (public access is not restricted by it)")
            : verdict("open", "sets no ingress.publicAccess; its restrictions are only in ingressDryRun, which logs requests and restricts nothing");
    }
    if (mode.state === "unknown") {
        return notSeen(`has an ingress.publicAccess.restrictionMode ${whyUnknown(mode)}`, mode);
    }
    if (mode.state === "absent") {
        return verdict("none", "sets no ingress.publicAccess.restrictionMode");
    }
    if (mode.value.toUpperCase() !== "RESTRICTED_ACCESS") {
        return verdict("open", `has ingress.publicAccess.restrictionMode ${quote(mode.value)}: every public address reaches ${DOOR_NAMES[door]}`);
    }
    const rules = readArray(p.props, "ingress", "publicAccess", "allowRules");
    if (rules.state === "unknown") {
        return notSeen(`restricts public access but its allow rules are ${whyUnknown(rules)}`, rules);
    }
    const open: string[] = [];
    const unknown: string[] = [];
    /** The values behind `unknown`: secret wording only when every one is a secret. */
    const unseen: Unseen[] = [];
    const exceptions: string[] = [];
    const malformed: string[] = [];
    const ranges: string[] = [];
    // Ranges of rules for every identity, and of rules whose identity type is unknown: rules are
    // alternatives, so together they may admit every address though none does alone.
    const forEveryone: string[] = [];
    const forUnknown: string[] = [];
    const identitiesUnseen: Unseen[] = [];
    (rules.state === "known" ? rules.value : []).forEach((_, i) => {
        const at = ["ingress", "publicAccess", "allowRules", i] as const;
        const label = readString(p.props, ...at, "label");
        const ruleName = label.state === "known" ? `allow rule ${quote(label.value)}` : `allowRules[${i}]`;
        const reach = reaches(p.props, [...at], door);
        if (reach.state === "no") {
            return;
        }
        const origin = judgeOrigin(p.props, [...at]);
        malformed.push(...origin.malformed);
        const identity = readString(p.props, ...at, "authentication", "identityType");
        const selected = identity.state === "known" && identity.value.toUpperCase() === "IDENTITY_TYPE_SELECTED_IDENTITIES";
        if (origin.state === "specific") {
            ranges.push(...origin.ranges);
            if (!selected && reach.state === "yes") {
                (identity.state === "unknown" ? forUnknown : forEveryone).push(...origin.ranges);
                if (identity.state === "unknown") {
                    identitiesUnseen.push(identity);
                }
            }
            return;
        }
        if (origin.state === "unknown") {
            unknown.push(`${ruleName}: ${origin.text}`);
            unseen.push(origin.read);
            return;
        }
        if (reach.state === "unknown") {
            unknown.push(`${ruleName}: its destination is ${whyUnknown(reach.read)} and it admits ${origin.text}`);
            unseen.push(reach.read);
            return;
        }
        if (selected) {
            const ids = readArray(p.props, ...at, "authentication", "identities");
            exceptions.push(`${ruleName} admits ${origin.text} for ${ids.state === "known" ? `${ids.value.length} selected identit${ids.value.length === 1 ? "y" : "ies"}` : "selected identities"} only`);
        } else if (identity.state === "unknown") {
            unknown.push(`${ruleName} admits ${origin.text} and its authentication.identityType is ${whyUnknown(identity)}`);
            unseen.push(identity);
        } else {
            open.push(`${ruleName} admits ${origin.text}${identity.state === "known" ? ` (${cut(identity.value)})` : ""}`);
        }
    });
    const extra = { exceptions, malformed };
    const together = coverage(forEveryone);
    if (together.everything.length > 0) {
        open.push(`its allow rules together admit every ${together.everything.join(" and ")} address (${listOf(together.covering, r => cut(r))} cover the whole space)`);
    } else if (forUnknown.length > 0 && coverage([...forEveryone, ...forUnknown]).everything.length > 0) {
        unknown.push(`its allow rules together may admit every address, and the authentication.identityType of some is ${whyUnknown(...identitiesUnseen)}`);
        unseen.push(...identitiesUnseen);
    }
    if (open.length > 0) {
        return verdict("open", `restricts public access but ${listed(open, "; ")}: a rule that admits every address restricts nothing`, extra);
    }
    if (unknown.length > 0) {
        return { ...notSeen(`restricts public access; whether it admits every address is ${whyUnknown(...unseen)}: ${listed(unknown, "; ")}`, ...unseen), ...extra };
    }
    const allowed = ranges.length === 0 ? `no public address reaches ${DOOR_NAMES[door]}` : `only ${listOf(ranges, r => cut(r))} reach ${DOOR_NAMES[door]}`;
    return verdict("restricts", `restricts public access (RESTRICTED_ACCESS): ${allowed}`, extra);
}

/** Whether an allow rule's destination includes the door; no destination matches every one. */
function reaches(props: unknown, at: (string | number)[], door: Door): { state: "yes" | "no" } | { state: "unknown"; read: Unseen } {
    const dest = read(props, ...at, "destination");
    if (dest.state === "absent") {
        return { state: "yes" };
    }
    if (dest.state === "unknown") {
        return { state: "unknown", read: dest };
    }
    const all = readBool(props, ...at, "destination", "allDestinations");
    if (all.state === "unknown") {
        return { state: "unknown", read: all };
    }
    if (all.state === "known" && all.value) {
        return { state: "yes" };
    }
    const reads = DOOR_DESTINATIONS[door].map(d => read(props, ...at, "destination", d));
    const seen = reads.find(r => r.state === "known");
    const unseen = reads.find(r => r.state === "unknown");
    return seen ? { state: "yes" } : unseen ? { state: "unknown", read: unseen } : { state: "no" };
}

type Origin =
    | { state: "specific"; ranges: string[]; malformed: string[] }
    | { state: "everything"; text: string; malformed: string[] }
    | { state: "unknown"; text: string; malformed: string[]; read: Unseen };

/** What a public ingress rule's origin admits. */
function judgeOrigin(props: unknown, at: (string | number)[]): Origin {
    const origin = read(props, ...at, "origin");
    if (origin.state === "unknown") {
        return { state: "unknown", text: `its origin is ${whyUnknown(origin)}`, malformed: [], read: origin };
    }
    if (origin.state === "absent") {
        return { state: "everything", text: "every address (it sets no origin)", malformed: [] };
    }
    const all = readBool(props, ...at, "origin", "allIpRanges");
    if (all.state === "unknown") {
        return { state: "unknown", text: `its origin.allIpRanges is ${whyUnknown(all)}`, malformed: [], read: all };
    }
    if (all.state === "known" && all.value) {
        return { state: "everything", text: "every address (allIpRanges)", malformed: [] };
    }
    const excluded = read(props, ...at, "origin", "excludedIpRanges");
    if (excluded.state === "unknown") {
        return { state: "unknown", text: `its origin.excludedIpRanges is ${whyUnknown(excluded)}`, malformed: [], read: excluded };
    }
    if (excluded.state === "known") {
        const but = readStrings(props, ...at, "origin", "excludedIpRanges", "ipRanges");
        const except = but.state === "known" && but.value.length > 0 ? ` but ${listOf(but.value, r => cut(r))}` : "";
        return { state: "everything", text: `every public address${except} (excludedIpRanges)`, malformed: [] };
    }
    const included: Read<string[]> = readStrings(props, ...at, "origin", "includedIpRanges", "ipRanges");
    if (included.state === "unknown") {
        return { state: "unknown", text: `its origin.includedIpRanges are ${whyUnknown(included)}`, malformed: [], read: included };
    }
    const list = included.state === "known" ? included.value : [];
    const cover = coverage(list);
    if (cover.everything.length > 0) {
        return { state: "everything", text: `every ${cover.everything.join(" and ")} address (${listOf(cover.covering, r => cut(r))} together cover the whole space)`, malformed: cover.malformed };
    }
    if (list.length === 0) {
        return { state: "everything", text: "every address (its origin names no range)", malformed: cover.malformed };
    }
    return { state: "specific", ranges: list, malformed: cover.malformed };
}

/** Allow or deny rules of a policy's ingress or dry run that name account destinations. */
export function accountDestinations(p: StackResource): string[] {
    const out: string[] = [];
    for (const block of ["ingress", "ingressDryRun"]) {
        for (const access of ["publicAccess", "privateAccess", "crossWorkspaceAccess"]) {
            for (const list of ["allowRules", "denyRules"]) {
                const rules = readArray(p.props, block, access, list);
                if (rules.state !== "known") {
                    continue;
                }
                rules.value.forEach((_, i) => {
                    for (const d of DOOR_DESTINATIONS.account) {
                        if (read(p.props, block, access, list, i, "destination", d).state !== "absent") {
                            out.push(`${block}.${access}.${list}[${i}].destination.${d}`);
                        }
                    }
                });
            }
        }
    }
    return out;
}

export interface EgressVerdict {
    status: "pass" | "fail" | "unverified";
    /** The policy, as a message names it. */
    policy: string;
    /** What it does, said of the policy: `${policy} ${says}`, or `…, which ${says}`. */
    says: string;
    reason?: Reason;
    /** Advice that does not change the verdict (a product filter that ENFORCED leaves without effect). */
    note?: string;
}

/** How enforcement reads: its mode, and the products its dryRunModeProductFilters keeps in dry run. */
function enforcementOf(p: StackResource): { mode: Read<string>; products: Read<string[]> } {
    const at = ["egress", "networkAccess", "policyEnforcement"] as const;
    return { mode: readString(p.props, ...at, "enforcementMode"), products: readStrings(p.props, ...at, "dryRunModeProductFilters") };
}

/**
 * What DRY_RUN leaves unenforced, per the provider's documentation of dryRunModeProductFilters:
 * an empty filter means dry run for every product; a non-empty one, dry run for the products it
 * names and enforcement for the others.
 */
function dryRunScope(products: Read<string[]>): string {
    if (products.state === "known" && products.value.length > 0) {
        return `the products its dryRunModeProductFilters names (${listOf(products.value, x => quote(x))}) only log violations; the others are enforced`;
    }
    return products.state === "unknown" ? `whether its dryRunModeProductFilters limits dry run to some products is ${whyUnknown(products)}` : "every product only logs violations (no dryRunModeProductFilters)";
}

/** What a policy's egress does for serverless compute (judged the same for every workspace it governs). */
export function judgeEgress(p: StackResource): EgressVerdict {
    const policy = `policy ${describe(p)}`;
    const mode = readString(p.props, "egress", "networkAccess", "restrictionMode");
    const { mode: enforcement, products } = enforcementOf(p);
    const dryRun = enforcement.state === "known" && enforcement.value.toUpperCase() === "DRY_RUN";
    if (mode.state === "unknown") {
        return { policy, status: "unverified", reason: unseenReason(mode), says: `has an egress restriction mode ${whyUnknown(mode)}` };
    }
    // Restricting the mode alone would not block anything in dry run: say so with the mode.
    const andDryRun = dryRun ? `; its enforcementMode is "DRY_RUN" as well: ${dryRunScope(products)}` : "";
    if (mode.state === "absent") {
        return { policy, status: "fail", says: `sets no egress restriction (serverless compute keeps full internet access)${andDryRun}` };
    }
    if (mode.value.toUpperCase() !== "RESTRICTED_ACCESS") {
        return { policy, status: "fail", says: `has egress restrictionMode ${quote(mode.value)} (serverless compute may reach any destination)${andDryRun}` };
    }
    if (enforcement.state === "unknown") {
        return { policy, status: "unverified", reason: unseenReason(enforcement), says: `restricts egress but its enforcement mode is ${whyUnknown(enforcement)}` };
    }
    if (enforcement.state === "known" && enforcement.value.toUpperCase() !== "ENFORCED") {
        return { policy, status: "fail", says: `restricts egress in enforcementMode ${quote(enforcement.value)}${dryRun ? `: ${dryRunScope(products)}` : " only (violations are logged, not blocked)"}` };
    }
    const note = products.state === "known" && products.value.length > 0
        ? `${policy} is enforced and its dryRunModeProductFilters names ${listOf(products.value, x => quote(x))}: the provider documents the filter as the products kept in dry run (violations logged, not blocked) while the others are enforced, a scope of enforcementMode "DRY_RUN"; under "ENFORCED", which blocks traffic that violates the policy, the filter keeps nothing in dry run`
        : undefined;
    return { policy, status: "pass", says: "restricts egress (RESTRICTED_ACCESS, enforced)", ...(note ? { note } : {}) };
}
