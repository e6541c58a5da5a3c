// Account-level IP access: who reaches the account console and account APIs. A stack proves it with
// context-based ingress control on the account's fixed network policy `account-policy`
// (RESTRICTED_ACCESS, allow rules for specific public ranges); legacy account IP access lists have
// no resource in @pulumi/databricks and are attested in the pack configuration.

import { CATCH_ALL, coverage } from "../../core/model/cidr";
import { ACCOUNT_POLICY, accountDestinations, accountPolicies, IngressVerdict, judgeIngress, policyIdOf } from "../../core/azure/network-policy";
import { FeatureModule, Finding, fromCheck, listed, listOf } from "../../core/rules/contract";
import { premiumPrerequisite } from "../../core/rules/prerequisites";
import { StackResource } from "../../core/model/stack";
import { cut, readBool, readString, readStrings, secretMark, unseenReason, whyUnknown } from "../../core/model/values";
import { readId } from "../../core/azure/account";
import { describe } from "../../core/azure/workspace";

export const ACCOUNT_ATTESTATION = "\"account-ip-access-lists\": {\"attestations\": [{\"reason\": \"...\"}]}";

const DECLARE = `declare the account's ${ACCOUNT_POLICY} with restricted ingress: \`new databricks.AccountNetworkPolicy("account", { networkPolicyId: "${ACCOUNT_POLICY}", ingress: { publicAccess: { restrictionMode: "RESTRICTED_ACCESS", allowRules: [{ label: "corp", origin: { includedIpRanges: { ipRanges: ["203.0.113.0/24"] } }, destination: { accountUi: { allDestinations: true }, accountApi: { scopes: ["all-apis"] } } }] } } }, { provider: accountProvider, import: "${ACCOUNT_POLICY}" })\` (the policy always exists, so adopt it with \`import\`)`;
const ATTEST = "or, if account IP access lists are configured in the account console, attest them (below)";
const RESTRICT = `restrict ${ACCOUNT_POLICY}'s ingress: \`ingress: { publicAccess: { restrictionMode: "RESTRICTED_ACCESS", allowRules: [{ origin: { includedIpRanges: { ipRanges: ["203.0.113.0/24"] } }, destination: { accountUi: { allDestinations: true } } }] } }\` (specific public ranges, no allIpRanges or excludedIpRanges, not only in ingressDryRun)`;
const MISSING = `${ACCOUNT_POLICY} with ingress.publicAccess RESTRICTED_ACCESS whose allow rules to the account console and APIs admit only specific public ranges (or account IP access lists, attested)`;

const POLICY_INPUTS = "account-ip-access-lists/network-policy-inputs";

