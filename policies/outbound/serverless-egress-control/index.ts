// Serverless egress control: serverless compute of the workspace may reach only the destinations
// an account network policy allows. The policy restricts egress (RESTRICTED_ACCESS) and enforces
// it (not DRY_RUN); a WorkspaceNetworkOption applies it to the workspace, and a workspace without
// an option uses the account's `default-policy`.

import { hasAny } from "../../core/azure/account";
import { DEFAULT_POLICY, governanceOf, Governance, governingPolicies, judgeEgress, policyIdOf } from "../../core/azure/network-policy";
import { premiumPrerequisite } from "../../core/rules/prerequisites";
import { collapseFindings, FeatureModule, Finding, listOf, workspaceFinding } from "../../core/rules/contract";
import { StackModel, StackResource } from "../../core/model/stack";
import { quoteId } from "../../core/model/values";
import { describe, WorkspaceView } from "../../core/azure/workspace";

const EGRESS_CODE = 'egress: { networkAccess: { restrictionMode: "RESTRICTED_ACCESS", policyEnforcement: { enforcementMode: "ENFORCED" } } }';
const POLICY_CODE = `const np = new databricks.AccountNetworkPolicy("restricted", { networkPolicyId: "restricted", ${EGRESS_CODE} })`;
const OPTION_CODE = 'new databricks.WorkspaceNetworkOption("ws-egress", { workspaceId: ws.workspaceId, networkPolicyId: np.networkPolicyId })';

const FIX = `declare a restricted policy and apply it: \`${POLICY_CODE}; ${OPTION_CODE}\``;

export const serverlessEgressControl: FeatureModule = {
    id: "serverless-egress-control",
    description: "Serverless compute of every Azure Databricks workspace runs under an enforced account network policy with restricted egress (RESTRICTED_ACCESS), applied by a WorkspaceNetworkOption or as the account's default-policy.",
    severity: "high",
    url: "https://learn.microsoft.com/azure/databricks/security/network/serverless-network-security/network-policies",
    remediationSteps: [
        "Restrict serverless egress with an account network policy (account-level databricks provider) and apply it to the workspace:",
        "",
        `    ${POLICY_CODE};`,
        `    ${OPTION_CODE};`,
        "",
        "Both take the account-level provider (`{ provider: accountProvider }`); `ws.workspaceId` is the azure-native Workspace output.",
        "Allow what serverless compute must reach under `egress.networkAccess`, e.g.",
        "`allowedStorageDestinations: [{ azureStorageAccount: \"mydata\", storageDestinationType: \"AZURE_STORAGE\" }]`.",
        "",
        "A workspace without a WorkspaceNetworkOption uses `default-policy`; restricting that policy covers every such workspace.",
        "If the account resources live in another stack, attest the feature in this pack's configuration.",
    ].join("\n"),
    evaluate: ctx => {
        if (ctx.workspaces.length === 0) {
            // An account stack: judge the policies it holds that apply to workspaces.
            const applied = governingPolicies(ctx.model);
            return applied.length > 0 ? applied.flatMap(judgeApplied) : { notApplicable: "no Azure Databricks workspace and no applied account network policy in this stack" };
        }
        const accountHere = hasAny(ctx.model, ["accountNetworkPolicy", "workspaceNetworkOption"]);
        return ctx.workspaces.flatMap(ws => judge(ctx.model, ws, accountHere));
    },
};

/** A policy judged on its own values, in a stack without workspaces. */
function judgeApplied(p: StackResource): Finding[] {
    const v = judgeEgress(p);
    const why = policyIdOf(p) === DEFAULT_POLICY ? "it applies to every workspace without a WorkspaceNetworkOption" : "a WorkspaceNetworkOption applies it";
    return [{ status: v.status, reason: v.reason, resource: p, found: `${v.policy} ${v.says} (${why})`, ...(v.status === "pass" ? {} : {
        missing: POLICY_MISSING, fix: POLICY_FIX,
    }) }, ...(v.note ? [{ status: "note" as const, resource: p, found: v.note, aspect: PRODUCT_FILTER }] : [])];
}

const PRODUCT_FILTER = "dryRunModeProductFilters";

const POLICY_MISSING = "egress restrictionMode RESTRICTED_ACCESS with enforcementMode ENFORCED (or unset)";
const POLICY_FIX = `set \`${EGRESS_CODE}\` on the policy`;

function judge(model: StackModel, ws: WorkspaceView, accountHere: boolean): Finding[] {
    const out: Finding[] = [];
    const sku = premiumPrerequisite(ws, "serverless egress control");
    if (sku) {
        out.push(sku);
    }
    if (!accountHere) {
        out.push(workspaceFinding(ws, "fail", "this stack declares no account network policy or workspace network option, so nothing here restricts the workspace's serverless egress", {
            reason: "missing",
            missing: "an AccountNetworkPolicy with egress RESTRICTED_ACCESS (enforced) applied to this workspace by a WorkspaceNetworkOption or as default-policy",
            fix: FIX,
        }));
        return out;
    }
    out.push(...governanceOf(model, ws).flatMap(g => judgeGovernance(model, ws, g)));
    return collapseFindings(ws, out);
}

/** The egress verdict of the policy that governs the workspace. */
function judgeGovernance(model: StackModel, ws: WorkspaceView, g: Governance): Finding | Finding[] {
    switch (g.state) {
        case "declared": {
            const v = judgeEgress(g.policy);
            const missing = g.option ? POLICY_MISSING : `a restricted, enforced ${DEFAULT_POLICY} or a WorkspaceNetworkOption applying a restricted policy`;
            const found = g.option ? `${describe(g.option)} applies ${v.policy}, which ${v.says}` : `no WorkspaceNetworkOption applies to this workspace, so ${DEFAULT_POLICY} does: ${v.policy} ${v.says}`;
            return [
                workspaceFinding(ws, v.status, found, v.status === "pass" ? {} : { reason: v.reason, missing, fix: g.option ? POLICY_FIX : FIX }),
                ...(v.note ? [workspaceFinding(ws, "note", v.note, { aspect: PRODUCT_FILTER })] : []),
            ];
        }
        case "outside":
            return workspaceFinding(ws, "unverified", `${describe(g.option)} applies network policy ${quoteId(g.id)}, which is not declared in this stack`, {
                reason: "outside",
                missing: `that policy ${quoteId(g.id)} restricts egress (RESTRICTED_ACCESS) and is enforced`,
                fix: "declare the policy in this stack, or attest it if an account stack manages it",
            });
        case "unknown":
            return workspaceFinding(ws, "unverified", g.text, {
                reason: "unknown",
                missing: g.option ? "that the policy restricts egress (RESTRICTED_ACCESS) and is enforced" : `a restricted, enforced ${DEFAULT_POLICY} or a WorkspaceNetworkOption applying a restricted policy`,
            });
        case "absent":
            return workspaceFinding(ws, "fail", `${describe(g.option)} names no network policy`, { missing: "networkPolicyId", fix: FIX });
        default: {
            const policies = model.ofKind("accountNetworkPolicy");
            const others = policies.length > 0 ? ` (this stack's policies ${listOf(policies, describe)} apply to other workspaces or to none)` : "";
            return workspaceFinding(ws, "fail", `no WorkspaceNetworkOption applies a network policy to this workspace, so it runs under the account's ${DEFAULT_POLICY}, which this stack does not declare${others}`, {
                missing: "a WorkspaceNetworkOption applying a restricted, enforced network policy to this workspace",
                fix: FIX,
                reason: "missing",
            });
        }
    }
}
