// Delta Sharing IP access lists: every open-sharing recipient (authenticationType TOKEN, which
// downloads a bearer-token credential) is limited to known addresses by ipAccessList.allowedIpAddresses.
// Databricks-to-Databricks recipients authenticate by metastore identity and are out of scope.

import { coverage } from "../../core/model/cidr";
import { FeatureModule, Finding, listOf } from "../../core/rules/contract";
import { premiumPrerequisite } from "../../core/rules/prerequisites";
import { StackResource } from "../../core/model/stack";
import { cut, read, readString, readStrings, whyUnknown } from "../../core/model/values";

const LIST_CODE = 'ipAccessList: { allowedIpAddresses: ["203.0.113.0/24"] }';

const FIX = `set \`${LIST_CODE}\` (the recipient's egress ranges) on the databricks.Recipient`;

const RECIPIENT = "delta-sharing-ip-access-lists/recipient";

export const deltaSharingIpAccessLists: FeatureModule = {
    id: "delta-sharing-ip-access-lists",
    description: "Every Delta Sharing recipient with TOKEN (open sharing) authentication restricts access with a non-empty ipAccessList.allowedIpAddresses that does not admit every address.",
    severity: "medium",
    url: "https://learn.microsoft.com/azure/databricks/delta-sharing/access-list",
    remediationSteps: [
        "Limit open-sharing recipients to their network ranges:",
        "",
        `    new databricks.Recipient("partner", { name: "partner", authenticationType: "TOKEN", ${LIST_CODE} });`,
        "",
        "0.0.0.0/0 or ::/0 admits everyone. DATABRICKS recipients need no list.",
    ].join("\n"),
    resourceCheck: {
        id: RECIPIENT,
        summary: "Refuses a TOKEN (open sharing) recipient without an IP access list, or with one that admits every address.",
        kinds: ["recipient"],
        check: res => {
            const f = judgeRecipient(res);
            return f ? [f] : [];
        },
    },
    evaluate: ctx => {
        const judged = ctx.model.ofKind("recipient").map(judgeRecipient).filter((f): f is Finding => f !== undefined);
        if (judged.length === 0) {
            return { notApplicable: "no Delta Sharing recipient with TOKEN (open sharing) authentication in this stack" };
        }
        const out: Finding[] = [];
        for (const ws of ctx.workspaces) {
            const pre = premiumPrerequisite(ws, "Delta Sharing IP access lists");
            if (pre) {
                out.push(pre);
            }
        }
        return [...out, ...judged];
    },
};

/** The finding for one recipient, or undefined for a DATABRICKS recipient: the resource check. */
function judgeRecipient(r: StackResource): Finding | undefined {
    const f = recipient(r);
    return f && { ...f, check: RECIPIENT };
}

function recipient(r: StackResource): Finding | undefined {
    const auth = readString(r.props, "authenticationType");
    if (auth.state === "known" && auth.value.toUpperCase() !== "TOKEN") {
        return undefined;
    }
    const ips = readStrings(r.props, "ipAccessList", "allowedIpAddresses");
    const missing = "ipAccessList.allowedIpAddresses with the recipient's address ranges";
    const authText = auth.state === "known" ? "a TOKEN recipient" : `a recipient whose authenticationType is ${auth.state === "unknown" ? whyUnknown(auth) : "not set"}`;
    const unseen = ips.state === "absent" ? read(r.props, "ipAccessList") : ips;
    if (unseen.state === "unknown") {
        return { status: "unverified", resource: r, found: `${authText}; its ipAccessList.allowedIpAddresses is ${whyUnknown(unseen)}`, missing };
    }
    const list = ips.state === "known" ? ips.value : [];
    const cover = coverage(list);
    let problem: string | undefined;
    if (list.length === 0) {
        problem = `${authText} without ipAccessList.allowedIpAddresses: anyone holding the token can read the shares from any address`;
    } else if (cover.everything.length > 0) {
        problem = cover.covering.length === 1
            ? `${authText} whose allowedIpAddresses include ${cut(cover.covering[0])}, which admits every address`
            : `${authText} whose allowedIpAddresses ${listOf(cover.covering, ip => cut(ip), " + ")} together cover every ${cover.everything.join(" and ")} address`;
    } else if (cover.malformed.length > 0) {
        problem = `${authText} whose allowedIpAddresses hold entries that are not IP addresses or CIDR ranges: ${listOf(cover.malformed, ip => cut(ip))}`;
    }
    if (problem === undefined) {
        return auth.state === "known"
            ? { status: "pass", resource: r, found: `TOKEN recipient limited to ${listOf(list, ip => cut(ip))}` }
            : { status: "pass", resource: r, found: `recipient limited to ${listOf(list, ip => cut(ip))}` };
    }
    // With the authentication type unseen, the recipient may be a DATABRICKS one: never mandatory.
    return { status: auth.state === "known" ? "fail" : "unverified", resource: r, found: problem, missing, fix: FIX };
}
