// Pass/fail cases of workspace-inbound-private-link (fixtures/cases.ts says how they run), and of the
// inbound group as a whole on one isolated stack.

import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { FeatureCases, advisory, attested, beforeCreation, mandatory, note, of } from "../../../fixtures/cases";
import { nativeWorkspace, SUBSCRIPTION } from "../../../fixtures/native";
import { classicWorkspace, inboundWorkspace, InboundOptions, ipAccessLists, recipient, serviceDirect, transitEndpoint } from "../../../fixtures/inbound";

const ATTESTED = { "workspace-inbound-private-link": { attestations: [{ reason: "front-end and web-auth endpoints live in the hub stack", reference: "hub-prod" }] } };
const ACCOUNT_ATTESTED = { "account-ip-access-lists": { attestations: [{ reason: "account IP access lists enabled in the account console", reference: "SEC-142" }] } };
const OTHER_INBOUND = ["account-ip-access-lists", "workspace-ip-access-lists", "delta-sharing-ip-access-lists", "performance-services-private-link"] as const;

const wsId = (name: string) => `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-dbx/providers/Microsoft.Databricks/workspaces/${name}`;

/** The workspace's endpoints name it by an ARM ID written out (`target`) rather than by reference. */
function endpointsById(target: string) {
    return () => {
        nativeWorkspace({ publicNetworkAccess: "Disabled", endpointTarget: target });
        transitEndpoint("prod-auth", target, ["browser_authentication"], { dns: "hub" });
    };
}

/** publicNetworkAccess known only once a VNet exists (unknown at preview, "Enabled" at update). */
function unknownPublicAccess() {
    const gate = new network.VirtualNetwork("gate", { resourceGroupName: "rg-dbx", virtualNetworkName: "gate", addressSpace: { addressPrefixes: ["10.90.0.0/16"] } });
    inboundWorkspace({ publicNetworkAccess: gate.id.apply(() => "Enabled") as unknown as string });
}

/** Every inbound feature satisfied, or each broken in one part. */
function inboundStack(o: { publicNetworkAccess?: string; conf?: string; tokenList?: string[] } = {}) {
    return () => {
        const { workspace } = inboundWorkspace({ frontEnd: "transit", browserAuth: "self", publicNetworkAccess: o.publicNetworkAccess ?? "Disabled" });
        serviceDirect({ register: true });
        ipAccessLists(workspace, { conf: o.conf ?? "true" });
        recipient("partner", "TOKEN", o.tokenList ?? ["203.0.113.0/24"]);
    };
}
const BROKEN = { publicNetworkAccess: "Enabled", conf: "false", tokenList: ["0.0.0.0/0"] };

const iso = (o: InboundOptions) => () => inboundWorkspace(o);

