// Pass/fail cases of performance-services-private-link (fixtures/cases.ts says how they run).

import * as network from "@pulumi/azure-native/network";
import { FeatureCases, advisory, attested, mandatory, note } from "../../../fixtures/cases";
import { nativeWorkspace } from "../../../fixtures/native";
import { classicWorkspace, OTHER_SUB, SERVICE_DIRECT_PLS, serviceDirect } from "../../../fixtures/inbound";

const ISO = "isolated-environment";
const ATTESTED = { "performance-services-private-link": { attestations: [{ reason: "the westeurope Service Direct endpoint is in the connectivity hub stack" }] } };

/** A service_direct private endpoint (automatic connection) to `target`, in westeurope. */
function serviceDirectTo(target: string) {
    return () => {
        nativeWorkspace();
        const vnet = new network.VirtualNetwork("sd-vnet", { resourceGroupName: "rg-dbx", location: "westeurope", virtualNetworkName: "sd-vnet", addressSpace: { addressPrefixes: ["10.60.0.0/16"] } });
        const subnet = new network.Subnet("sd-subnet", { resourceGroupName: "rg-dbx", virtualNetworkName: vnet.name, subnetName: "sd-subnet", addressPrefix: "10.60.1.0/24" });
        new network.PrivateEndpoint("sd-endpoint", {
            resourceGroupName: "rg-dbx", location: "westeurope", subnet: { id: subnet.id },
            privateLinkServiceConnections: [{ name: "x", groupIds: ["service_direct"], privateLinkServiceId: target }],
        });
    };
}

export const cases: FeatureCases = {
    feature: "performance-services-private-link",
    cases: [
        {
            name: "a registered service_direct endpoint (manual connection) in the workspace's region passes (update and preview)",
            program: () => { nativeWorkspace(); serviceDirect({ register: true }); },
            mode: "both",
            expect: { [ISO]: [] },
        },
        {
            name: "an automatic connection in a stack without account resources passes, with a note about registration",
            program: () => { nativeWorkspace(); serviceDirect({ manual: false }); },
            expect: { [ISO]: [note("prod-ws")] },
        },
        {
            name: "a stack that manages account resources must register the endpoint (attestable)",
            program: () => { nativeWorkspace(); serviceDirect({ accountProvider: true }); },
            expect: { [ISO]: [mandatory("missing", "prod-ws")] },
        },
        {
            name: "the endpoint's region comes from its VNet when it sets no location, compared as Azure does (West Europe = westeurope)",
            // Not registered, so the registration's region cannot stand in for the endpoint's.
            // At preview the endpoint's location is not set; at update the mocks report the default location.
            program: () => { nativeWorkspace({ location: "West Europe" }); serviceDirect({ omitLocation: true }); },
            mode: "both",
            expect: { [ISO]: [note("prod-ws")] },
        },
        {
            name: "an endpoint without location whose VNet is in another region does not serve the workspace",
            program: () => { nativeWorkspace({ location: "West Europe" }); serviceDirect({ omitLocation: true, location: "northeurope" }); },
            mode: "preview",
            expect: { [ISO]: [mandatory("missing", "prod-ws")] },
        },
        {
            name: "a classic provider endpoint serves a classic workspace",
            program: () => { classicWorkspace(); serviceDirect({ classic: true, register: true }); },
            expect: { [ISO]: [] },
        },
        {
            name: "a classic workspace without a service_direct endpoint fails",
            program: () => classicWorkspace(),
            expect: { [ISO]: [mandatory("missing", "classic-ws")] },
        },
        {
            name: "a workspace declared with a versioned token passes with a registered endpoint",
            program: () => { nativeWorkspace({ workspaceToken: "azure-native:databricks/v20240501:Workspace" }); serviceDirect({ register: true }); },
            expect: { [ISO]: [] },
        },
        {
            name: "a workspace declared with a versioned token is judged: without an endpoint it fails",
            program: () => nativeWorkspace({ workspaceToken: "azure-native:databricks/v20240501:Workspace" }),
            expect: { [ISO]: [mandatory("missing", "prod-ws")] },
        },
        {
            name: "no service_direct endpoint fails (attestable)",
            program: () => nativeWorkspace(),
            expect: { [ISO]: [mandatory("missing", "prod-ws")] },
        },
        {
            name: "no service_direct endpoint, attested",
            program: () => nativeWorkspace(),
            config: ATTESTED,
            expect: { [ISO]: [attested("missing", "prod-ws")] },
        },
        {
            name: "an endpoint of another region does not serve the workspace",
            program: () => { nativeWorkspace(); serviceDirect({ register: true, location: "northeurope" }); },
            expect: { [ISO]: [mandatory("missing", "prod-ws")] },
        },
        {
            name: "a service_direct connection to something other than a Private Link Service does not count",
            program: serviceDirectTo(`/subscriptions/${OTHER_SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/data`),
            expect: { [ISO]: [mandatory("missing", "prod-ws")] },
        },
        {
            name: "the same connection to the regional Private Link Service serves the workspace",
            program: serviceDirectTo(SERVICE_DIRECT_PLS),
            expect: { [ISO]: [note("prod-ws")] },
        },
        {
            name: "group IDs unknown at preview: advisory, never mandatory",
            program: () => {
                nativeWorkspace();
                const vnet = new network.VirtualNetwork("sd-vnet", { resourceGroupName: "rg-dbx", location: "westeurope", virtualNetworkName: "sd-vnet", addressSpace: { addressPrefixes: ["10.60.0.0/16"] } });
                new network.PrivateEndpoint("sd", {
                    resourceGroupName: "rg-dbx", location: "westeurope", subnet: { id: vnet.id.apply(id => `${id}/subnets/pe`) },
                    manualPrivateLinkServiceConnections: [{ name: "sd", privateLinkServiceId: SERVICE_DIRECT_PLS, groupIds: [vnet.name.apply(() => "service_direct")] }],
                });
            },
            mode: "preview",
            expect: { [ISO]: [advisory("unknown", "prod-ws")] },
        },
        {
            name: "one endpoint per region: several workspaces are judged by their region",
            program: () => {
                nativeWorkspace({ name: "we" });
                nativeWorkspace({ name: "we2" });
                nativeWorkspace({ name: "ne", location: "northeurope" });
                serviceDirect({ register: true });
            },
            expect: { [ISO]: [mandatory("missing", "ne-ws")] },
        },
        {
            name: "Premium is a prerequisite: a Standard workspace fails even with a registered endpoint",
            program: () => { nativeWorkspace({ sku: "standard" }); serviceDirect({ register: true }); },
            expect: { [ISO]: [mandatory("wrong", "prod-ws")] },
        },
        {
            name: "not part of Managed security or Hardened connectivity",
            program: () => nativeWorkspace(),
            expect: { "managed-security": "not-applicable", "hardened-connectivity": "not-applicable" },
        },
        {
            name: "not applicable without workspaces",
            program: () => serviceDirect({ register: true }),
            expect: { [ISO]: "not-applicable" },
        },
    ],
};
