// Pass/fail cases of external-firewall (fixtures/cases.ts says how they run).

import * as network from "@pulumi/azure-native/network";
import { FeatureCases, advisory, attested, mandatory } from "../../../fixtures/cases";
import { nativeWorkspace, serverlessWorkspace } from "../../../fixtures/native";
import { classicRoutedWorkspace, FIREWALL_OUTPUTS, FW_IP, routedWorkspace } from "../../../fixtures/outbound-network";

const VERSIONED_ROUTE_TABLE = "azure-native:network/v20230901:RouteTable";

export const cases: FeatureCases = {
    feature: "external-firewall",
    cases: [
        {
            name: "both subnets routed 0.0.0.0/0 → VirtualAppliance at the stack's Azure Firewall pass (update: by private IP; preview: through the route's dependencies)",
            program: () => routedWorkspace(),
            mode: "both",
            outputs: FIREWALL_OUTPUTS,
            expect: { all: [] },
        },
        {
            name: "Route resources pass at update and preview",
            program: () => routedWorkspace({ routeForm: "resources" }),
            mode: "both",
            outputs: FIREWALL_OUTPUTS,
            expect: { "isolated-environment": [] },
        },
        {
            name: "Route resources and subnets inline in the VNet pass",
            program: () => routedWorkspace({ routeForm: "resources", subnetForm: "inline" }),
            outputs: FIREWALL_OUTPUTS,
            expect: { "isolated-environment": [] },
        },
        {
            name: "a default route to Internet on the host subnet fails (the container subnet's firewall route passes)",
            program: () => routedWorkspace({ host: "internet", container: "firewall" }),
            outputs: FIREWALL_OUTPUTS,
            expect: { "isolated-environment": [mandatory("wrong", "prod-ws")] },
        },
        {
            name: "at preview, inline subnets behind unknown workspace parameters are unverified, neither passed nor mandatory",
            program: () => routedWorkspace({ subnetForm: "inline", host: "internet" }),
            mode: "preview",
            expect: { "isolated-environment": [advisory("unknown", "prod-ws"), advisory("unknown", "prod-ws")] },
        },
        {
            name: "the same inline subnets at update fail: the default routes go to Internet",
            program: () => routedWorkspace({ subnetForm: "inline", host: "internet" }),
            expect: { "isolated-environment": [mandatory("wrong", "prod-ws"), mandatory("wrong", "prod-ws")] },
        },
        {
            name: "route tables without routes fail on both subnets",
            program: () => routedWorkspace({ host: "empty" }),
            expect: { "isolated-environment": [mandatory("wrong", "prod-ws"), mandatory("wrong", "prod-ws")] },
        },
        {
            name: "a NAT gateway instead of a route table is no firewall: both subnets lack a route table",
            program: () => routedWorkspace({ host: "none", natGateway: true }),
            expect: { "isolated-environment": [mandatory("missing", "prod-ws"), mandatory("missing", "prod-ws")] },
        },
        {
            name: "a route table on only the host subnet fails the container subnet",
            program: () => routedWorkspace({ host: "firewall", container: "none" }),
            outputs: FIREWALL_OUTPUTS,
            expect: { "isolated-environment": [mandatory("missing", "prod-ws")] },
        },
        {
            name: "a next hop IP of a hub in another stack is unverified (outside), not mandatory",
            program: () => routedWorkspace({ host: { ip: "10.99.0.4" }, firewall: false }),
            expect: { "isolated-environment": [advisory("outside", "prod-ws"), advisory("outside", "prod-ws")] },
        },
        {
            name: "an attestation of the hub firewall covers a next hop IP of another stack",
            program: () => routedWorkspace({ host: { ip: "10.99.0.4" }, firewall: false }),
            config: { "external-firewall": { attestations: [{ reason: "hub firewall 10.99.0.4", reference: "stacks/hub" }] } },
            expect: { "isolated-environment": [attested("outside", "prod-ws"), attested("outside", "prod-ws")] },
        },
        {
            name: "a literal next hop equal to the stack firewall's known private IP passes",
            program: () => routedWorkspace({ host: { ip: FW_IP } }),
            outputs: FIREWALL_OUTPUTS,
            expect: { "isolated-environment": [] },
        },
        {
            name: "a literal next hop one address off the stack firewall's private IP is no firewall of this stack",
            program: () => routedWorkspace({ host: { ip: "10.0.1.5" } }),
            outputs: FIREWALL_OUTPUTS,
            expect: { "isolated-environment": [advisory("outside", "prod-ws"), advisory("outside", "prod-ws")] },
        },
        {
            name: "at preview, a literal next hop that may be the stack's firewall (its IP unknown) is unverified, not mandatory",
            program: () => routedWorkspace({ host: { ip: FW_IP } }),
            mode: "preview",
            expect: { "isolated-environment": [advisory("unknown", "prod-ws"), advisory("unknown", "prod-ws")] },
        },
        {
            name: "a versioned RouteTable token is recognised: its default route to Internet fails",
            program: () => routedWorkspace({ routeTableToken: VERSIONED_ROUTE_TABLE, host: "internet" }),
            expect: { "isolated-environment": [mandatory("wrong", "prod-ws"), mandatory("wrong", "prod-ws")] },
        },
        {
            name: "a versioned RouteTable token routed to the stack's firewall passes",
            program: () => routedWorkspace({ routeTableToken: VERSIONED_ROUTE_TABLE }),
            outputs: FIREWALL_OUTPUTS,
            expect: { "isolated-environment": [] },
        },
        {
            name: "classic provider: Route resources and SubnetRouteTableAssociations to an azure Firewall pass (update and preview)",
            program: () => classicRoutedWorkspace(),
            mode: "both",
            expect: { "isolated-environment": [] },
        },
        {
            name: "classic provider: a default route to Internet fails both subnets",
            program: () => classicRoutedWorkspace({ hop: "internet" }),
            expect: { "isolated-environment": [mandatory("wrong", "classic-ws"), mandatory("wrong", "classic-ws")] },
        },
        {
            name: "classic provider: a route table associated with the host subnet only fails the container subnet",
            program: () => classicRoutedWorkspace({ associate: "host" }),
            expect: { "isolated-environment": [mandatory("missing", "classic-ws")] },
        },
        {
            name: "several workspaces are judged separately",
            program: () => {
                routedWorkspace({ name: "a" });
                routedWorkspace({ name: "b", host: "internet" });
            },
            outputs: FIREWALL_OUTPUTS,
            expect: { "isolated-environment": [mandatory("wrong", "b-ws"), mandatory("wrong", "b-ws")] },
        },
        {
            name: "a workspace without route tables fails: advisory where the firewall is optional, mandatory in Isolated",
            program: () => nativeWorkspace(),
            expect: {
                "managed-security": [advisory("missing", "prod-ws"), advisory("missing", "prod-ws")],
                "hardened-connectivity": [advisory("missing", "prod-ws"), advisory("missing", "prod-ws")],
                "isolated-environment": [mandatory("missing", "prod-ws"), mandatory("missing", "prod-ws")],
            },
        },
        {
            name: "a serverless-only workspace (computeMode \"Serverless\") has no classic subnets to route: not applicable",
            program: () => serverlessWorkspace("sl"),
            mode: "both",
            expect: { all: "not-applicable" },
        },
        {
            name: "computeMode in other letter case (\"serverless\") is serverless-only too",
            program: () => serverlessWorkspace("sl", "serverless"),
            mode: "both",
            expect: { "isolated-environment": "not-applicable" },
        },
        {
            name: "a stack mixing serverless and classic workspaces judges each by its own mode: only the classic one lacks routes",
            program: () => {
                serverlessWorkspace("sl");
                nativeWorkspace({ requiredNsgRules: "AllRules", noPublicIp: false });
            },
            expect: { "isolated-environment": [mandatory("missing", "prod-ws"), mandatory("missing", "prod-ws")] },
        },
        {
            name: "a workspace of another compute mode (\"Hybrid\") has a classic plane: without a VNet its egress cannot reach a firewall",
            program: () => serverlessWorkspace("sl", "Hybrid"),
            expect: { "isolated-environment": [mandatory("wrong", "sl")] },
        },
        {
            name: "at preview, a computeMode unknown until apply is unverified, never mandatory",
            program: () => {
                const vnet = new network.VirtualNetwork("v", { resourceGroupName: "rg", virtualNetworkName: "v", addressSpace: { addressPrefixes: ["10.0.0.0/16"] } });
                serverlessWorkspace("sl", () => vnet.name.apply(() => "Serverless"));
            },
            mode: "preview",
            expect: { "isolated-environment": [advisory("unknown", "sl")] },
        },
    ],
};