export const accountIpAccessLists: FeatureModule = {
    id: "account-ip-access-lists",
    description: `The Databricks account restricts who reaches the account console and account APIs: the account's ${ACCOUNT_POLICY} network policy restricts public ingress (RESTRICTED_ACCESS) to specific ranges, or account IP access lists configured in the account console are attested.`,
    severity: "medium",
    url: "https://learn.microsoft.com/azure/databricks/security/network/front-end/ip-access-list-account",
    remediationSteps: [
        `Restrict account console and account API access to known address ranges with context-based ingress control on the`,
        `account's fixed network policy \`${ACCOUNT_POLICY}\` (account-level databricks provider). The policy always exists: adopt it`,
        "with `import`:",
        "",
        "    new databricks.AccountNetworkPolicy(\"account\", {",
        `        networkPolicyId: "${ACCOUNT_POLICY}",`,
        "        ingress: { publicAccess: {",
        "            restrictionMode: \"RESTRICTED_ACCESS\",",
        "            allowRules: [{ label: \"corp\",",
        "                origin: { includedIpRanges: { ipRanges: [\"203.0.113.0/24\"] } },",
        "                destination: { accountUi: { allDestinations: true }, accountApi: { scopes: [\"all-apis\"] } } }],",
        "        } },",
        `    }, { provider: accountProvider, import: "${ACCOUNT_POLICY}" });`,
        "",
        "`allIpRanges`, `excludedIpRanges` or ranges that together cover every address restrict nothing; `ingressDryRun` only logs.",
        "Account destinations are accepted only in this policy. If account IP access lists are configured in the account console",
        "instead, attest them in the pack configuration:",
        "",
        `    ${ACCOUNT_ATTESTATION}`,
        "",
        "or, with the library: `attestations: { \"account-ip-access-lists\": [{ reason: \"…\", reference: \"…\" }] }`.",
    ].join("\n"),
    resourceCheck: {
        id: POLICY_INPUTS,
        summary: `Refuses ${ACCOUNT_POLICY} when its ingress admits every address (FULL_ACCESS, an allow rule with allIpRanges or excludedIpRanges, ranges that together cover every address, restrictions only in ingressDryRun), and account destinations in any other network policy, which the API refuses.`,
        kinds: ["accountNetworkPolicy"],
        check: res => policyProblems(res),
    },
    evaluate: ctx => {
        const model = ctx.model;
        const databricksResources = model.resources.filter(r => r.info?.family === "databricks");
        if (ctx.workspaces.length === 0 && databricksResources.length === 0) {
            return { notApplicable: "no Azure Databricks workspace and no Databricks resources in this stack" };
        }
        const out: Finding[] = [];
        for (const ws of ctx.workspaces) {
            const pre = premiumPrerequisite(ws, "IP access lists");
            if (pre) {
                out.push(pre);
            }
        }
        const { declared, maybe } = accountPolicies(model);
        const judged = new Map(declared.map(p => [p, judgeIngress(p, "account")]));
        // Each policy's own problems once (its resource policy refuses them before the update).
        for (const p of model.ofKind("accountNetworkPolicy")) {
            out.push(...policyProblems(p, judged.get(p)));
        }
        const lists = model.ofKind("accountIpAccessList");
        const gates = [...[...judged].map(([p, v]) => ({ p, v })), ...maybe.map(p => ({ p, v: maybeAccount(p, judgeIngress(p, "account")) }))];
        const passing = gates.find(g => g.v.state === "restricts");
        const listVerdict = lists.length > 0 ? judgeLists(lists) : undefined;
        if (passing || listVerdict?.status === "pass") {
            out.push(...(passing ? [{ status: "pass" as const, resource: passing.p, found: passing.v.text }] : [listVerdict as Finding]));
            const exceptions = passing?.v.exceptions ?? [];
            if (exceptions.length > 0) {
                out.push({ status: "note", resource: passing?.p, found: `named exceptions: ${listed(exceptions, "; ")}` });
            }
            if (passing && listVerdict && listVerdict.status === "fail") {
                out.push({ status: "note", resource: listVerdict.resource, found: `${listVerdict.found} (${ACCOUNT_POLICY} restricts the account console, so the list is not needed)` });
            }
            return out;
        }
        if (listVerdict) {
            out.push(listVerdict);
        }
        const open = gates.find(g => g.v.state === "open" && declared.includes(g.p));
        const unknown = gates.find(g => g.v.state === "unknown");
        if (open) {
            // Reported by policyProblems on the policy itself.
            return out;
        }
        if (unknown) {
            out.push({ status: "unverified", reason: unseenReason(unknown.v), resource: unknown.p, found: unknown.v.text, missing: MISSING });
            return out;
        }
        if (!listVerdict) {
            const none = gates.find(g => g.v.state === "none");
            const elsewhere = model.ofKind("accountNetworkPolicy").filter(p => !declared.includes(p) && accountDestinations(p).length > 0);
            const found = none
                ? `${none.v.text}, so nothing in this stack restricts the account console and account APIs`
                : `this stack does not declare the account's ${ACCOUNT_POLICY} (nor any account IP access list), so nothing here restricts the account console and account APIs${elsewhere.length > 0 ? `; the account destinations in ${listOf(elsewhere, describe)} are not evidence: the API accepts them only in ${ACCOUNT_POLICY}` : ""}`;
            out.push({ status: "fail", reason: "missing", resource: none?.p, found, missing: MISSING, fix: `${none ? RESTRICT : DECLARE}; ${ATTEST}` });
        }
        return out;
    },
};

