// Workspace inbound (front-end) Private Link: users reach the workspace only through private
// endpoints. Public network access is disabled, a databricks_ui_api endpoint targets the workspace
// (a front-end endpoint in a transit VNet, or in the "simplified" layout the back-end endpoint in
// the workspace VNet), and a browser_authentication endpoint serves the workspace's region (it may
// target a dedicated web-auth workspace of that region, or live in another stack).

import { BROWSER_AUTH_GROUP, DATABRICKS_DNS_ZONE, regionKey, UI_API_GROUP } from "../../core/azure/databricks";
import { databricksDnsNote } from "../../core/rules/private-dns";
import { browserAuthByRegion, browserAuthConnections, workspacesInRegion } from "../../core/azure/browser-auth";
import { about, collapseFindings, FeatureModule, Finding, fromCheck, listed, workspaceFinding } from "../../core/rules/contract";
import { endpointSnippet } from "../../core/rules/snippets";
import { connectionsTo, EndpointConnection, EndpointView, hasGroup, targetsWorkspace, vnetKeyOf, workspaceVnetKey } from "../../core/azure/network";
import { premiumPrerequisite } from "../../core/rules/prerequisites";
import { StackModel, StackResource } from "../../core/model/stack";
import { cut, cutId, quote, quoteId, Read, whyUnknown } from "../../core/model/values";
import { describe, workspaceView, WorkspaceView } from "../../core/azure/workspace";


const FIX_PUBLIC = {
    "azure-native": "set `publicNetworkAccess: \"Disabled\"` (with `requiredNsgRules: \"NoAzureDatabricksRules\"`) on the workspace",
    azure: "set `publicNetworkAccessEnabled: false` (with `networkSecurityGroupRulesRequired: \"NoAzureDatabricksRules\"`) on the workspace",
};
const fixFrontEnd = (ws: WorkspaceView) => `add a front-end private endpoint users can reach (in a transit VNet, or the back-end endpoint in the workspace VNet in the simplified layout): \`${endpointSnippet(ws.family, "frontend", "transitSubnet", "ws.id", UI_API_GROUP)}\``;
const fixBrowser = (ws: WorkspaceView) => `add one ${BROWSER_AUTH_GROUP} private endpoint per region, to this workspace or to a dedicated web-auth workspace of the same region: \`${endpointSnippet(ws.family, "webauth", "transitSubnet", "webAuthWs.id", BROWSER_AUTH_GROUP)}\``;

const OWN_INPUTS = "workspace-inbound-private-link/workspace-inputs";

export const workspaceInboundPrivateLink: FeatureModule = {
    id: "workspace-inbound-private-link",
    description: "Every Azure Databricks workspace is reachable by users only through Private Link: public network access disabled, a databricks_ui_api private endpoint to the workspace, and a browser_authentication private endpoint for its region, on a Premium workspace.",
    severity: "high",
    url: "https://learn.microsoft.com/azure/databricks/security/network/front-end/front-end-private-connect",
    remediationSteps: [
        "Make user access private (front-end Private Link):",
        "",
        "    const ws = new azure_native.databricks.Workspace(\"ws\", {",
        "        sku: { name: \"premium\" },",
        "        publicNetworkAccess: \"Disabled\",",
        "        requiredNsgRules: \"NoAzureDatabricksRules\",",
        "        // …",
        "    });",
        "    // Front-end endpoint (standard layout: in a transit VNet; simplified layout: the back-end endpoint serves users too).",
        `    ${endpointSnippet("azure-native", "frontend", "transitSubnet", "ws.id", UI_API_GROUP)};`,
        "    // One per region: browser authentication (often to a dedicated web-auth workspace of the region).",
        `    ${endpointSnippet("azure-native", "webauth", "transitSubnet", "webAuthWs.id", BROWSER_AUTH_GROUP)};`,
        "",
        `Link a private DNS zone ${DATABRICKS_DNS_ZONE} to the VNets and attach it to the endpoints with PrivateDnsZoneGroups.`,
        "Classic provider: `publicNetworkAccessEnabled: false` and azure.privatelink.Endpoint with",
        "`privateServiceConnection: { privateConnectionResourceId: ws.id, subresourceNames: [\"databricks_ui_api\"], isManualConnection: false }`.",
        "A browser_authentication endpoint in another stack: attest it in the pack configuration.",
    ].join("\n"),
    resourceCheck: {
        id: OWN_INPUTS,
        summary: "Refuses a workspace with public network access enabled (or not disabled), or not on the Premium SKU Private Link needs.",
        kinds: ["workspace"],
        check: res => ownInputs(workspaceView(res)),
    },
    evaluate: ctx => ctx.workspaces.length === 0
        ? { notApplicable: "no Azure Databricks workspace is declared in this stack" }
        : ctx.workspaces.flatMap(ws => judge(ctx.model, ws, ctx.workspaces)),
};

