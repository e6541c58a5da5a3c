import * as assert from "assert";
import { check } from "../harness/check";
import { nativeWorkspace } from "../../support/fixtures/native";
import { classicRoutedWorkspace, FIREWALL_OUTPUTS, FW_IP, routedWorkspace } from "../../support/fixtures/outbound-network";

const F = "external-firewall";
const I = { tier: "isolated-environment" as const };

describe(F, () => {
    it("passes both subnets routed 0.0.0.0/0 → VirtualAppliance at the stack's Azure Firewall (update: by private IP)", async () => {
        const v = await check(() => routedWorkspace(), { ...I, outputs: FIREWALL_OUTPUTS });
        assert.deepStrictEqual(v.of(F), [], v.toString());
    });

    it("passes at preview: the firewall's IP is unknown and resolves through the route's dependencies", async () => {
        const v = await check(() => routedWorkspace(), { ...I, preview: true });
        assert.deepStrictEqual(v.of(F), [], v.toString());
    });

    it("passes Route resources (update and preview) and inline VNet subnets", async () => {
        for (const preview of [false, true]) {
            const v = await check(() => routedWorkspace({ routeForm: "resources" }), { ...I, preview, outputs: FIREWALL_OUTPUTS });
            assert.deepStrictEqual(v.of(F), [], `preview=${preview}\n${v.toString()}`);
        }
        const inline = await check(() => routedWorkspace({ routeForm: "resources", subnetForm: "inline" }), { ...I, outputs: FIREWALL_OUTPUTS });
        assert.deepStrictEqual(inline.of(F), [], inline.toString());
    });

    it("at preview, inline subnets behind unknown workspace parameters are unverified, not passed nor mandatory", async () => {
        const v = await check(() => routedWorkspace({ subnetForm: "inline", host: "internet" }), { ...I, preview: true });
        assert.deepStrictEqual(v.mandatory(F), [], v.toString());
        assert.ok(v.advisory(F).length > 0 && v.advisory(F).every(d => /Not verified: .*unknown until apply/.test(d.message)), v.toString());
    });

    it("fails a default route to Internet (mandatory in Isolated)", async () => {
        const v = await check(() => routedWorkspace({ host: "internet", container: "firewall" }), { ...I, outputs: FIREWALL_OUTPUTS });
        const m = v.mandatory(F);
        assert.strictEqual(m.length, 1, v.toString());
        assert.strictEqual(m[0].urn, v.urn("prod-ws"));
        assert.match(m[0].message, /default route .* goes to "Internet", not to a firewall/);
        assert.match(m[0].message, /Fix: .*VirtualAppliance/);
    });

    it("fails an empty route table, and a NAT gateway instead of a firewall", async () => {
        const empty = await check(() => routedWorkspace({ host: "empty" }), I);
        assert.strictEqual(empty.mandatory(F).length, 2, empty.toString());
        assert.match(empty.mandatory(F)[0].message, /which has no routes/);
        const nat = await check(() => routedWorkspace({ host: "none", natGateway: true }), I);
        assert.strictEqual(nat.mandatory(F).length, 2, nat.toString());
        assert.match(nat.mandatory(F)[0].message, /has no route table \(it has a NAT gateway/);
    });

    it("fails a route table on only one subnet", async () => {
        const v = await check(() => routedWorkspace({ host: "firewall", container: "none" }), { ...I, outputs: FIREWALL_OUTPUTS });
        const m = v.mandatory(F);
        assert.strictEqual(m.length, 1, v.toString());
        assert.match(m[0].message, /Databricks subnet "[a-z-]*container" .* has no route table/);
    });

    it("a next hop IP of a hub in another stack is unverified; an attestation makes it \"Attested\"", async () => {
        const v = await check(() => routedWorkspace({ host: { ip: "10.99.0.4" }, firewall: false }), I);
        assert.deepStrictEqual(v.mandatory(F), [], v.toString());
        const a = v.advisory(F);
        assert.strictEqual(a.length, 2, v.toString());
        assert.match(a[0].message, /VirtualAppliance 10\.99\.0\.4, which is no firewall or appliance of this stack/);
        const attested = await check(() => routedWorkspace({ host: { ip: "10.99.0.4" }, firewall: false }), {
            ...I, config: { [F]: { attestations: [{ reason: "hub firewall 10.99.0.4", reference: "stacks/hub" }] } },
        });
        assert.deepStrictEqual(attested.mandatory(F), [], attested.toString());
        assert.ok(attested.advisory(F).length === 2 && attested.advisory(F).every(d => /Attested outside this stack: hub firewall/.test(d.message)), attested.toString());
    });

    it("a literal next hop equal to the stack firewall's known private IP passes", async () => {
        const v = await check(() => routedWorkspace({ host: { ip: FW_IP } }), { ...I, outputs: FIREWALL_OUTPUTS });
        assert.deepStrictEqual(v.of(F), [], v.toString());
    });

    it("at preview, a literal next hop that may be the stack's firewall (IP unknown): no mandatory, an explicit advisory", async () => {
        const v = await check(() => routedWorkspace({ host: { ip: FW_IP } }), { ...I, preview: true });
        assert.deepStrictEqual(v.mandatory(F), [], v.toString());
        assert.ok(v.advisory(F).length > 0 && v.advisory(F).every(d => /Not verified: .*whose private IP is unknown until apply/.test(d.message)), v.toString());
    });

    it("recognises a versioned RouteTable token", async () => {
        const v = await check(() => routedWorkspace({ routeTableToken: "azure-native:network/v20230901:RouteTable", host: "internet" }), I);
        assert.strictEqual(v.mandatory(F).length, 2, v.toString());
        assert.match(v.mandatory(F)[0].message, /"Internet"/);
    });

    it("classic provider: Route resources and SubnetRouteTableAssociation to an azure Firewall pass; Internet and a single association fail", async () => {
        for (const preview of [false, true]) {
            const ok = await check(() => classicRoutedWorkspace(), { ...I, preview });
            assert.deepStrictEqual(ok.of(F), [], `preview=${preview}\n${ok.toString()}`);
        }
        const internet = await check(() => classicRoutedWorkspace({ hop: "internet" }), I);
        assert.strictEqual(internet.mandatory(F).length, 2, internet.toString());
        const single = await check(() => classicRoutedWorkspace({ associate: "host" }), I);
        assert.strictEqual(single.mandatory(F).length, 1, single.toString());
        assert.match(single.mandatory(F)[0].message, /Databricks subnet "[a-z-]*container" .* has no route table/);
    });

    it("judges several workspaces separately", async () => {
        const v = await check(() => {
            routedWorkspace({ name: "a" });
            routedWorkspace({ name: "b", host: "internet" });
        }, { ...I, outputs: FIREWALL_OUTPUTS });
        const m = v.mandatory(F);
        assert.strictEqual(m.length, 2, v.toString());
        assert.ok(m.every(d => d.urn === v.urn("b-ws")), v.toString());
    });

    it("is advisory in Managed security and Hardened connectivity, and fails a workspace without routes", async () => {
        for (const tier of ["managed-security", "hardened-connectivity"] as const) {
            const v = await check(() => nativeWorkspace(), { tier });
            assert.deepStrictEqual(v.mandatory(F), [], v.toString());
            assert.strictEqual(v.advisory(F).length, 2, v.toString());
            assert.match(v.advisory(F)[0].message, /is optional in/);
        }
    });
});