/** A policy whose ID is unseen may be account-policy: what it restricts is never a pass. */
function maybeAccount(p: StackResource, v: IngressVerdict): IngressVerdict {
    const id = readId(p.props, "networkPolicyId");
    return v.state === "restricts" || v.state === "open" ? { ...v, state: "unknown", ...secretMark(id), text: `${v.text}, but whether it is ${ACCOUNT_POLICY} is ${whyUnknown(id)}` } : v;
}

/** What a network policy's own inputs decide for the account door (`ingress`: its account verdict, when already judged). */
function policyProblems(p: StackResource, ingress?: IngressVerdict): Finding[] {
    return fromCheck(POLICY_INPUTS, policyInputs(p, ingress));
}

function policyInputs(p: StackResource, ingress?: IngressVerdict): Finding[] {
    const id = policyIdOf(p);
    if (id === ACCOUNT_POLICY) {
        const v = ingress ?? judgeIngress(p, "account");
        const out: Finding[] = [];
        if (v.state === "open") {
            out.push({ status: "fail", resource: p, found: v.text, missing: MISSING, fix: RESTRICT });
        }
        if (v.malformed.length > 0) {
            out.push({ status: "fail", resource: p, found: `${describe(p)} lists ranges that are not IPv4 CIDRs: ${listOf(v.malformed, r => cut(r))}`, missing: "IPv4 ranges in CIDR notation", fix: "correct or remove the malformed ranges" });
        }
        return out;
    }
    const misplaced = id === undefined ? [] : accountDestinations(p);
    return misplaced.length === 0 ? [] : [{
        status: "fail", resource: p,
        found: `${describe(p)} names account destinations (${listed(misplaced)}), which the API accepts only in ${ACCOUNT_POLICY}: they restrict nothing here and the request is refused`,
        missing: `account console and API rules in ${ACCOUNT_POLICY}`,
        fix: `move the accountUi/accountApi rules into the ${ACCOUNT_POLICY} policy`,
    }];
}

/** Legacy account IP access list resources, should a provider version offer one. */
function judgeLists(lists: StackResource[]): Finding {
    const good: StackResource[] = [];
    const allowAll: string[] = [];
    const ignored: string[] = [];
    const open: string[] = [];
    for (const l of lists) {
        const enabled = readBool(l.props, "enabled");
        const type = readString(l.props, "listType");
        const ips = readStrings(l.props, "ipAddresses");
        const cover = ips.state === "known" ? coverage(ips.value) : undefined;
        if (enabled.state === "known" && !enabled.value) {
            ignored.push(`${describe(l)} is disabled`);
        } else if (type.state === "known" && type.value.toUpperCase() !== "ALLOW") {
            ignored.push(`${describe(l)} is a ${cut(type.value)} list`);
        } else if (enabled.state === "unknown" || type.state === "unknown" || ips.state === "unknown") {
            open.push(`${describe(l)}: a value is ${whyUnknown(enabled, type, ips)}`);
        } else if (type.state !== "known" || ips.state !== "known" || ips.value.length === 0) {
            ignored.push(`${describe(l)} ${type.state !== "known" ? "sets no listType" : "has no addresses"}`);
        } else if (cover && cover.everything.length > 0) {
            allowAll.push(`${describe(l)} allows ${listOf(cover.covering, r => cut(r))}`);
        } else {
            good.push(l);
        }
    }
    const missing = "an enabled account IP access list with listType \"ALLOW\" and specific address ranges";
    if (allowAll.length > 0) {
        return { status: "fail", resource: lists[0], found: `${listed(allowAll, "; ")}: ${CATCH_ALL}`, missing, fix: "replace the catch-all range with your address ranges" };
    }
    if (good.length > 0) {
        return { status: "pass", resource: good[0], found: `account ALLOW list ${listOf(good, describe)}` };
    }
    if (open.length > 0) {
        return { status: "unverified", reason: "unknown", resource: lists[0], found: `an account allow list may apply but cannot be confirmed: ${listed(open, "; ")}`, missing };
    }
    return { status: "fail", resource: lists[0], found: `no enabled account ALLOW list (${listed(ignored, "; ")})`, missing, fix: "enable an ALLOW list of your address ranges" };
}
