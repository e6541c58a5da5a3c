// VNet injection: the classic compute plane runs in the customer's VNet, in two subnets
// delegated to Azure Databricks, each with a network security group.

import { about, collapseFindings, FeatureModule, Finding, listOf, workspaceFinding } from "../../core/rules/contract";
import { vnetInjectionCode, vnetInjectionSnippet } from "../../core/rules/snippets";
import { classicWorkspace, classicWorkspaces } from "../../core/rules/compute-plane";
import { cut, quoteId, unseenReason, whyUnknown } from "../../core/model/values";
import { DATABRICKS_DELEGATION, SubnetLookup, subnetRole, workspaceSubnets } from "../../core/azure/network";
import { StackModel } from "../../core/model/stack";
import { describe, workspaceView, WorkspaceView } from "../../core/azure/workspace";

const PARAMETERS = "vnet-injection/workspace-parameters";

const DELEGATION_CODE = `delegations: [{ name: "databricks", serviceName: "${DATABRICKS_DELEGATION}" }]`;
const NSG_CODE = "networkSecurityGroup: { id: nsg.id }";

const FIX_SUBNET = `delegate the subnet to ${DATABRICKS_DELEGATION} (\`${DELEGATION_CODE}\`) and attach an NSG (\`${NSG_CODE}\`; classic: a SubnetNetworkSecurityGroupAssociation)`;

export const vnetInjection: FeatureModule = {
    id: "vnet-injection",
    description: "Every classic Azure Databricks workspace is deployed into a customer VNet, with host and container subnets delegated to Microsoft.Databricks/workspaces and protected by a network security group.",
    severity: "high",
    url: "https://learn.microsoft.com/azure/databricks/security/network/classic/vnet-inject",
    remediationSteps: [
        "Deploy the workspace into your own VNet with two delegated subnets that carry an NSG:",
        "",
        "    const nsg = new azure_native.network.NetworkSecurityGroup(\"dbx-nsg\", { resourceGroupName });",
        `    const host = new azure_native.network.Subnet("host", { resourceGroupName, virtualNetworkName: vnet.name, addressPrefix: "10.0.1.0/24", ${DELEGATION_CODE}, ${NSG_CODE} });`,
        `    const container = new azure_native.network.Subnet("container", { resourceGroupName, virtualNetworkName: vnet.name, addressPrefix: "10.0.2.0/24", ${DELEGATION_CODE}, ${NSG_CODE} });`,
        `    new azure_native.databricks.Workspace("ws", { /* … */ ${vnetInjectionCode("azure-native")} });`,
    ].join("\n"),
    resourceCheck: {
        id: PARAMETERS,
        summary: "Refuses a classic workspace without VNet injection parameters (customer VNet ID, host and container subnet names).",
        kinds: ["workspace"],
        check: res => {
            const ws = workspaceView(res);
            return classicWorkspace(ws, w => {
                const f = parametersMissing(w);
                return f ? [f] : [];
            });
        },
    },
    evaluate: ctx => classicWorkspaces(ctx, ws => judge(ctx.model, ws)),
};

/** The workspace's own inputs: a fail when it names no customer VNet or subnet at all. */
function parametersMissing(ws: WorkspaceView): Finding | undefined {
    const absent = parameters(ws).filter(([, r]) => r.state === "absent").map(([n]) => n);
    return absent.length === 0 ? undefined : workspaceFinding(ws, "fail", `the workspace sets no ${absent.join(", no ")}: it would run in a Databricks-managed VNet`, {
        missing: "VNet injection (a customer VNet and both subnet names)",
        fix: vnetInjectionSnippet(ws.family),
        check: PARAMETERS,
    });
}

function parameters(ws: WorkspaceView): [string, WorkspaceView["vnetId"]][] {
    return [["VNet ID", ws.vnetId], ["host (public) subnet name", ws.publicSubnet], ["container (private) subnet name", ws.privateSubnet]];
}

