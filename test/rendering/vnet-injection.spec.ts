// Which subnet a vnet-injection problem is about shows only in its wording: subnets whose names are
// unknown at preview are given their role through the workspace's dependencies, never by
// declaration order, so the same problems read the same at preview and update.

import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as databricks from "@pulumi/azure-native/databricks";
import { decideOn, InProcessVerdict } from "../../support/verdicts";

function program() {
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
}

const texts = (v: InProcessVerdict) => v.diagnostics()
    .filter(d => d.enforcementLevel === "mandatory" && d.policyName === "vnet-injection")
    .map(d => d.message).sort();

describe("vnet-injection: subnet roles in the wording", () => {
    it("subnets named by outputs unknown at preview read the same at preview and update", async () => {
        const [preview, update] = [await decideOn(program, { preview: true }), await decideOn(program)];
        assert.strictEqual(texts(update).length, 2, update.toString());
        assert.deepStrictEqual(texts(preview), texts(update));
        assert.ok(texts(update).some(m => /subnet "host" .* is delegated to nothing/.test(m)), update.toString());
        assert.ok(texts(update).some(m => /subnet "container" .* has no network security group/.test(m)), update.toString());
    });
});
