// Serverless-only workspaces (computeMode "Serverless") have no classic compute plane: the classic
// compute features and the firewall on classic subnets do not apply to them, in stack and resource
// policies, at preview and update; a classic workspace beside them is judged as ever.

import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/azure-native/databricks";
import * as network from "@pulumi/azure-native/network";
import { check } from "../harness/check";
import { nativeWorkspace } from "../../support/fixtures/native";
import { classicWorkspace } from "../../support/fixtures/classic";
import { classicWorkspace as classicInbound } from "../../support/fixtures/inbound";

const CLASSIC = ["secure-cluster-connectivity", "vnet-injection", "classic-compute-private-link", "external-firewall"];

function serverless(name: string, computeMode: string | (() => unknown) = "Serverless") {
    return () => new databricks.Workspace(name, {
        resourceGroupName: "rg", location: "westeurope", workspaceName: name, sku: { name: "premium" },
        computeMode: typeof computeMode === "string" ? computeMode : (computeMode() as string),
    } as databricks.WorkspaceArgs);
}

describe("serverless-only workspaces", () => {
    it("classic compute features and the firewall are not applicable, saying why, at preview and update", async () => {
        for (const preview of [false, true]) {
            for (const mode of ["Serverless", "serverless"]) {
                const v = await check(serverless("sl", mode), { tier: "isolated-environment", preview });
                for (const f of CLASSIC) {
                    assert.deepStrictEqual(v.of(f), [], `${f} preview=${preview}\n${v.toString()}`);
                    assert.match(v.notApplicable(f) ?? "", /serverless-only workspace \(computeMode "Serverless"\): no classic compute plane/, f);
                }
                // Every other feature is judged as for any workspace.
                assert.ok(v.mandatory("workspace-inbound-private-link").length > 0, v.toString());
                assert.ok(v.mandatory("serverless-egress-control").length > 0, v.toString());
            }
        }
    });

    it("a stack mixing serverless and classic workspaces judges each by its own mode", async () => {
        const v = await check(() => { serverless("sl")(); nativeWorkspace({ requiredNsgRules: "AllRules", noPublicIp: false }); }, { tier: "isolated-environment" });
        for (const f of CLASSIC) {
            assert.strictEqual(v.notApplicable(f), undefined, f);
            assert.ok(v.of(f).every(d => d.urn !== v.urn("sl")), `${f}\n${v.toString()}`);
        }
        assert.ok(v.mandatory("classic-compute-private-link").some(d => d.urn === v.urn("prod-ws")), v.toString());
        assert.ok(v.mandatory("secure-cluster-connectivity").some(d => d.urn === v.urn("prod-ws")), v.toString());
    });

    it("a computeMode unknown until apply is advisory, never a classic refusal before creation", async () => {
        const v = await check(() => {
            const vnet = new network.VirtualNetwork("v", { resourceGroupName: "rg", virtualNetworkName: "v", addressSpace: { addressPrefixes: ["10.0.0.0/16"] } });
            serverless("sl", () => vnet.name.apply(() => "Serverless"))();
        }, { tier: "isolated-environment", preview: true });
        for (const f of CLASSIC) {
            assert.deepStrictEqual(v.mandatory(f), [], `${f}\n${v.toString()}`);
            assert.ok(v.advisory(f).some(d => /computeMode is unknown until apply/.test(d.message)), `${f}\n${v.toString()}`);
        }
    });
});

describe("messages right for the program in front of the user", () => {
    it("a classic @pulumi/azure workspace gets azurerm-style fixes; an azure-native one azure-native fixes", async () => {
        const cl = await check(() => classicInbound({ publicNetworkAccessEnabled: false, frontEnd: false, browserAuth: false }), { tier: "isolated-environment" });
        const clFixes = cl.mandatory().map(d => d.message).filter(m => /private endpoint/.test(m)).join("\n");
        assert.match(clFixes, /new azure\.privatelink\.Endpoint\(/, cl.toString());
        assert.doesNotMatch(clFixes, /azure_native\.network\.PrivateEndpoint/);
        const scc = await check(() => classicWorkspace({ noPublicIp: false }), {});
        assert.match(scc.mandatory("secure-cluster-connectivity")[0].message, /customParameters: \{ noPublicIp: true/);
        const native = await check(() => nativeWorkspace({ backend: "none" }), {});
        assert.match(native.mandatory("classic-compute-private-link")[0].message, /new azure_native\.network\.PrivateEndpoint\(/);
    });

    it("subnets whose names are unknown at preview are never given a role: the same problems read the same at preview and update", async () => {
        const program = () => {
            const vnet = new network.VirtualNetwork("v", { resourceGroupName: "rg", virtualNetworkName: "v", addressSpace: { addressPrefixes: ["10.0.0.0/16"] } });
            const nsg = new network.NetworkSecurityGroup("nsg", { resourceGroupName: "rg", networkSecurityGroupName: "nsg" });
            const delegations = [{ name: "dbx", serviceName: "Microsoft.Databricks/workspaces" }];
            // Declared container first: dependency order is not the host/container order.
            const container = new network.Subnet("container", { resourceGroupName: "rg", virtualNetworkName: vnet.name, subnetName: "container", addressPrefix: "10.0.2.0/24", delegations });
            const host = new network.Subnet("host", { resourceGroupName: "rg", virtualNetworkName: vnet.name, subnetName: "host", addressPrefix: "10.0.1.0/24", networkSecurityGroup: { id: nsg.id } });
            new databricks.Workspace("ws", {
                resourceGroupName: "rg", workspaceName: "ws", managedResourceGroupId: "/subscriptions/0/resourceGroups/m", sku: { name: "premium" }, requiredNsgRules: "NoAzureDatabricksRules",
                parameters: { enableNoPublicIp: { value: true }, customVirtualNetworkId: { value: vnet.id }, customPublicSubnetName: { value: host.name as pulumi.Output<string> }, customPrivateSubnetName: { value: container.name as pulumi.Output<string> } },
            });
        };
        const [preview, update] = [await check(program, { preview: true }), await check(program, {})];
        const texts = (v: typeof preview) => v.mandatory("vnet-injection").map(d => d.message).sort();
        assert.strictEqual(texts(update).length, 2, update.toString());
        assert.deepStrictEqual(texts(preview), texts(update));
        assert.ok(texts(update).some(m => /subnet "host" .* is delegated to nothing/.test(m)), update.toString());
        assert.ok(texts(update).some(m => /subnet "container" .* has no network security group/.test(m)), update.toString());
    });
});
