// Inbound Private Link for performance-intensive services ("Service Direct": Lakebase Postgres
// clients, Zerobus ingest): an Azure private endpoint with group service_direct to the Databricks
// regional Private Link Service, one per region with workspaces, registered at account level with
// databricks.Endpoint. The scope is account + region, so each workspace is judged by its region.

import { armIsType } from "../../core/model/arm";
import { managesAccount, regionKey, registrationsOf } from "../../core/azure/databricks";
import { collapseFindings, FeatureModule, Finding, listed, workspaceFinding } from "../../core/rules/contract";
import { endpointSnippet } from "../../core/rules/snippets";
import { endpoints, EndpointView, hasGroup, vnetOfSubnet } from "../../core/azure/network";
import { premiumPrerequisite } from "../../core/rules/prerequisites";
import { push, StackModel, StackResource } from "../../core/model/stack";
import { cut, cutId, readString, Read, whyUnknown } from "../../core/model/values";
import { describe, WorkspaceView } from "../../core/azure/workspace";

export const SERVICE_DIRECT_GROUP = "service_direct";

const fixEndpoint = (ws: WorkspaceView) => `add a private endpoint in the workspace's region to the Databricks regional Private Link Service: \`${endpointSnippet(ws.family, "service-direct", "subnet", "regionalServiceDirectPls", SERVICE_DIRECT_GROUP, true)}\``;
const REGISTER_CODE = 'new databricks.Endpoint("service-direct", { parent: `accounts/${accountId}`, displayName: "service-direct", region, azurePrivateEndpointInfo: { privateEndpointName: pe.name, privateEndpointResourceGuid } }, { provider: accountProvider })';

const FIX_REGISTER = `register it with the account: \`${REGISTER_CODE}\``;

export const performanceServicesPrivateLink: FeatureModule = {
    id: "performance-services-private-link",
    description: "Every Azure region with Databricks workspaces has a service_direct private endpoint to the Databricks regional Private Link Service (Lakebase Postgres, Zerobus ingest), registered with databricks.Endpoint where the stack manages account resources.",
    severity: "medium",
    url: "https://learn.microsoft.com/azure/databricks/security/network/front-end/service-direct-private-link",
    remediationSteps: [
        "Connect performance-intensive services (Lakebase Postgres, Zerobus) privately, once per region:",
        "",
        "    const pe = new azure_native.network.PrivateEndpoint(\"service-direct\", {",
        "        resourceGroupName, location: \"westeurope\", subnet: { id: subnet.id },",
        "        manualPrivateLinkServiceConnections: [{ name: \"service-direct\",",
        "            privateLinkServiceId: regionalServiceDirectPlsId, // published by Databricks for the region",
        "            groupIds: [\"service_direct\"] }],",
        "    });",
        "    const region = \"westeurope\";",
        `    ${REGISTER_CODE};`,
        "",
        "Classic provider: azure.privatelink.Endpoint with `privateServiceConnection: { isManualConnection: true,",
        "privateConnectionResourceId: regionalServiceDirectPlsId, subresourceNames: [\"service_direct\"] }`.",
        "An endpoint managed in another stack: attest it in the pack configuration.",
    ].join("\n"),
    evaluate: ctx => {
        if (ctx.workspaces.length === 0) {
            return { notApplicable: "no Azure Databricks workspace is declared in this stack (the feature is judged per region with workspaces)" };
        }
        const model = ctx.model;
        const candidates = byRegion(serviceDirectEndpoints(model));
        const account = managesAccount(model);
        return ctx.workspaces.flatMap(ws => judge(model, ws, candidates, account));
    },
};

interface Candidate {
    ep: EndpointView;
    /** Whether the group is service_direct (known true, else unknown until apply, or secret). */
    group: Read<boolean>;
    /** Not a Private Link Service: a known target of another type. */
    wrongTarget?: string;
    region: string | undefined;
    registrations: StackResource[];
}

function serviceDirectEndpoints(model: StackModel): Candidate[] {
    const out: Candidate[] = [];
    for (const ep of endpoints(model)) {
        for (const c of ep.connections) {
            const g = hasGroup(c, SERVICE_DIRECT_GROUP);
            if (g.state === "known" && !g.value) {
                continue;
            }
            if (c.target.state === "resolved") {
                // A workspace or storage account of this stack is not a Databricks Private Link Service.
                continue;
            }
            const wrongTarget = c.target.state === "outside" && c.target.arm && !armIsType(c.target.arm, "Microsoft.Network", "privateLinkServices")
                ? c.target.id : undefined;
            const registrations = registrationsOf(model, ep.res);
            out.push({
                ep, group: g, wrongTarget, registrations,
                region: endpointRegion(model, ep) ?? registrations.map(r => regionKey(readString(r.props, "region"))).find(x => x !== undefined),
            });
            break;
        }
    }
    return out;
}

interface Candidates {
    all: Candidate[];
    byRegion: Map<string, Candidate[]>;
    /** The first endpoint of each region that the account registers. */
    registeredByRegion: Map<string, Candidate>;
}