interface Part {
    findings: Finding[];
    /** What satisfied the part, for the pass message. */
    evidence?: string;
    endpoints: EndpointView[];
}

/** What the workspace's own inputs decide: the SKU and public network access. */
function ownInputs(ws: WorkspaceView): Finding[] {
    const pre = premiumPrerequisite(ws, "Private Link");
    return fromCheck(OWN_INPUTS, [...(pre ? [pre] : []), ...about("public network access", publicAccess(ws).findings)]);
}

function judge(model: StackModel, ws: WorkspaceView, all: WorkspaceView[]): Finding[] {
    const out = ownInputs(ws);
    const pna = publicAccess(ws);
    const webAuth = webAuthRole(model, ws);
    const fe: Part = webAuth
        ? { findings: [], evidence: `none needed: a web-auth workspace (it hosts ${webAuth} for other workspaces of its region)`, endpoints: [] }
        : frontEnd(model, ws, pna.disabled);
    out.push(...about("front-end endpoint", fe.findings));
    const ba = browserAuth(model, ws);
    out.push(...about("browser authentication endpoint", ba.findings));
    const used = [...fe.endpoints, ...ba.endpoints];
    if (used.length > 0) {
        out.push(...about("private DNS", databricksDnsNote(model, ws, used)));
    }
    return collapseFindings(ws, out, `public network access disabled; front-end: ${fe.evidence}; browser authentication: ${ba.evidence}`);
}

function publicAccess(ws: WorkspaceView): { findings: Finding[]; disabled: boolean } {
    const field = ws.family === "azure" ? "publicNetworkAccessEnabled" : "publicNetworkAccess";
    const fix = FIX_PUBLIC[ws.family];
    const missing = ws.family === "azure" ? "publicNetworkAccessEnabled false" : "publicNetworkAccess \"Disabled\"";
    const v = ws.publicNetworkAccess;
    if (v.state === "known") {
        if (v.value.toLowerCase() === "disabled") {
            return { findings: [], disabled: true };
        }
        const shown = ws.family === "azure" ? "true" : quote(v.value);
        return { disabled: false, findings: [workspaceFinding(ws, "fail", `${field} is ${shown}: users reach the workspace over the public internet`, { missing, fix })] };
    }
    if (v.state === "unknown") {
        return { disabled: false, findings: [workspaceFinding(ws, "unverified", `${field} is ${whyUnknown(v)}`, { missing })] };
    }
    return { disabled: false, findings: [workspaceFinding(ws, "fail", `${field} is not set (the default enables public network access)`, { missing, fix })] };
}

/** Whether a connection may carry `group` to one of `targets`. */
function connectionMatches(c: EndpointConnection, ws: WorkspaceView, group: string): { target: Read<boolean>; group: Read<boolean> } {
    return { target: targetsWorkspace(c, ws), group: hasGroup(c, group) };
}

