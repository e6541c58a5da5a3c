// Serverless egress control: serverless compute of the workspace may reach only the destinations
// an account network policy allows. The policy restricts egress (RESTRICTED_ACCESS) and enforces
// it (not DRY_RUN); a WorkspaceNetworkOption applies it to the workspace, and a workspace without
// an option uses the account's `default-policy`.

import { hasAny, pointersToWorkspace, readId } from "../core/azure/account";
import { premiumPrerequisite } from "../core/rules/prerequisites";
import { EvidenceKind, FeatureModule, Finding, listed, on, settle } from "../core/rules/contract";
import { StackModel, StackResource } from "../core/model/stack";
import { quote, quoteId, readString } from "../core/model/values";
import { describe, WorkspaceView } from "../core/azure/workspace";

export const DEFAULT_POLICY = "default-policy";

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
            const applied = appliedPolicies(ctx.model);
            return applied.length > 0 ? applied.map(judgeApplied) : { notApplicable: "no Azure Databricks workspace and no applied account network policy in this stack" };
        }
        const accountHere = hasAny(ctx.model, ["accountNetworkPolicy", "workspaceNetworkOption"]);
        return ctx.workspaces.flatMap(ws => judge(ctx.model, ws, accountHere));
    },
};

interface PolicyVerdict {
    status: "pass" | "fail" | "unverified";
    text: string;
    kind?: EvidenceKind;
}

/** The account's default-policy and every policy a WorkspaceNetworkOption of this stack applies. */
function appliedPolicies(model: StackModel): StackResource[] {
    const applied = new Set<StackResource>();
    for (const o of model.ofKind("workspaceNetworkOption")) {
        const ref = model.resolve(o, "networkPolicyId", readId(o.props, "networkPolicyId"), ["accountNetworkPolicy"]);
        if (ref.state === "resolved") {
            applied.add(ref.target);
        }
    }
    return model.ofKind("accountNetworkPolicy").filter(p => applied.has(p) || policyId(p) === DEFAULT_POLICY);
}

/** A policy judged on its own values, in a stack without workspaces. */
function judgeApplied(p: StackResource): Finding {
    const v = judgePolicy(p);
    const why = policyId(p) === DEFAULT_POLICY ? "it applies to every workspace without a WorkspaceNetworkOption" : "a WorkspaceNetworkOption applies it";
    return { status: v.status, kind: v.kind, resource: p, found: `${v.text} (${why})`, ...(v.status === "pass" ? {} : {
        missing: "egress restrictionMode RESTRICTED_ACCESS with enforcementMode ENFORCED (or unset)",
        fix: "set `egress: { networkAccess: { restrictionMode: \"RESTRICTED_ACCESS\", policyEnforcement: { enforcementMode: \"ENFORCED\" } } }` on the policy",
    }) };
}

/** Judges one network policy's egress settings. */
export function judgePolicy(p: StackResource): PolicyVerdict {
    const name = describe(p);
    const mode = readString(p.props, "egress", "networkAccess", "restrictionMode");
    if (mode.state === "unknown") {
        return { status: "unverified", kind: "unknown", text: `policy ${name}: its egress restriction mode is unknown until apply` };
    }
    if (mode.state === "absent") {
        return { status: "fail", text: `policy ${name} sets no egress restriction (serverless compute keeps full internet access)` };
    }
    if (mode.value.toUpperCase() !== "RESTRICTED_ACCESS") {
        return { status: "fail", text: `policy ${name} has egress restrictionMode ${quote(mode.value)} (serverless compute may reach any destination)` };
    }
    const enforcement = readString(p.props, "egress", "networkAccess", "policyEnforcement", "enforcementMode");
    if (enforcement.state === "unknown") {
        return { status: "unverified", kind: "unknown", text: `policy ${name} restricts egress but its enforcement mode is unknown until apply` };
    }
    if (enforcement.state === "known" && enforcement.value.toUpperCase() !== "ENFORCED") {
        return { status: "fail", text: `policy ${name} restricts egress in enforcementMode ${quote(enforcement.value)} only (violations are logged, not blocked)` };
    }
    return { status: "pass", text: `policy ${name} restricts egress (RESTRICTED_ACCESS, enforced)` };
}

function policyId(p: StackResource): string | undefined {
    const id = readId(p.props, "networkPolicyId");
    return id.state === "known" ? id.value : undefined;
}