function byRegion(all: Candidate[]): Candidates {
    const m = new Map<string, Candidate[]>();
    const registered = new Map<string, Candidate>();
    for (const c of all) {
        if (c.region !== undefined && c.group.state === "known" && !c.wrongTarget) {
            push(m, c.region, c);
            if (c.registrations.length > 0 && !registered.has(c.region)) {
                registered.set(c.region, c);
            }
        }
    }
    return { all, byRegion: m, registeredByRegion: registered };
}

/** Whether a databricks.Endpoint registers private endpoint `pe` (by name, or through its dependencies at preview). */
/** The endpoint's region: its own location, else its VNet's (an endpoint lives in its VNet's region). */
function endpointRegion(model: StackModel, ep: EndpointView): string | undefined {
    const own = regionKey(readString(ep.res.props, "location"));
    if (own) {
        return own;
    }
    const s = ep.subnet;
    if (s.state !== "resolved") {
        return undefined;
    }
    const vnet = s.target.kind === "virtualNetwork" ? s.target : (() => {
        const p = vnetOfSubnet(model, s.target);
        return p.state === "resolved" ? p.target : undefined;
    })();
    return vnet ? regionKey(readString(vnet.props, "location")) : undefined;
}

function judge(model: StackModel, ws: WorkspaceView, candidates: Candidates, account: boolean): Finding[] {
    const out: Finding[] = [];
    const pre = premiumPrerequisite(ws, "Private Link");
    if (pre) {
        out.push(pre);
    }
    const region = regionKey(ws.location);
    // Endpoints of the workspace's region come from the index; the rest are looked at only to
    // explain a failure (a stack may hold an endpoint per region and thousands of workspaces).
    const matched: Candidate[] = region !== undefined ? candidates.byRegion.get(region) ?? [] : [];
    const open: string[] = [];
    const elsewhere: string[] = [];
    for (const c of matched.length > 0 ? [] : candidates.all) {
        if (c.wrongTarget) {
            if (c.group.state === "known") {
                elsewhere.push(`${describe(c.ep.res)} targets ${cutId(c.wrongTarget)}, not a Private Link Service`);
            }
            continue;
        }
        if (c.group.state !== "known") {
            open.push(`${describe(c.ep.res)}: its group IDs are ${whyUnknown(c.group)}`);
        } else if (c.region === undefined || region === undefined) {
            open.push(`${describe(c.ep.res)}: ${region === undefined ? "the workspace's" : "the endpoint's"} region is not set in the stack`);
        } else if (c.region !== region) {
            elsewhere.push(`${describe(c.ep.res)} (region ${cut(c.region)})`);
        }
    }
    const regionText = region !== undefined ? cut(region) : show(ws.location);
    const missing = `a ${SERVICE_DIRECT_GROUP} private endpoint in region ${regionText} to the Databricks regional Private Link Service`;
    if (matched.length > 0) {
        const registered = region !== undefined ? candidates.registeredByRegion.get(region) : undefined;
        if (registered) {
            out.push(workspaceFinding(ws, "pass", `${describe(registered.ep.res)} (${SERVICE_DIRECT_GROUP}, region ${regionText}) registered by ${describe(registered.registrations[0])}`));
        } else if (account) {
            out.push(workspaceFinding(ws, "fail", `${listed(matched.map(c => describe(c.ep.res)))} serves region ${regionText}, but this stack manages account resources and registers it with no databricks.Endpoint`, {
                missing: "the account-level registration (databricks.Endpoint with azurePrivateEndpointInfo.privateEndpointName) of the endpoint",
                fix: FIX_REGISTER, reason: "missing",
            }));
        } else {
            out.push(workspaceFinding(ws, "pass", `${describe(matched[0].ep.res)} (${SERVICE_DIRECT_GROUP}, region ${regionText})`));
            out.push(workspaceFinding(ws, "note", `${describe(matched[0].ep.res)} must also be registered with the Databricks account (databricks.Endpoint); this stack manages no account resources, so that is not checked here`, { fix: FIX_REGISTER }));
        }
    } else if (open.length > 0) {
        out.push(workspaceFinding(ws, "unverified", `a ${SERVICE_DIRECT_GROUP} endpoint may serve the region but cannot be confirmed: ${listed(open, "; ")}`, { missing }));
    } else {
        out.push(workspaceFinding(ws, "fail", elsewhere.length > 0
            ? `${SERVICE_DIRECT_GROUP} endpoints in this stack do not serve region ${regionText}: ${listed(elsewhere, "; ")}`
            : `no ${SERVICE_DIRECT_GROUP} private endpoint in this stack serves region ${regionText}`, {
            missing, fix: fixEndpoint(ws), reason: "missing",
        }));
    }
    return collapseFindings(ws, out);
}

function show(r: Read<string>): string {
    return r.state === "unknown" ? `(${whyUnknown(r)})` : "(not set)";
}