function frontEnd(model: StackModel, ws: WorkspaceView, publicDisabled: boolean): Part {
    const wsVnet = workspaceVnetKey(model, ws);
    const matched: EndpointView[] = [];
    const seen = new Set<EndpointView>();
    const layouts: string[] = [];
    const open: string[] = [];
    for (const { endpoint: ep, connection: c } of connectionsTo(model, ws.res)) {
        const m = connectionMatches(c, ws, UI_API_GROUP);
        if ((m.target.state === "known" && !m.target.value) || (m.group.state === "known" && !m.group.value)) {
            continue;
        }
        if (m.target.state === "known" && m.group.state === "known") {
            if (!seen.has(ep)) {
                seen.add(ep);
                matched.push(ep);
            }
            const epVnet = vnetKeyOf(model, ep.subnet);
            layouts.push(epVnet.state === "known" && wsVnet.state === "known" && epVnet.value === wsVnet.value
                ? `${describe(ep.res)} in the workspace VNet (simplified layout: the back-end endpoint serves users)`
                : `${describe(ep.res)}${epVnet.state === "known" ? " in a transit VNet (standard layout)" : ""}`);
            continue;
        }
        open.push(`${describe(ep.res)}: ${m.target.state !== "known" ? `its target is ${whyUnknown(m.target)}` : `its group IDs are ${whyUnknown(m.group)}`}`);
    }
    if (matched.length > 0) {
        return { findings: [], evidence: listed(layouts), endpoints: matched };
    }
    if (open.length > 0) {
        return {
            endpoints: [],
            findings: [workspaceFinding(ws, "unverified", `a front-end endpoint may exist but cannot be confirmed: ${listed(open, "; ")}`, {
                missing: `a ${UI_API_GROUP} private endpoint to this workspace that users can reach`,
            })],
        };
    }
    const found = publicDisabled
        ? `public network access is disabled and no private endpoint in this stack targets the workspace with group ${UI_API_GROUP}: as declared, the workspace is unreachable for users`
        : `no private endpoint in this stack targets the workspace with group ${UI_API_GROUP}`;
    return {
        endpoints: [],
        findings: [workspaceFinding(ws, "fail", found, {
            missing: `a ${UI_API_GROUP} private endpoint to this workspace that users can reach (front-end Private Link)`,
            fix: fixFrontEnd(ws),
            reason: "missing",
        })],
    };
}

