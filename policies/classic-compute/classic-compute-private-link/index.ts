// Classic compute plane Private Link (back-end Private Link): clusters reach the control plane
// through a databricks_ui_api private endpoint in the workspace's own VNet, and the workspace
// drops the public control-plane NSG rules (NoAzureDatabricksRules).

import { collapseFindings, FeatureModule, Finding, fromCheck, listed, workspaceFinding } from "../../core/rules/contract";
import { endpointSnippet, noPublicIpCode } from "../../core/rules/snippets";
import { classicWorkspace, classicWorkspaces } from "../../core/rules/compute-plane";
import { DATABRICKS_DNS_ZONE, UI_API_GROUP } from "../../core/azure/databricks";
import { connectionsTo, EndpointView, hasGroup, targetsWorkspace, vnetKeyOf, workspaceVnetKey } from "../../core/azure/network";
import { databricksDnsNote } from "../../core/rules/private-dns";
import { StackModel } from "../../core/model/stack";
import { quote, whyUnknown } from "../../core/model/values";
import { premiumPrerequisite } from "../../core/rules/prerequisites";
import { describe, workspaceView, WorkspaceView } from "../../core/azure/workspace";


const OWN_INPUTS = "classic-compute-private-link/workspace-inputs";

const fixEndpoint = (ws: WorkspaceView) => `add a private endpoint in a subnet of the workspace's VNet: \`${endpointSnippet(ws.family, "backend", "peSubnet", "ws.id", UI_API_GROUP)}\``;

export const classicComputePrivateLink: FeatureModule = {
    id: "classic-compute-private-link",
    description: "Every classic Azure Databricks workspace uses back-end Private Link: requiredNsgRules \"NoAzureDatabricksRules\", a Premium SKU, and a databricks_ui_api private endpoint to the workspace from a subnet of its own VNet.",
    severity: "high",
    url: "https://learn.microsoft.com/azure/databricks/security/network/classic/private-link",
    remediationSteps: [
        "Make cluster-to-control-plane traffic private:",
        "",
        `    const ws = new azure_native.databricks.Workspace("ws", { sku: { name: "premium" }, requiredNsgRules: "NoAzureDatabricksRules", ${noPublicIpCode("azure-native")} });`,
        "    // in a subnet of the workspace's VNet (the other parameters: VNet injection)",
        `    ${endpointSnippet("azure-native", "backend", "peSubnet", "ws.id", UI_API_GROUP)};`,
        "",
        `Link a private DNS zone ${DATABRICKS_DNS_ZONE} to the VNet and attach it to the endpoint with a PrivateDnsZoneGroup.`,
        "Classic provider: `networkSecurityGroupRulesRequired = \"NoAzureDatabricksRules\"`, `azure.privatelink.Endpoint` with",
        "`privateServiceConnection: { privateConnectionResourceId: ws.id, subresourceNames: [\"databricks_ui_api\"] }`.",
    ].join("\n"),
    resourceCheck: {
        id: OWN_INPUTS,
        summary: "Refuses a classic workspace whose requiredNsgRules is not \"NoAzureDatabricksRules\" (public control-plane rules), or that is not on the Premium SKU Private Link needs.",
        kinds: ["workspace"],
        check: res => {
            const ws = workspaceView(res);
            return classicWorkspace(ws, ownInputs);
        },
    },
    evaluate: ctx => classicWorkspaces(ctx, ws => judge(ctx.model, ws)),
};

/** The fix of the NSG rules setting: what it needs besides, without asking for what the stack may already have. */
const NSG_RULES_FIX = (field: string) => `set \`${field}: "NoAzureDatabricksRules"\`: clusters then reach the control plane only through the back-end (databricks_ui_api) private endpoint, which this feature also requires`;

/** What the workspace's own inputs decide: the NSG rules setting and the SKU. */
function ownInputs(ws: WorkspaceView): Finding[] {
    const out: Finding[] = [];
    const field = ws.family === "azure" ? "networkSecurityGroupRulesRequired" : "requiredNsgRules";
    const rules = ws.requiredNsgRules;
    if (rules.state === "known" && rules.value.toLowerCase() !== "noazuredatabricksrules") {
        out.push(workspaceFinding(ws, "fail", `${field} is ${quote(rules.value)}: clusters reach the control plane over public NSG rules`, {
            missing: `${field} "NoAzureDatabricksRules"`,
            fix: NSG_RULES_FIX(field),
        }));
    } else if (rules.state === "absent") {
        out.push(workspaceFinding(ws, "fail", `${field} is not set (the default is "AllRules": public control-plane rules)`, {
            missing: `${field} "NoAzureDatabricksRules"`,
            fix: NSG_RULES_FIX(field),
        }));
    } else if (rules.state === "unknown") {
        out.push(workspaceFinding(ws, "unverified", `${field} is ${whyUnknown(rules)}`, { missing: `${field} "NoAzureDatabricksRules"` }));
    }
    const sku = premiumPrerequisite(ws, "Private Link");
    if (sku) {
        out.push(sku);
    }
    return fromCheck(OWN_INPUTS, out);
}

function judge(model: StackModel, ws: WorkspaceView): Finding[] {
    const out = ownInputs(ws);
    out.push(...judgeEndpoint(model, ws));
    return collapseFindings(ws, out, "NoAzureDatabricksRules, Premium, and a databricks_ui_api endpoint in the workspace VNet");
}

function judgeEndpoint(model: StackModel, ws: WorkspaceView): Finding[] {
    const wsVnet = workspaceVnetKey(model, ws);
    const elsewhere: string[] = [];
    const open: string[] = [];
    const matched: EndpointView[] = [];
    for (const { endpoint: ep, connection: c } of connectionsTo(model, ws.res)) {
        const t = targetsWorkspace(c, ws);
        if (t.state === "known" && !t.value) {
            continue;
        }
        const g = hasGroup(c, UI_API_GROUP);
        if (g.state === "known" && !g.value) {
            continue;
        }
        const epVnet = vnetKeyOf(model, ep.subnet);
        if (t.state === "known" && g.state === "known" && epVnet.state === "known" && wsVnet.state === "known") {
            if (epVnet.value === wsVnet.value) {
                matched.push(ep);
            } else {
                elsewhere.push(`${describe(ep.res)} (in another VNet: a front-end endpoint)`);
            }
            continue;
        }
        const why = t.state !== "known" ? `its target is ${whyUnknown(t)}`
            : g.state !== "known" ? `its group IDs are ${whyUnknown(g)}`
                : "its subnet's VNet cannot be determined yet";
        open.push(`${describe(ep.res)}: ${why}`);
    }
    if (matched.length > 0) {
        return databricksDnsNote(model, ws, matched);
    }
    if (open.length > 0) {
        return [workspaceFinding(ws, "unverified", `a back-end endpoint may exist but cannot be confirmed: ${listed(open, "; ")}`, {
            missing: `a ${UI_API_GROUP} private endpoint to this workspace from a subnet of its VNet`,
        })];
    }
    return [workspaceFinding(ws, "fail", elsewhere.length > 0
        ? `${UI_API_GROUP} endpoints to this workspace exist only outside its VNet: ${listed(elsewhere)}`
        : `no private endpoint in this stack targets this workspace with group ${UI_API_GROUP}`, {
        missing: `a ${UI_API_GROUP} private endpoint to this workspace from a subnet of the workspace's VNet (back-end Private Link)`,
        fix: fixEndpoint(ws),
        reason: "missing",
    })];
}