function judge(model: StackModel, ws: WorkspaceView, accountHere: boolean): Finding[] {
    const out: Finding[] = [];
    const sku = premiumPrerequisite(ws, "serverless egress control");
    if (sku) {
        out.push(sku);
    }
    if (!accountHere) {
        out.push(on(ws, "fail", "this stack declares no account network policy or workspace network option, so nothing here restricts the workspace's serverless egress", {
            kind: "missing",
            missing: "an AccountNetworkPolicy with egress RESTRICTED_ACCESS (enforced) applied to this workspace by a WorkspaceNetworkOption or as default-policy",
            fix: FIX,
        }));
        return out;
    }
    const { mine, open } = pointersToWorkspace(model, "workspaceNetworkOption", ws);
    if (mine.length > 0) {
        out.push(...mine.map(o => judgeOption(model, ws, o)));
    } else if (open.length > 0) {
        out.push(on(ws, "unverified", `the workspace of ${listed(open.map(describe))} is unknown until apply`, {
            kind: "unknown",
            missing: "a WorkspaceNetworkOption that applies a restricted, enforced policy to this workspace",
        }));
    } else {
        out.push(judgeDefault(model, ws));
    }
    return settle(ws, out);
}

function judgeOption(model: StackModel, ws: WorkspaceView, o: StackResource): Finding {
    const ref = model.resolve(o, "networkPolicyId", readId(o.props, "networkPolicyId"), ["accountNetworkPolicy"]);
    const via = `${describe(o)} applies`;
    switch (ref.state) {
        case "resolved": {
            const v = judgePolicy(ref.target);
            return on(ws, v.status, `${via} ${v.text}`, v.status === "pass" ? {} : {
                kind: v.kind,
                missing: "egress restrictionMode RESTRICTED_ACCESS with enforcementMode ENFORCED (or unset)",
                fix: "set `egress: { networkAccess: { restrictionMode: \"RESTRICTED_ACCESS\", policyEnforcement: { enforcementMode: \"ENFORCED\" } } }` on the policy",
            });
        }
        case "external":
            return on(ws, "unverified", `${via} network policy ${quoteId(ref.id)}, which is not declared in this stack`, {
                kind: "outside",
                missing: `that policy ${quoteId(ref.id)} restricts egress (RESTRICTED_ACCESS) and is enforced`,
                fix: "declare the policy in this stack, or attest it if an account stack manages it",
            });
        case "unknown":
            return on(ws, "unverified", `${via} a network policy unknown until apply`, {
                kind: "unknown",
                missing: "that the policy restricts egress (RESTRICTED_ACCESS) and is enforced",
            });
        default:
            return on(ws, "fail", `${describe(o)} names no network policy`, { missing: "networkPolicyId", fix: FIX });
    }
}

/**
 * What every workspace without an option is judged against, found once per stack: the stack's
 * policies do not depend on the workspace, and a stack of many workspaces has as many policies.
 */
function accountPolicies(model: StackModel): { def?: StackResource; openIds: StackResource[]; openText: string; others: string } {
    return model.memo("serverless-egress-control:account-policies", () => {
        const policies = model.ofKind("accountNetworkPolicy");
        const openIds = policies.filter(p => readId(p.props, "networkPolicyId").state === "unknown");
        return {
            def: policies.find(p => policyId(p) === DEFAULT_POLICY),
            openIds,
            openText: listed(openIds.map(describe)),
            others: policies.length > 0 ? ` (this stack's policies ${listed(policies.map(describe))} apply to other workspaces or to none)` : "",
        };
    });
}

/** Without an explicit option the workspace runs under the account's default-policy. */
function judgeDefault(model: StackModel, ws: WorkspaceView): Finding {
    const { def, openIds, openText, others } = accountPolicies(model);
    if (def) {
        const v = judgePolicy(def);
        return on(ws, v.status, `no WorkspaceNetworkOption applies to this workspace, so ${DEFAULT_POLICY} does: ${v.text}`, v.status === "pass" ? {} : {
            kind: v.kind,
            missing: `a restricted, enforced ${DEFAULT_POLICY} or a WorkspaceNetworkOption applying a restricted policy`,
            fix: FIX,
        });
    }
    if (openIds.length > 0) {
        return on(ws, "unverified", `no WorkspaceNetworkOption applies to this workspace, and whether ${openText} is ${DEFAULT_POLICY} is unknown until apply`, {
            kind: "unknown",
            missing: `a restricted, enforced ${DEFAULT_POLICY} or a WorkspaceNetworkOption applying a restricted policy`,
        });
    }
    return on(ws, "fail", `no WorkspaceNetworkOption applies a network policy to this workspace, so it runs under the account's ${DEFAULT_POLICY}, which this stack does not declare${others}`, {
        missing: "a WorkspaceNetworkOption applying a restricted, enforced network policy to this workspace",
        fix: FIX,
        kind: "missing",
    });
}
