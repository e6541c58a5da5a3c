import * as assert from "assert";
import * as network from "@pulumi/azure-native/network";
import * as databricks from "@pulumi/azure-native/databricks";
import { check } from "../harness/check";
import { nativeWorkspace } from "../../support/fixtures/native";
import { classicWorkspace } from "../../support/fixtures/classic";

const F = "vnet-injection";

describe(F, () => {
    describe("azure-native", () => {
        for (const subnets of ["standalone", "inline"] as const) {
            it(`passes delegated subnets with an NSG (${subnets} subnets)`, async () => {
                const v = await check(() => nativeWorkspace({ subnets }));
                assert.deepStrictEqual(v.of(F), [], v.toString());
            });

            it(`fails subnets that are not delegated to Microsoft.Databricks/workspaces (${subnets})`, async () => {
                const v = await check(() => nativeWorkspace({ subnets, delegate: false }));
                const m = v.mandatory(F);
                assert.strictEqual(m.length, 2, v.toString());
                assert.ok(m.every(d => /delegated to nothing/.test(d.message) && /Missing: a delegation to Microsoft\.Databricks\/workspaces/.test(d.message)), v.toString());
            });

            it(`fails subnets without a network security group (${subnets})`, async () => {
                const v = await check(() => nativeWorkspace({ subnets, nsg: false }));
                const m = v.mandatory(F);
                assert.strictEqual(m.length, 2, v.toString());
                assert.ok(m.every(d => /has no network security group/.test(d.message)), v.toString());
            });
        }

        it("passes at preview when the subnets are Subnet resources the workspace depends on", async () => {
            const v = await check(() => nativeWorkspace(), { preview: true });
            assert.deepStrictEqual(v.of(F), [], v.toString());
        });

        it("at preview, inline subnets behind an unknown parameters object are unverified, not passed", async () => {
            const v = await check(() => nativeWorkspace({ subnets: "inline" }), { preview: true });
            assert.deepStrictEqual(v.mandatory(F), [], v.toString());
            const a = v.advisory(F);
            assert.strictEqual(a.length, 1, v.toString());
            assert.match(a[0].message, /Not verified: the VNet ID, host \(public\) subnet name, container \(private\) subnet name are unknown until apply/);
        });

        it("fails a workspace without VNet injection (Databricks-managed VNet)", async () => {
            const v = await check(() => nativeWorkspace({ subnets: "none", backend: "none" }));
            const m = v.mandatory(F);
            assert.strictEqual(m.length, 1, v.toString());
            assert.strictEqual(m[0].urn, v.urn("prod-ws"));
            assert.match(m[0].message, /sets no VNet ID, no host \(public\) subnet name, no container \(private\) subnet name/);
        });

        it("resolves subnets at preview through the workspace's dependencies when their names are unknown", async () => {
            const v = await check(() => nativeWorkspace({ delegate: false }), { preview: true });
            assert.strictEqual(v.mandatory(F).length, 2, v.toString());
        });

        it("judges subnets of a VNet in another stack as unverified, and an attestation covers them", async () => {
            const external = "/subscriptions/0000/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/hub-spoke";
            const program = () => new databricks.Workspace("ext-ws", {
                resourceGroupName: "rg", workspaceName: "ext-ws", managedResourceGroupId: "/subscriptions/0000/resourceGroups/m",
                sku: { name: "premium" },
                parameters: { customVirtualNetworkId: { value: external }, customPublicSubnetName: { value: "host" }, customPrivateSubnetName: { value: "container" } },
            });
            const v = await check(program);
            assert.deepStrictEqual(v.mandatory(F), [], v.toString());
            const a = v.advisory(F);
            assert.strictEqual(a.length, 2, v.toString());
            assert.ok(a.every(d => /Not verified: .*not declared in this stack/.test(d.message) && /attest it/.test(d.message)), v.toString());

            const attested = await check(program, { config: { [F]: { attestations: [{ reason: "spoke subnets owned by the network stack", reference: "stack net/prod" }] } } });
            assert.deepStrictEqual(attested.mandatory(F), []);
            assert.ok(attested.advisory(F).length === 2 && attested.advisory(F).every(d => /Attested outside this stack: spoke subnets owned by the network stack \(reference: stack net\/prod\)/.test(d.message)), attested.toString());
        });

        it("finds Subnet resources of an external VNet by ARM ID in another letter case", async () => {
            const program = () => {
                const nsg = new network.NetworkSecurityGroup("nsg", { resourceGroupName: "RG-HUB", networkSecurityGroupName: "nsg" });
                for (const role of ["host", "container"]) {
                    new network.Subnet(role, {
                        resourceGroupName: "RG-HUB", virtualNetworkName: "Hub-Spoke", subnetName: role, addressPrefix: "10.0.0.0/24",
                        networkSecurityGroup: { id: nsg.id },
                        delegations: role === "host" ? [{ name: "d", serviceName: "Microsoft.Databricks/workspaces" }] : [],
                    });
                }
                new databricks.Workspace("ext-ws", {
                    resourceGroupName: "rg", workspaceName: "ext-ws", managedResourceGroupId: "/subscriptions/0000/resourceGroups/m", sku: { name: "premium" },
                    parameters: {
                        customVirtualNetworkId: { value: "/subscriptions/0000/resourcegroups/rg-hub/providers/microsoft.network/virtualnetworks/hub-spoke" },
                        customPublicSubnetName: { value: "host" }, customPrivateSubnetName: { value: "container" },
                    },
                });
            };
            const v = await check(program);
            const m = v.mandatory(F);
            assert.strictEqual(m.length, 1, v.toString());
            assert.match(m[0].message, /Databricks subnet "container"/);
        });

        it("judges two workspaces in one stack separately", async () => {
            const v = await check(() => {
                nativeWorkspace({ name: "good" });
                nativeWorkspace({ name: "bad", nsg: false });
            });
            const m = v.mandatory(F);
            assert.strictEqual(m.length, 2, v.toString());
            assert.ok(m.every(d => d.urn === v.urn("bad-ws")), v.toString());
        });

        it("is not applicable to serverless workspaces' classic network", async () => {
            const v = await check(() => nativeWorkspace({ computeMode: "Serverless", subnets: "none", backend: "none" }));
            assert.deepStrictEqual(v.of(F), [], v.toString());
        });
    });

    describe("classic azure", () => {
        for (const inlineSubnets of [false, true]) {
            const form = inlineSubnets ? "inline subnets" : "Subnet + SubnetNetworkSecurityGroupAssociation";
            it(`passes delegated subnets with NSGs (${form}, update and preview)`, async () => {
                for (const preview of [false, true]) {
                    const v = await check(() => classicWorkspace({ inlineSubnets }), { preview });
                    assert.deepStrictEqual(v.of(F), [], `${preview ? "preview" : "update"}:\n${v}`);
                }
            });

            it(`fails subnets without NSG (${form})`, async () => {
                const v = await check(() => classicWorkspace({ inlineSubnets, nsg: false }));
                assert.strictEqual(v.mandatory(F).length, 2, v.toString());
            });

            it(`fails undelegated subnets (${form})`, async () => {
                const v = await check(() => classicWorkspace({ inlineSubnets, delegate: false }));
                assert.strictEqual(v.mandatory(F).length, 2, v.toString());
            });
        }
    });
});
