import * as assert from "assert";
import * as network from "@pulumi/azure-native/network";
import * as databricks from "@pulumi/databricks";
import { check } from "../harness/check";
import { nativeWorkspace } from "../../support/fixtures/native";
import { accountIpAccessList, classicWorkspace, recipient } from "../../support/fixtures/inbound";

const F = "account-ip-access-lists";
const HARD = { tier: "hardened-connectivity" as const };
const EXACT = `"account-ip-access-lists": {"attestations": [{"reason": "…"}]}`;
const LIBRARY = `attestations: { "account-ip-access-lists": [{ reason: "…" }] }`;

describe(F, () => {
    it("@pulumi/databricks has no resource for account IP access lists (the premise of the attestation)", () => {
        const exported = Object.keys(databricks).filter(k => /^account.*ip.*access/i.test(k));
        assert.deepStrictEqual(exported, []);
    });

    it("without such a resource: missing (mandatory until attested), saying exactly how to attest in both forms", async () => {
        for (const program of [() => nativeWorkspace(), () => classicWorkspace()]) {
            const v = await check(program, HARD);
            const m = v.mandatory(F);
            assert.strictEqual(m.length, 1, v.toString());
            assert.match(m[0].message, /Found: this stack does not declare the account's account-policy \(nor any account IP access list\)/);
            assert.ok(m[0].message.includes(EXACT), m[0].message);
            assert.ok(m[0].message.includes(LIBRARY), m[0].message);
        }
    });

    it("an attested stack shows an advisory \"Attested\"", async () => {
        const v = await check(() => nativeWorkspace(), { ...HARD, config: { [F]: { attestations: [{ reason: "account IP access lists enabled by the security team", reference: "SEC-142" }] } } });
        assert.deepStrictEqual(v.mandatory(F), [], v.toString());
        const a = v.advisory(F);
        assert.strictEqual(a.length, 1, v.toString());
        assert.match(a[0].message, /Attested outside this stack: account IP access lists enabled by the security team \(reference: SEC-142\)/);
    });

    it("recognises an account IP access list resource: an enabled ALLOW list passes", async () => {
        const v = await check(() => { nativeWorkspace(); accountIpAccessList("corp", { label: "corp", listType: "ALLOW", ipAddresses: ["203.0.113.0/24"] }); }, HARD);
        assert.strictEqual(v.notApplicable(F), undefined);
        assert.deepStrictEqual(v.of(F), [], v.toString());
    });

    it("an account allow list of 0.0.0.0/0, or only a disabled list: mandatory", async () => {
        const all = await check(() => { nativeWorkspace(); accountIpAccessList("open", { label: "open", listType: "ALLOW", ipAddresses: ["0.0.0.0/0"] }); }, HARD);
        assert.strictEqual(all.mandatory(F).length, 1, all.toString());
        assert.match(all.mandatory(F)[0].message, /"open" .* allows 0\.0\.0\.0\/0: an allow list that admits every address restricts nothing/);
        const off = await check(() => { nativeWorkspace(); accountIpAccessList("off", { label: "off", listType: "ALLOW", enabled: false, ipAddresses: ["203.0.113.0/24"] }); }, HARD);
        assert.strictEqual(off.mandatory(F).length, 1, off.toString());
        assert.match(off.mandatory(F)[0].message, /no enabled account ALLOW list \("off" .* is disabled\)/);
    });

    it("an account list whose addresses are unknown at preview: no mandatory verdict, an explicit advisory", async () => {
        const v = await check(() => {
            nativeWorkspace();
            const ip = new network.PublicIPAddress("egress", { resourceGroupName: "rg-dbx", publicIpAddressName: "egress" });
            accountIpAccessList("egress", { label: "egress", listType: "ALLOW", ipAddresses: [ip.ipAddress] });
        }, { ...HARD, preview: true });
        assert.deepStrictEqual(v.mandatory(F), [], v.toString());
        assert.match(v.advisory(F)[0].message, /Not verified: an account allow list may apply but cannot be confirmed/);
    });

    it("Premium is a prerequisite: a Standard workspace fails with that reason", async () => {
        const v = await check(() => nativeWorkspace({ sku: "standard" }), { ...HARD, config: { [F]: { attestations: [{ reason: "enabled in the account console" }] } } });
        const m = v.mandatory(F);
        assert.strictEqual(m.length, 1, v.toString());
        assert.match(m[0].message, /the workspace SKU is "standard": IP access lists requires the Premium SKU/);
    });

    it("applies to a stack of Databricks resources without a workspace; not to one without either; not in Managed security", async () => {
        const dbxOnly = await check(() => recipient("partner", "DATABRICKS"), HARD);
        assert.strictEqual(dbxOnly.mandatory(F).length, 1, dbxOnly.toString());
        const empty = await check(() => new network.VirtualNetwork("lonely", { resourceGroupName: "rg", addressSpace: { addressPrefixes: ["10.0.0.0/16"] } }), HARD);
        assert.deepStrictEqual(empty.of(F), [], empty.toString());
        assert.match(empty.notApplicable(F) ?? "", /no Azure Databricks workspace and no Databricks resources/);
        const ms = await check(() => nativeWorkspace(), { tier: "managed-security" });
        assert.deepStrictEqual(ms.of(F), [], ms.toString());
        assert.match(ms.notApplicable(F) ?? "", /not part of the Managed security/);
    });
});