export const cases: FeatureCases = {
    feature: "workspace-inbound-private-link",
    cases: [
        // Layouts that pass.
        {
            name: "simplified layout: the back-end endpoint in the workspace VNet serves users, browser_authentication to the workspace",
            program: iso({ frontEnd: "simplified", browserAuth: "self" }),
            expect: { "isolated-environment": [] },
        },
        {
            name: "standard layout: a front-end endpoint in a transit VNet and a web-auth workspace of the same region (update and preview)",
            program: iso({ frontEnd: "transit", browserAuth: "webauth" }),
            mode: "both",
            expect: { "isolated-environment": [] },
        },
        {
            name: "a workspace declared with a versioned azure-native token passes",
            program: iso({ workspaceToken: "azure-native:databricks/v20240501:Workspace" }),
            expect: { "isolated-environment": [] },
        },
        {
            name: "a workspace declared with a versioned azure-native token is judged: public access enabled fails",
            program: iso({ workspaceToken: "azure-native:databricks/v20240501:Workspace", publicNetworkAccess: "Enabled" }),
            expect: { "isolated-environment": [beforeCreation(mandatory("wrong", "prod-ws"))] },
        },
        {
            name: "endpoints that name the workspace by an ARM ID in other letter case pass",
            program: endpointsById(`/subscriptions/${SUBSCRIPTION}/RESOURCEGROUPS/RG-DBX/providers/microsoft.databricks/WORKSPACES/PROD-WS`),
            expect: { "isolated-environment": [] },
        },
        {
            name: "endpoints that name another workspace by ARM ID do not serve it: no front end, browser authentication only maybe (outside)",
            program: endpointsById(`/subscriptions/${SUBSCRIPTION}/RESOURCEGROUPS/RG-DBX/providers/microsoft.databricks/WORKSPACES/PROD-WS2`),
            expect: { "isolated-environment": [mandatory("missing", "prod-ws"), advisory("outside", "prod-ws")] },
        },
        {
            name: "classic provider: publicNetworkAccessEnabled false with databricks_ui_api and browser_authentication endpoints passes",
            program: () => classicWorkspace(),
            expect: { "isolated-environment": [] },
        },
        {
            name: "classic provider without the front-end endpoint fails",
            program: () => classicWorkspace({ frontEnd: false }),
            expect: { "isolated-environment": [mandatory("missing", "classic-ws")] },
        },

        // Public network access.
        {
            name: "publicNetworkAccess Enabled fails, refused before creation",
            program: iso({ publicNetworkAccess: "Enabled" }),
            expect: { "isolated-environment": [beforeCreation(mandatory("wrong", "prod-ws"))] },
        },
        {
            name: "publicNetworkAccess left at its default fails, refused before creation",
            program: () => {
                nativeWorkspace();
                transitEndpoint("prod-auth", pulumi.output(wsId("prod-ws")), ["browser_authentication"], { dns: "hub" });
            },
            expect: { "isolated-environment": [beforeCreation(mandatory("wrong", "prod-ws"))] },
        },
        {
            name: "classic: publicNetworkAccessEnabled true fails, refused before creation",
            program: () => classicWorkspace({ publicNetworkAccessEnabled: true }),
            expect: { "isolated-environment": [beforeCreation(mandatory("wrong", "classic-ws"))] },
        },
        {
            name: "publicNetworkAccess unknown at preview: advisory, never mandatory",
            program: unknownPublicAccess,
            mode: "preview",
            expect: { "isolated-environment": [beforeCreation(advisory("unknown", "prod-ws"))] },
        },
        {
            name: "the same publicNetworkAccess known at update (Enabled) fails",
            program: unknownPublicAccess,
            expect: { "isolated-environment": [beforeCreation(mandatory("wrong", "prod-ws"))] },
        },

        // The front-end endpoint.
        {
            name: "public access disabled and no databricks_ui_api endpoint: unreachable, fails (attestable)",
            program: iso({ frontEnd: "none" }),
            expect: { "isolated-environment": [mandatory("missing", "prod-ws")] },
        },
        {
            name: "a front-end endpoint in another stack, attested",
            program: iso({ frontEnd: "none" }),
            config: ATTESTED,
            expect: { "isolated-environment": [attested("missing", "prod-ws")] },
        },
        {
            name: "a databricks_ui_api endpoint to another workspace does not count",
            program: () => {
                inboundWorkspace({ frontEnd: "none" });
                transitEndpoint("stray-frontend", `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-other/providers/Microsoft.Databricks/workspaces/other-ws`, ["databricks_ui_api"]);
            },
            expect: { "isolated-environment": [mandatory("missing", "prod-ws")] },
        },

        // Browser authentication.
        {
            name: "no browser_authentication endpoint for the region fails (attestable)",
            program: iso({ browserAuth: "none" }),
            expect: { "isolated-environment": [mandatory("missing", "prod-ws")] },
        },
        {
            name: "no browser_authentication endpoint for the region, attested",
            program: iso({ browserAuth: "none" }),
            config: ATTESTED,
            expect: { "isolated-environment": [attested("missing", "prod-ws")] },
        },
        {
            name: "a web-auth workspace of another region does not serve this one (nor, alone in its region, is it a web-auth workspace)",
            program: iso({ browserAuth: "webauth", webAuthLocation: "northeurope" }),
            expect: { "isolated-environment": [mandatory("missing", "prod-ws"), mandatory("missing", "prod-webauth-ws")] },
        },
        {
            name: "an endpoint to a web-auth workspace of another stack: unverified (evidence outside), never a pass",
            program: iso({ browserAuth: "outside" }),
            expect: { "isolated-environment": [advisory("outside", "prod-ws")] },
        },

        {
            name: "Premium is a prerequisite: a Standard workspace fails, refused before creation",
            program: iso({ sku: "standard" }),
            expect: { "isolated-environment": [beforeCreation(mandatory("wrong", "prod-ws"))] },
        },
        {
            name: "no private DNS zone privatelink.azuredatabricks.net on the workspace's endpoints: a note",
            program: () => {
                const { workspace } = nativeWorkspace({ publicNetworkAccess: "Disabled", dnsZone: false });
                transitEndpoint("prod-auth", workspace.id, ["browser_authentication"], { dns: "none" });
            },
            expect: { "isolated-environment": [note("prod-ws")] },
        },
        {
            name: "several workspaces are judged separately",
            program: () => {
                inboundWorkspace({ name: "good" });
                inboundWorkspace({ name: "bad", publicNetworkAccess: "Enabled" });
            },
            expect: { "isolated-environment": [beforeCreation(mandatory("wrong", "bad-ws"))] },
        },
        {
            name: "not part of Managed security or Hardened connectivity",
            program: iso({ publicNetworkAccess: "Enabled", browserAuth: "none" }),
            expect: {
                "managed-security": "not-applicable",
                "hardened-connectivity": "not-applicable",
                "isolated-environment": [beforeCreation(mandatory("wrong", "prod-ws")), mandatory("missing", "prod-ws")],
            },
        },
        {
            name: "not applicable to a stack without a workspace",
            program: () => new network.VirtualNetwork("lonely", { resourceGroupName: "rg", addressSpace: { addressPrefixes: ["10.0.0.0/16"] } }),
            expect: { all: "not-applicable" },
        },

        // The inbound group on one stack.
        {
            name: "a fully isolated stack passes every inbound feature (account IP access lists attested)",
            program: inboundStack(),
            mode: "both",
            config: ACCOUNT_ATTESTED,
            alsoJudges: OTHER_INBOUND,
            expect: { "isolated-environment": [of("account-ip-access-lists", attested("missing"))] },
        },
        {
            name: "each broken inbound part is mandatory at Isolated; the WorkspaceConf's wrong value is reported on it, not on the workspace, and not before creation (an ingress policy may restrict instead)",
            program: inboundStack(BROKEN),
            alsoJudges: OTHER_INBOUND,
            expect: {
                "isolated-environment": [
                    beforeCreation(mandatory("wrong", "prod-ws")),
                    of("workspace-ip-access-lists", mandatory("wrong", "acl-conf")),
                    of("delta-sharing-ip-access-lists", beforeCreation(mandatory("wrong", "partner"))),
                    of("account-ip-access-lists", mandatory("missing")),
                ],
            },
        },
        {
            name: "Hardened connectivity skips the Private Link features of a broken stack; a user's advisory level is honoured",
            program: inboundStack(BROKEN),
            config: { "workspace-ip-access-lists": "advisory" },
            alsoJudges: OTHER_INBOUND,
            expect: {
                "hardened-connectivity": [
                    of("workspace-ip-access-lists", advisory("wrong", "acl-conf")),
                    of("delta-sharing-ip-access-lists", beforeCreation(mandatory("wrong", "partner"))),
                    of("account-ip-access-lists", mandatory("missing")),
                ],
            },
        },
        {
            name: "a stack tag asks for the stricter tier: Isolated enforced over a configured Hardened",
            program: inboundStack(BROKEN),
            tags: { "databricks-network-tier": "isolated-environment" },
            expect: { "hardened-connectivity": [beforeCreation(mandatory("wrong", "prod-ws"))] },
        },
    ],
};