function browserAuth(model: StackModel, ws: WorkspaceView): Part {
    const region = regionKey(ws.location);
    const matched: EndpointView[] = [];
    const evidence: string[] = [];
    const open: string[] = [];
    // Endpoints to workspaces of other stacks: evidence outside this stack, not an unknown value.
    let outside = false;
    const otherRegion: string[] = [];
    const { regional, kept, rest } = browserAuthByRegion(model);
    // A region may have many matching endpoints: name a few, and keep the classic ones (whose DNS
    // zone group is inline) for the DNS check.
    let more = 0;
    const named = (ep: EndpointView, target: StackResource) =>
        (target === ws.res ? `${describe(ep.res)} to this workspace` : `${describe(ep.res)} to web-auth workspace ${quoteId(target.name)} of the same region`);
    const match = (ep: EndpointView, target: StackResource) => {
        if (matched.length === 0 || ep.res.info?.family === "azure") {
            matched.push(ep);
        }
        if (evidence.length < 3) {
            evidence.push(named(ep, target));
        } else {
            more++;
        }
    };
    // Connections settled by region (known group, a workspace of the stack with a known region):
    // those of this region match; the others only explain a failure.
    let others = 0;
    if (region !== undefined) {
        for (const [r, entries] of regional) {
            if (r === region) {
                // The same for every workspace of the region, but for how the first few are named.
                matched.push(...kept.get(r) ?? []);
                evidence.push(...entries.slice(0, 3).map(e => named(e.endpoint, e.target)));
                more += Math.max(0, entries.length - 3);
            } else {
                others += entries.length;
                for (const { endpoint: ep, target } of entries.slice(0, Math.max(0, 3 - otherRegion.length))) {
                    otherRegion.push(`${describe(ep.res)} (to workspace ${quoteId(target.name)} of another region)`);
                }
            }
        }
    }
    for (const { endpoint: ep, connection: c, group: g } of region === undefined ? browserAuthConnections(model) : rest) {
        const t = c.target;
        if (t.state === "absent") {
            continue;
        }
        if (t.state === "outside") {
            if (g.state === "known") {
                open.push(`${describe(ep.res)} targets ${cutId(t.id)}, a workspace outside this stack whose region cannot be checked here`);
                outside = true;
            }
            continue;
        }
        const targets: StackResource[] = t.state === "resolved" ? [t.target] : t.candidates;
        const sameRegion = targets.filter(r => r.kind === "workspace").map(r => ({ r, same: regionOf(r, ws, region) }));
        if (g.state !== "known" || t.state !== "resolved") {
            if (sameRegion.some(s => s.same !== false)) {
                open.push(`${describe(ep.res)}: its ${g.state !== "known" ? `group IDs are ${whyUnknown(g)}` : `target is ${whyUnknown(t)}`}`);
            }
            continue;
        }
        const hit = sameRegion[0];
        if (!hit) {
            continue;
        }
        if (hit.same === true) {
            match(ep, hit.r);
        } else if (hit.same === undefined) {
            open.push(`${describe(ep.res)} targets workspace ${quoteId(hit.r.name)}, whose region or this workspace's is not known`);
        } else {
            others++;
            if (otherRegion.length < 3) {
                otherRegion.push(`${describe(ep.res)} (to workspace ${quoteId(hit.r.name)} of another region)`);
            }
        }
    }
    if (others > otherRegion.length) {
        otherRegion.push(`and ${others - otherRegion.length} more`);
    }
    if (matched.length > 0) {
        return { findings: [], evidence: `${evidence.join(", ")}${more > 0 ? `, and ${more} more` : ""}`, endpoints: matched };
    }
    const missing = `a ${BROWSER_AUTH_GROUP} private endpoint for the workspace's region${region ? ` (${cut(region)})` : ""}, to this workspace or a web-auth workspace of that region`;
    if (open.length > 0) {
        return { endpoints: [], findings: [workspaceFinding(ws, "unverified", `a browser authentication endpoint may exist but cannot be confirmed: ${listed(open, "; ")}`, { reason: outside ? "outside" : "unknown", missing })] };
    }
    return {
        endpoints: [],
        findings: [workspaceFinding(ws, "fail", otherRegion.length > 0
            ? `${BROWSER_AUTH_GROUP} endpoints in this stack serve other regions only: ${listed(otherRegion)}`
            : `no ${BROWSER_AUTH_GROUP} private endpoint in this stack serves the workspace's region (single sign-on through Private Link fails without it)`, {
            missing, fix: fixBrowser(ws), reason: "missing",
        })],
    };
}

/**
 * A dedicated web-auth workspace only hosts the region's browser_authentication endpoint: it is
 * the target of one, no databricks_ui_api endpoint targets it, and another workspace of its region
 * is in the stack. Users never sign in to it, so it needs no front-end endpoint (public access
 * must still be disabled). Returns the endpoint's description, or undefined.
 */
function webAuthRole(model: StackModel, ws: WorkspaceView): string | undefined {
    const region = regionKey(ws.location);
    // A web-auth workspace needs a peer in its region.
    if (region === undefined || workspacesInRegion(model, region) < 2) {
        return undefined;
    }
    let host: string | undefined;
    for (const { endpoint: ep, connection: c } of connectionsTo(model, ws.res)) {
        const m = { ui: connectionMatches(c, ws, UI_API_GROUP), auth: connectionMatches(c, ws, BROWSER_AUTH_GROUP) };
        if (m.ui.target.state !== "known" || m.ui.target.value) {
            // Targets this workspace (or may): any UI/API group, or an unknown one, makes it a user-facing workspace.
            if (m.ui.group.state !== "known" || m.ui.group.value) {
                return undefined;
            }
            if (m.auth.target.state === "known" && m.auth.group.state === "known" && m.auth.group.value) {
                host = describe(ep.res);
            }
        }
    }
    return host === undefined ? undefined : `the ${BROWSER_AUTH_GROUP} endpoint ${host}`;
}


/** Whether workspace resource `r` is in the region of `ws`: true, false, or undefined when not known. */
function regionOf(r: StackResource, ws: WorkspaceView, region: string | undefined): boolean | undefined {
    if (r === ws.res) {
        return true;
    }
    const other = regionKey(workspaceView(r).location);
    return other === undefined || region === undefined ? undefined : other === region;
}

