import * as assert from "assert";
import { check } from "../harness/check";
import { nativeWorkspace } from "../../support/fixtures/native";
import { ncc, nccBinding, nccRule } from "../../support/fixtures/outbound";
import { classicStorage, dataStorage, externalLocation } from "../../support/fixtures/outbound-network";

const F = "serverless-stable-ips";
const NCC_SUBNET = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/prod-westeurope-nephos/providers/Microsoft.Network/virtualNetworks/kaas-vnet/subnets/worker-subnet";
const NCC_OUTPUTS = { ncc: { egressConfig: { defaultRules: { azureServiceEndpointRule: { subnets: [NCC_SUBNET], targetRegion: "westeurope" } } } } };

describe(F, () => {
    it("passes a plain workspace in every tier: Databricks provides stable IPs", async () => {
        for (const tier of ["managed-security", "hardened-connectivity", "isolated-environment"] as const) {
            const v = await check(() => nativeWorkspace(), { tier });
            assert.deepStrictEqual(v.of(F), [], v.toString());
        }
    });

    it("fails a workspace bound to an NCC of another region (mandatory in Managed security)", async () => {
        const v = await check(() => {
            const { workspace } = nativeWorkspace();
            nccBinding("bind", ncc("ncc", "eastus2"), workspace);
        });
        const m = v.mandatory(F);
        assert.strictEqual(m.length, 1, v.toString());
        assert.strictEqual(m[0].urn, v.urn("prod-ws"));
        assert.match(m[0].message, /region "eastus2", but the workspace is in "westeurope"/);
    });

    it("fails a Deny storage firewall that neither allows the NCC subnets nor has an NCC rule; an attestation covers it", async () => {
        const program = () => {
            const { workspace } = nativeWorkspace();
            nccBinding("bind", ncc("ncc"), workspace);
            dataStorage({ defaultAction: "Deny" });
            externalLocation("lake-data", "lake");
        };
        const v = await check(program, { outputs: NCC_OUTPUTS });
        assert.strictEqual(v.mandatory(F).length, 1, v.toString());
        assert.match(v.mandatory(F)[0].message, /storage "lake" .* Deny firewall that allows none of the NCC's subnets/);
        const attested = await check(program, { outputs: NCC_OUTPUTS, config: { [F]: { attestations: [{ reason: "NCC rule in account stack" }] } } });
        assert.deepStrictEqual(attested.mandatory(F), [], attested.toString());
        assert.match(attested.advisory(F)[0]?.message ?? "", /Attested outside this stack/);
    });

    it("passes a Deny storage firewall that allows the NCC's published subnets (IDs in other letter case)", async () => {
        const v = await check(() => {
            const { workspace } = nativeWorkspace();
            nccBinding("bind", ncc("ncc"), workspace);
            dataStorage({ defaultAction: "Deny", subnetIds: [NCC_SUBNET.toUpperCase().replace("/SUBSCRIPTIONS/", "/subscriptions/")] });
        }, { outputs: NCC_OUTPUTS });
        assert.deepStrictEqual(v.of(F), [], v.toString());
    });

    it("passes a Deny storage firewall reached by an NCC private endpoint rule (update and preview)", async () => {
        for (const preview of [false, true]) {
            const v = await check(() => {
                const { workspace } = nativeWorkspace();
                const config = ncc("ncc");
                nccBinding("bind", config, workspace);
                nccRule("blob", config, dataStorage({ defaultAction: "Deny" }).id);
            }, { preview });
            assert.deepStrictEqual(v.of(F), [], `preview=${preview}\n${v.toString()}`);
        }
    });

    it("a Deny firewall allowing subnets outside the stack (maybe the NCC's) is unverified, not mandatory", async () => {
        const v = await check(() => {
            nativeWorkspace();
            dataStorage({ defaultAction: "Deny", subnetIds: [NCC_SUBNET] });
            externalLocation("lake-data", "lake");
        });
        assert.deepStrictEqual(v.mandatory(F), [], v.toString());
        assert.match(v.advisory(F)[0]?.message ?? "", /Not verified: .*allowing subnets outside this stack/);
    });

    it("classic storage closed by an AccountNetworkRules resource fails without NCC access", async () => {
        const v = await check(() => {
            nativeWorkspace();
            classicStorage("classiclake", true);
            externalLocation("lake-data", "classiclake");
        });
        assert.strictEqual(v.mandatory(F).length, 1, v.toString());
        const open = await check(() => {
            nativeWorkspace();
            classicStorage("classiclake", false);
        });
        assert.deepStrictEqual(open.of(F), [], open.toString());
    });

    it("judges several workspaces separately", async () => {
        const v = await check(() => {
            const a = nativeWorkspace({ name: "a" }).workspace;
            const b = nativeWorkspace({ name: "b" }).workspace;
            nccBinding("bind-a", ncc("ncc-a"), a);
            nccBinding("bind-b", ncc("ncc-b", "northeurope"), b);
        });
        const m = v.mandatory(F);
        assert.strictEqual(m.length, 1, v.toString());
        assert.strictEqual(m[0].urn, v.urn("b-ws"));
    });
});
