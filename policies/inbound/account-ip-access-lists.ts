// Account-level IP access lists restrict who reaches the account console and account APIs. No
// resource of @pulumi/databricks (up to 1.110) manages them, so a stack can rarely show them: the
// rule judges an account IP access list resource where a provider version offers one, and otherwise
// asks for an attestation in the pack configuration, saying exactly how to give it.

import { isCatchAll } from "../core/azure/databricks";
import { FeatureModule, Finding, listed } from "../core/rules/contract";
import { premiumPrerequisite } from "../core/rules/prerequisites";
import { StackResource } from "../core/model/stack";
import { cut, readBool, readString, readStrings } from "../core/model/values";
import { describe } from "../core/azure/workspace";

export const ACCOUNT_ATTESTATION = "\"account-ip-access-lists\": {\"attestations\": [{\"reason\": \"...\"}]}";

const HOW_TO_CONFIGURE = "configure them in the account console (Settings → Security → IP access list) or with the Account IP Access Lists API, then attest them (below)";

export const accountIpAccessLists: FeatureModule = {
    id: "account-ip-access-lists",
    description: "The Databricks account restricts account console access with IP access lists (enabled, with an ALLOW list that does not admit every address); no @pulumi/databricks resource manages them, so the evidence is an attestation unless the stack declares an account IP access list resource.",
    severity: "medium",
    url: "https://learn.microsoft.com/azure/databricks/security/network/front-end/ip-access-list-account",
    remediationSteps: [
        "Restrict account console access to known address ranges. No @pulumi/databricks resource manages account IP access",
        "lists: turn them on in the account console (Settings → Security → IP access list) or with the Account IP Access Lists",
        "API (`PATCH /api/2.0/accounts/{account_id}/settings/types/acct_ip_acl_enable/names/default`,",
        "`POST /api/2.0/accounts/{account_id}/ip-access-lists` with `list_type: \"ALLOW\"`), then attest it in the pack configuration:",
        "",
        `    ${ACCOUNT_ATTESTATION}`,
        "",
        "or, with the library: `attestations: { \"account-ip-access-lists\": [{ reason: \"…\", reference: \"…\" }] }`.",
    ].join("\n"),
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
        const lists = model.ofKind("accountIpAccessList");
        if (lists.length === 0) {
            // An account-wide finding: it concerns the stack, not one of its resources.
            // Missing evidence no resource can supply: blocks at a requiring tier until attested.
            out.push({
                status: "fail",
                kind: "missing",
                found: `no resource in this stack manages account-level IP access lists (@pulumi/databricks has no such resource), so nothing here shows them`,
                missing: "account IP access lists enabled for the Databricks account, with an ALLOW list of your address ranges",
                fix: HOW_TO_CONFIGURE,
            });
            return out;
        }
        out.push(judgeLists(lists));
        return out;
    },
};

function judgeLists(lists: StackResource[]): Finding {
    const good: StackResource[] = [];
    const allowAll: string[] = [];
    const ignored: string[] = [];
    const open: string[] = [];
    for (const l of lists) {
        const enabled = readBool(l.props, "enabled");
        const type = readString(l.props, "listType");
        const ips = readStrings(l.props, "ipAddresses");
        if (enabled.state === "known" && !enabled.value) {
            ignored.push(`${describe(l)} is disabled`);
        } else if (type.state === "known" && type.value.toUpperCase() !== "ALLOW") {
            ignored.push(`${describe(l)} is a ${cut(type.value)} list`);
        } else if (enabled.state === "unknown" || type.state === "unknown" || ips.state === "unknown") {
            open.push(`${describe(l)}: a value is ${[enabled, type, ips].some(r => r.state === "unknown" && r.secret) ? "secret (not readable here)" : "unknown until apply"}`);
        } else if (type.state !== "known" || ips.state !== "known" || ips.value.length === 0) {
            ignored.push(`${describe(l)} ${type.state !== "known" ? "sets no listType" : "has no addresses"}`);
        } else if (ips.value.some(isCatchAll)) {
            allowAll.push(`${describe(l)} allows ${listed(ips.value.filter(isCatchAll))}`);
        } else {
            good.push(l);
        }
    }
    const missing = "an enabled account IP access list with listType \"ALLOW\" and specific address ranges";
    if (allowAll.length > 0) {
        return { status: "fail", resource: lists[0], found: `${listed(allowAll, "; ")}: an allow list that admits every address restricts nothing`, missing, fix: "replace the catch-all range with your address ranges" };
    }
    if (good.length > 0) {
        return { status: "pass", resource: good[0], found: `account ALLOW list ${listed(good.map(describe))}` };
    }
    if (open.length > 0) {
        return { status: "unverified", kind: "unknown", resource: lists[0], found: `an account allow list may apply but cannot be confirmed: ${listed(open, "; ")}`, missing };
    }
    return { status: "fail", resource: lists[0], found: `no enabled account ALLOW list (${listed(ignored, "; ")})`, missing, fix: "enable an ALLOW list of your address ranges" };
}
