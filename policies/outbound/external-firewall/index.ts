// External firewall: all egress of the classic compute plane is inspected by a firewall. Both
// Databricks subnets carry a route table whose default route (0.0.0.0/0) goes to a
// VirtualAppliance next hop: an Azure Firewall or a network virtual appliance, in this stack
// (matched by private IP, or through dependencies while the IP is unknown) or in a hub stack.

import { about, collapseFindings, FeatureModule, Finding, listed, workspaceFinding } from "../../core/rules/contract";
import { classicWorkspaces } from "../../core/rules/compute-plane";
import { SubnetLookup, subnetRole, workspaceSubnets } from "../../core/azure/network";
import { forwards, hopTarget, isDefaultRoute, routesOf, RouteView } from "../../core/azure/routing";
import { StackModel } from "../../core/model/stack";
import { describe, WorkspaceView } from "../../core/azure/workspace";
import { cut, cutId, quote, quoteId, unseenReason, whyUnknown } from "../../core/model/values";

const ROUTE_CODE = 'routes: [{ name: "to-firewall", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: firewall.ipConfigurations.apply(c => c![0].privateIPAddress!) }]';

const FIX = `attach a route table with \`${ROUTE_CODE}\` to both Databricks subnets (\`routeTable: { id: rt.id }\`; classic: a SubnetRouteTableAssociation per subnet)`;

export const externalFirewall: FeatureModule = {
    id: "external-firewall",
    description: "Both Databricks subnets of every classic Azure Databricks workspace send their default route (0.0.0.0/0) to an Azure Firewall or network virtual appliance (next hop type VirtualAppliance), so all egress is inspected.",
    severity: "high",
    url: "https://learn.microsoft.com/azure/databricks/security/network/classic/udr",
    remediationSteps: [
        "Route all egress of both Databricks subnets through the hub firewall:",
        "",
        "    // the next hop: this stack's firewall's private IP, or the hub firewall's",
        `    const rt = new azure_native.network.RouteTable("dbx-egress", { resourceGroupName, ${ROUTE_CODE} });`,
        "    // on both the host and the container subnet:",
        "    new azure_native.network.Subnet(\"host\", { /* … */ routeTable: { id: rt.id } });",
        "",
        "Classic provider: `azure.network.RouteTable` + `azure.network.Route` (`nextHopInIpAddress`) and a",
        "`SubnetRouteTableAssociation` per subnet. Allow the Databricks control-plane destinations on the firewall.",
        "A NAT gateway or a default route to `Internet` is not a firewall. If the hub firewall lives in another stack, attest it.",
    ].join("\n"),
    evaluate: ctx => {
        if (ctx.workspaces.length === 0) {
            return { notApplicable: "no Azure Databricks workspace in this stack" };
        }
        return classicWorkspaces(ctx, ws => judge(ctx.model, ws));
    },
};

function judge(model: StackModel, ws: WorkspaceView): Finding[] {
    if (ws.vnetId.state === "absent" && ws.publicSubnet.state === "absent" && ws.privateSubnet.state === "absent") {
        return [workspaceFinding(ws, "fail", "the workspace is not injected into a customer VNet: its egress cannot be routed through a firewall", {
            missing: "VNet injection with both subnets routed to a firewall",
            fix: `inject the workspace into a VNet, then ${FIX}`,
        })];
    }
    const subnets = workspaceSubnets(model, ws);
    const findings = (["host", "container"] as const).flatMap(slot => about(`${slot} subnet`, [judgeSubnet(model, ws, subnetRole(slot, subnets[slot]), subnets[slot])]));
    return collapseFindings(ws, findings);
}

