// Serverless egress control: serverless compute of the workspace may reach only the destinations
// an account network policy allows. The policy restricts egress (RESTRICTED_ACCESS) and enforces
// it (not DRY_RUN); a WorkspaceNetworkOption applies it to the workspace, and a workspace without
// an option uses the account's `default-policy`.

import { hasAny } from "../../core/azure/account";
import { DEFAULT_POLICY, governanceOf, Governance, governingPolicies, policyIdOf } from "../../core/azure/network-policy";
import { premiumPrerequisite } from "../../core/rules/prerequisites";
import { collapseFindings, Reason, FeatureModule, Finding, listOf, workspaceFinding } from "../../core/rules/contract";
import { StackModel, StackResource } from "../../core/model/stack";
import { quote, quoteId, Read, readString, readStrings, whyUnknown } from "../../core/model/values";
import { describe, WorkspaceView } from "../../core/azure/workspace";

const FIX = "declare a restricted policy and apply it: `const np = new databricks.AccountNetworkPolicy(\"restricted\", { networkPolicyId: \"restricted\", egress: { networkAccess: { restrictionMode: \"RESTRICTED_ACCESS\", policyEnforcement: { enforcementMode: \"ENFORCED\" } } } }); new databricks.WorkspaceNetworkOption(\"ws-egress\", { workspaceId: ws.workspaceId, networkPolicyId: np.networkPolicyId })`";

export const serverlessEgressControl: FeatureModule = {
    id: "serverless-egress-control",
    description: "Serverless compute of every Azure Databricks workspace runs under an enforced account network policy with restricted egress (RESTRICTED_ACCESS), applied by a WorkspaceNetworkOption or as the account's default-policy.",
    severity: "high",
    url: "https://learn.microsoft.com/azure/databricks/security/network/serverless-network-security/network-policies",
    remediationSteps: [
        "Restrict serverless egress with an account network policy (account-level databricks provider) and apply it to the workspace:",
        "",
        "    const policy = new databricks.AccountNetworkPolicy(\"restricted\", {",
        "        networkPolicyId: \"restricted\",",
        "        egress: { networkAccess: {",
        "            restrictionMode: \"RESTRICTED_ACCESS\",",
        "            policyEnforcement: { enforcementMode: \"ENFORCED\" },",
        "            allowedStorageDestinations: [{ azureStorageAccount: \"mydata\", storageDestinationType: \"AZURE_STORAGE\" }],",
        "        } },",
        "    }, { provider: accountProvider });",
        "    new databricks.WorkspaceNetworkOption(\"ws-egress\", {",
        "        workspaceId: ws.workspaceId, // the azure-native Workspace output",
        "        networkPolicyId: policy.networkPolicyId,",
        "    }, { provider: accountProvider });",
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

interface PolicyVerdict {
    status: "pass" | "fail" | "unverified";
    /** The policy, as a message names it. */
    policy: string;
    /** What it does, said of the policy: `${policy} ${says}`, or `…, which ${says}`. */
    says: string;
    reason?: Reason;
    /** Advice that does not change the verdict (a product filter that ENFORCED leaves without effect). */
    note?: string;
}

/** A policy judged on its own values, in a stack without workspaces. */
function judgeApplied(p: StackResource): Finding[] {
    const v = judgePolicy(p);
    const why = policyIdOf(p) === DEFAULT_POLICY ? "it applies to every workspace without a WorkspaceNetworkOption" : "a WorkspaceNetworkOption applies it";
    return [{ status: v.status, reason: v.reason, resource: p, found: `${v.policy} ${v.says} (${why})`, ...(v.status === "pass" ? {} : {
        missing: POLICY_MISSING, fix: POLICY_FIX,
    }) }, ...(v.note ? [{ status: "note" as const, resource: p, found: v.note, aspect: PRODUCT_FILTER }] : [])];
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

/** Judges one network policy's egress settings. */
export function judgePolicy(p: StackResource): PolicyVerdict {
    const policy = `policy ${describe(p)}`;
    const mode = readString(p.props, "egress", "networkAccess", "restrictionMode");
    const { mode: enforcement, products } = enforcementOf(p);
    const dryRun = enforcement.state === "known" && enforcement.value.toUpperCase() === "DRY_RUN";
    if (mode.state === "unknown") {
        return { policy, status: "unverified", reason: "unknown", says: `has an egress restriction mode ${whyUnknown(mode)}` };
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
        return { policy, status: "unverified", reason: "unknown", says: `restricts egress but its enforcement mode is ${whyUnknown(enforcement)}` };
    }
    if (enforcement.state === "known" && enforcement.value.toUpperCase() !== "ENFORCED") {
        return { policy, status: "fail", says: `restricts egress in enforcementMode ${quote(enforcement.value)}${dryRun ? `: ${dryRunScope(products)}` : " only (violations are logged, not blocked)"}` };
    }
    const note = products.state === "known" && products.value.length > 0
        ? `${policy} is enforced and its dryRunModeProductFilters names ${listOf(products.value, x => quote(x))}: the provider documents the filter as the products kept in dry run (violations logged, not blocked) while the others are enforced, a scope of enforcementMode "DRY_RUN"; under "ENFORCED", which blocks traffic that violates the policy, the filter keeps nothing in dry run`
        : undefined;
    return { policy, status: "pass", says: "restricts egress (RESTRICTED_ACCESS, enforced)", ...(note ? { note } : {}) };
}

const PRODUCT_FILTER = "dryRunModeProductFilters";

const POLICY_MISSING = "egress restrictionMode RESTRICTED_ACCESS with enforcementMode ENFORCED (or unset)";
const POLICY_FIX = "set `egress: { networkAccess: { restrictionMode: \"RESTRICTED_ACCESS\", policyEnforcement: { enforcementMode: \"ENFORCED\" } } }` on the policy";

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
            const v = judgePolicy(g.policy);
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
        case "nameless":
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