function judge(model: StackModel, ws: WorkspaceView): Finding[] {
    const missingParams = parametersMissing(ws);
    if (missingParams) {
        return [missingParams];
    }
    const unknown = parameters(ws).filter(([, r]) => r.state === "unknown");
    const findings: Finding[] = [];
    const subnets = workspaceSubnets(model, ws);
    if (unknown.length > 0 && subnets.host.state !== "found" && subnets.container.state !== "found") {
        return [workspaceFinding(ws, "unverified", `the ${unknown.map(([n]) => n).join(", ")} ${unknown.length > 1 ? "are" : "is"} ${whyUnknown(...unknown.map(([, r]) => r))} and no subnet dependency identifies them`, {
            reason: unseenReason(...unknown.map(([, r]) => r)),
            missing: "a customer VNet with both subnets delegated to Microsoft.Databricks/workspaces and carrying an NSG",
        })];
    }
    for (const slot of ["host", "container"] as const) {
        // Each subnet's findings, and each of its properties', are findings of their own.
        findings.push(...about(`${slot} subnet`, judgeSubnet(ws, subnetRole(slot, subnets[slot]), subnets[slot])));
    }
    return collapseFindings(ws, findings, "injected into a customer VNet; both subnets delegated and protected by an NSG");
}

function judgeSubnet(ws: WorkspaceView, role: string, lookup: SubnetLookup): Finding[] {
    switch (lookup.state) {
        case "outside":
            return [workspaceFinding(ws, "unverified", `${role} subnet: ${lookup.detail}`, {
                reason: "outside",
                missing: `its delegation to ${DATABRICKS_DELEGATION} and its NSG`,
                fix: "declare the subnet in this stack, or attest that the network stack delegates it and attaches an NSG",
            })];
        case "unknown":
            return [workspaceFinding(ws, "unverified", `${role} subnet: ${lookup.detail}`, {
                reason: "unknown",
                missing: `its delegation to ${DATABRICKS_DELEGATION} and its NSG`,
            })];
        case "absent":
            return [workspaceFinding(ws, "fail", `${role} subnet: ${lookup.detail}`, {
                missing: `a ${role} subnet delegated to ${DATABRICKS_DELEGATION} with an NSG`,
                fix: FIX_SUBNET,
                reason: "missing",
            })];
        default:
            break;
    }
    const s = lookup.subnet;
    const where = s.inline ? `subnet ${quoteId(s.name)} (inline in ${describe(s.declaredBy)})` : `subnet ${describe(s.declaredBy)}`;
    const out: Finding[] = [];
    const d = s.delegations;
    if (d.state === "unknown") {
        out.push(workspaceFinding(ws, "unverified", `${role} ${where}: its delegations are ${whyUnknown(d)}`, { reason: unseenReason(d), aspect: "delegation", missing: `a delegation to ${DATABRICKS_DELEGATION}` }));
    } else if (d.state === "known" && !d.value.some(n => n.toLowerCase() === DATABRICKS_DELEGATION.toLowerCase())) {
        out.push(workspaceFinding(ws, "fail", `${role} ${where} is delegated to ${d.value.length ? listOf(d.value, v => cut(v)) : "nothing"}`, {
            missing: `a delegation to ${DATABRICKS_DELEGATION}`,
            fix: FIX_SUBNET,
            aspect: "delegation",
        }));
    }
    if (s.nsgSet.state === "unknown") {
        out.push(workspaceFinding(ws, "unverified", `${role} ${where}: whether an NSG is attached is ${whyUnknown(s.nsgSet)}`, { reason: unseenReason(s.nsgSet), aspect: "NSG", missing: "a network security group on the subnet" }));
    } else if (s.nsgSet.state === "known" && !s.nsgSet.value) {
        out.push(workspaceFinding(ws, "fail", `${role} ${where} has no network security group`, {
            missing: "a network security group on the subnet",
            fix: FIX_SUBNET,
            aspect: "NSG",
        }));
    }
    return out.length > 0 ? out : [workspaceFinding(ws, "pass", `${role} ${where} is delegated and has an NSG`)];
}