function judgeSubnet(model: StackModel, ws: WorkspaceView, role: string, lookup: SubnetLookup): Finding {
    const missing = `a route table on the ${role} subnet with 0.0.0.0/0 → VirtualAppliance (an Azure Firewall or NVA)`;
    switch (lookup.state) {
        case "outside":
            return workspaceFinding(ws, "unverified", `${role} subnet: ${lookup.detail}`, { reason: "outside", missing, fix: "attest the route table if the network stack routes the subnet to the hub firewall" });
        case "unknown":
            return workspaceFinding(ws, "unverified", `${role} subnet: ${lookup.detail}`, { reason: "unknown", missing });
        case "absent":
            return workspaceFinding(ws, "fail", `${role} subnet: ${lookup.detail}`, { missing, fix: FIX, reason: "missing" });
        default:
            break;
    }
    const s = lookup.subnet;
    const where = s.inline ? `${role} subnet ${quoteId(s.name)} (inline in ${describe(s.declaredBy)})` : `${role} subnet ${describe(s.declaredBy)}`;
    const rt = s.routeTable;
    const nat = s.natGateway.state !== "absent" ? " (the subnet has a NAT gateway, which translates addresses but inspects nothing)" : "";
    switch (rt.state) {
        case "absent":
            // No route table here: a hub may still route it (e.g. routes injected by Virtual WAN).
            return workspaceFinding(ws, "fail", `${where} has no route table${nat}`, { reason: "missing", missing, fix: FIX });
        case "outside":
            return workspaceFinding(ws, "unverified", `${where} uses route table ${cutId(rt.id)}, which is not declared in this stack`, {
                reason: "outside",
                missing: "its default route to the hub firewall",
                fix: "declare the route table here, or attest it if the hub stack manages it",
            });
        case "unknown":
            return workspaceFinding(ws, "unverified", `${where}: its route table is ${whyUnknown(rt)}${rt.candidates.length > 1 ? ` (one of ${listed(rt.candidates.map(describe))})` : ""}`, { reason: unseenReason(rt), missing });
        default:
            break;
    }
    const table = rt.target;
    const { routes, open } = routesOf(model, table);
    const defaults: RouteView[] = [];
    const unseenPrefix: RouteView[] = [];
    for (const r of routes) {
        const d = isDefaultRoute(r);
        if (d.state === "known" && d.value) {
            defaults.push(r);
        } else if (d.state === "unknown") {
            unseenPrefix.push(r);
        }
    }
    if (defaults.length === 0) {
        if (open.length > 0 || unseenPrefix.length > 0) {
            return workspaceFinding(ws, "unverified", `${where}, route table ${describe(table)}: ${open.length > 0 ? listed(open, "; ") : `a route's address prefix is ${whyUnknown(...unseenPrefix.map(u => u.prefix))}`}`, { reason: "unknown", missing });
        }
        return workspaceFinding(ws, "fail", `${where} carries route table ${describe(table)}, which has ${routes.length === 0 ? "no routes" : "no default route (0.0.0.0/0)"}${nat}`, { missing, fix: FIX });
    }
    const r = defaults[0];
    const hop = r.nextHopType;
    if (hop.state === "unknown") {
        return workspaceFinding(ws, "unverified", `${where}: the next hop type of the default route in ${describe(table)} is ${whyUnknown(hop)}`, { reason: unseenReason(hop), missing });
    }
    if (hop.state === "absent" || hop.value.toLowerCase() !== "virtualappliance") {
        return workspaceFinding(ws, "fail", `${where}: the default route in ${describe(table)} goes to ${hop.state === "known" ? quote(hop.value) : "no next hop"}, not to a firewall`, {
            missing: "nextHopType VirtualAppliance with the firewall's private IP",
            fix: FIX,
        });
    }
    const target = hopTarget(model, r);
    if (target.state === "appliance") {
        const fwd = forwards(target.target);
        if (fwd.state === "known" && !fwd.value) {
            return workspaceFinding(ws, "fail", `${where}: the default route goes to network interface ${describe(target.target)}, which does not forward traffic (IP forwarding off)`, {
                missing: "an Azure Firewall or a network virtual appliance with IP forwarding",
                fix: "enable IP forwarding on the appliance's NIC (`enableIPForwarding: true`; classic: `ipForwardingEnabled: true`), or route to an Azure Firewall",
            });
        }
        if (fwd.state === "unknown") {
            return workspaceFinding(ws, "unverified", `${where}: whether ${describe(target.target)} forwards traffic is ${whyUnknown(fwd)}`, { reason: unseenReason(fwd), missing: "IP forwarding on the appliance" });
        }
        return workspaceFinding(ws, "pass", `${where} routes 0.0.0.0/0 to ${describe(target.target)}`);
    }
    if (target.state === "unknown") {
        return workspaceFinding(ws, "unverified", `${where}: ${target.detail}`, { reason: "unknown", missing: "the default route's next hop to be an Azure Firewall or NVA" });
    }
    if (target.state === "absent") {
        return workspaceFinding(ws, "fail", `${where}: the default route in ${describe(table)} goes to VirtualAppliance without a next hop IP`, {
            missing: "the firewall's private IP as nextHopIpAddress",
            fix: FIX,
        });
    }
    return workspaceFinding(ws, "unverified", `${where} routes 0.0.0.0/0 to VirtualAppliance ${cut(target.ip)}, which is no firewall or appliance of this stack`, {
        reason: "outside",
        missing: "that this IP is the hub's Azure Firewall or NVA",
        fix: "attest the hub firewall (e.g. reference the hub stack) in this pack's configuration",
    });
}
