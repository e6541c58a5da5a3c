// Serverless Private Link: serverless compute reaches the customer's Azure resources through
// private endpoints managed by Databricks, declared as private endpoint rules of a network
// connectivity configuration (NCC) that is bound to the workspace and lives in its region.

import { hasAny, nccBindingsOf, NccBindingView, rulesOf } from "../../core/azure/account";
import { judgeRegion } from "../../core/rules/ncc-region";
import { premiumPrerequisite } from "../../core/rules/prerequisites";
import { collapseFindings, FeatureModule, Finding, listed, listOf, workspaceFinding } from "../../core/rules/contract";
import { StackModel, StackResource } from "../../core/model/stack";
import { quoteId, readArray, unseenReason, whyUnknown } from "../../core/model/values";
import { describe, WorkspaceView } from "../../core/azure/workspace";

const NCC_CODE = 'const ncc = new databricks.MwsNetworkConnectivityConfig("ncc", { name: "ncc-westeurope", region: "westeurope" })';
const BIND_CODE = 'new databricks.MwsNccBinding("bind", { networkConnectivityConfigId: ncc.networkConnectivityConfigId, workspaceId: ws.workspaceId })';
const RULE_CODE = 'new databricks.MwsNccPrivateEndpointRule("blob", { networkConnectivityConfigId: ncc.networkConnectivityConfigId, resourceId: storage.id, groupId: "blob" })';

const FIX_BIND = `bind an NCC of the workspace's region: \`${NCC_CODE}; ${BIND_CODE}\``;
const FIX_RULE = `add a rule: \`${RULE_CODE}\` and approve the endpoint on the storage account`;

export const serverlessPrivateLink: FeatureModule = {
    id: "serverless-private-link",
    description: "Every Azure Databricks workspace is bound to a network connectivity configuration (NCC) of its own region that has at least one private endpoint rule, so serverless compute reaches customer resources privately.",
    severity: "high",
    url: "https://learn.microsoft.com/azure/databricks/security/network/serverless-network-security/serverless-private-link",
    remediationSteps: [
        "Declare an NCC in the workspace's region, bind it, and add private endpoint rules (account-level databricks provider):",
        "",
        `    ${NCC_CODE};`,
        `    ${BIND_CODE};`,
        `    ${RULE_CODE}; // and "dfs" for ADLS Gen2`,
        "",
        "Each takes the account-level provider (`{ provider: accountProvider }`); `ws.workspaceId` is the azure-native Workspace output.",
        "",
        "Approve the resulting private endpoint connection on the target resource. If the account resources live in another",
        "stack, attest the feature in this pack's configuration.",
    ].join("\n"),
    evaluate: ctx => {
        if (ctx.workspaces.length === 0) {
            return { notApplicable: "no Azure Databricks workspace in this stack" };
        }
        const accountHere = hasAny(ctx.model, ["ncc", "nccBinding", "nccPrivateEndpointRule"]);
        return ctx.workspaces.flatMap(ws => judge(ctx.model, ws, accountHere));
    },
};

function judge(model: StackModel, ws: WorkspaceView, accountHere: boolean): Finding[] {
    const out: Finding[] = [];
    const sku = premiumPrerequisite(ws, "NCC private endpoints");
    if (sku) {
        out.push(sku);
    }
    if (!accountHere) {
        out.push(workspaceFinding(ws, "fail", "this stack declares no network connectivity configuration (NCC) or NCC binding, so nothing here gives the workspace's serverless compute private endpoints", {
            reason: "missing",
            missing: "an NCC in the workspace's region, bound to this workspace, with at least one private endpoint rule",
            fix: `${FIX_BIND}; then ${FIX_RULE}`,
        }));
        return out;
    }
    const bindings = nccBindingsOf(model, ws);
    if (bindings.known.length > 0) {
        out.push(...bindings.known.map(b => judgeBinding(model, ws, b)));
    } else if (bindings.open.length > 0) {
        out.push(workspaceFinding(ws, "unverified", `the workspace of ${listOf(bindings.open, describe)} is ${whyUnknown(...bindings.unseen)}`, {
            reason: unseenReason(...bindings.unseen),
            missing: "an NCC binding of this workspace to an NCC of its region with a private endpoint rule",
        }));
    } else {
        const nccs = model.ofKind("ncc");
        const detail = nccs.length > 0 ? ` (NCCs in this stack: ${listed(nccs.map(describe))}, bound to other workspaces or to none)` : "";
        out.push(workspaceFinding(ws, "fail", `no MwsNccBinding in this stack binds this workspace to an NCC${detail}`, {
            missing: "an MwsNccBinding of this workspace to an NCC of its region with private endpoint rules",
            fix: FIX_BIND,
            reason: "missing",
        }));
    }
    return collapseFindings(ws, out);
}

function judgeBinding(model: StackModel, ws: WorkspaceView, b: NccBindingView): Finding {
    const ref = b.ncc;
    if (ref.state === "outside") {
        return workspaceFinding(ws, "unverified", `${describe(b.binding)} binds NCC ${quoteId(ref.id)}, which is not declared in this stack`, {
            reason: "outside",
            missing: "that NCC's region (the workspace's) and its private endpoint rules",
            fix: "declare the NCC and its rules here, or attest them if an account stack manages them",
        });
    }
    if (ref.state !== "resolved") {
        return workspaceFinding(ws, ref.state === "unknown" ? "unverified" : "fail", `${describe(b.binding)} names ${ref.state === "unknown" ? `an NCC ${whyUnknown(ref)}` : "no NCC"}`, {
            missing: "an NCC of the workspace's region with private endpoint rules",
            ...(ref.state === "absent" ? { fix: FIX_BIND } : { reason: unseenReason(ref) }),
        });
    }
    const ncc = ref.target;
    const region = judgeRegion(ws, ncc);
    if (region) {
        return region;
    }
    return judgeRules(model, ws, ncc);
}

function judgeRules(model: StackModel, ws: WorkspaceView, ncc: StackResource): Finding {
    const { mine, open, unseen } = rulesOf(model, ncc);
    const inline = readArray(ncc.props, "egressConfig", "targetRules", "azurePrivateEndpointRules");
    const inlineCount = inline.state === "known" ? inline.value.length : 0;
    if (mine.length > 0 || inlineCount > 0) {
        const rules = mine.length > 0 ? listOf(mine, describe) : `${inlineCount} inline rule(s)`;
        return workspaceFinding(ws, "pass", `bound to NCC ${describe(ncc)} of the workspace's region, with private endpoint rules ${rules}`);
    }
    if (open.length > 0 || inline.state === "unknown") {
        const reads = [...unseen, inline];
        return workspaceFinding(ws, "unverified", `bound to NCC ${describe(ncc)}; whether ${open.length > 0 ? listOf(open, describe) : "its rules"} belong to it is ${whyUnknown(...reads)}`, {
            reason: unseenReason(...reads),
            missing: "at least one private endpoint rule of that NCC",
        });
    }
    return workspaceFinding(ws, "fail", `bound to NCC ${describe(ncc)}, which has no private endpoint rule in this stack`, {
        missing: "at least one MwsNccPrivateEndpointRule of that NCC (e.g. blob/dfs to the storage serverless compute uses)",
        fix: FIX_RULE,
        reason: "missing",
    });
}
