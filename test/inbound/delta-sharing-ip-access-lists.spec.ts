import * as assert from "assert";
import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { check } from "../harness/check";
import { nativeWorkspace } from "../../support/fixtures/native";
import { recipient } from "../../support/fixtures/inbound";

const F = "delta-sharing-ip-access-lists";
const HARD = { tier: "hardened-connectivity" as const };

describe(F, () => {
    it("passes a TOKEN recipient limited to specific addresses", async () => {
        const v = await check(() => { nativeWorkspace(); recipient("partner", "TOKEN", ["203.0.113.0/24"]); }, HARD);
        assert.strictEqual(v.notApplicable(F), undefined);
        assert.deepStrictEqual(v.of(F), [], v.toString());
    });

    it("fails a TOKEN recipient without an IP access list, naming the recipient and the fix", async () => {
        const v = await check(() => recipient("partner", "TOKEN"), HARD);
        const m = v.mandatory(F);
        assert.strictEqual(m.length, 1, v.toString());
        assert.strictEqual(m[0].urn, v.urn("partner"));
        assert.match(m[0].message, /a TOKEN recipient without ipAccessList\.allowedIpAddresses: anyone holding the token can read the shares from any address/);
        assert.match(m[0].message, /Fix: set `ipAccessList: \{ allowedIpAddresses:/);
    });

    it("an empty list, 0.0.0.0/0 or ::/0 does not restrict", async () => {
        for (const list of [[], ["0.0.0.0/0"], ["198.51.100.0/24", "::/0"]]) {
            const v = await check(() => recipient("partner", "TOKEN", list), HARD);
            assert.strictEqual(v.mandatory(F).length, 1, `${JSON.stringify(list)}\n${v.toString()}`);
        }
    });

    it("several recipients are judged separately; DATABRICKS recipients are out of scope", async () => {
        const v = await check(() => {
            recipient("good", "TOKEN", ["203.0.113.0/24"]);
            recipient("open", "TOKEN");
            recipient("d2d", "DATABRICKS");
        }, HARD);
        assert.deepStrictEqual(v.mandatory(F).map(d => d.urn), [v.urn("open")], v.toString());
        assert.ok(!v.of(F).some(d => d.urn === v.urn("d2d")), v.toString());
    });

    it("addresses unknown at preview: no mandatory verdict, an explicit advisory", async () => {
        const v = await check(() => {
            const ip = new network.PublicIPAddress("partner-ip", { resourceGroupName: "rg", publicIpAddressName: "partner-ip" });
            recipient("partner", "TOKEN", [pulumi.interpolate`${ip.ipAddress}/32`] as unknown as string[]);
        }, { ...HARD, preview: true });
        assert.deepStrictEqual(v.mandatory(F), [], v.toString());
        const a = v.advisory(F);
        assert.strictEqual(a.length, 1, v.toString());
        assert.match(a[0].message, /Not verified: a TOKEN recipient; its ipAccessList\.allowedIpAddresses is unknown until apply/);
    });

    it("an authentication type unknown until apply is never a mandatory verdict", async () => {
        const v = await check(() => {
            const ip = new network.PublicIPAddress("mode", { resourceGroupName: "rg", publicIpAddressName: "mode" });
            recipient("partner", ip.id.apply(() => "TOKEN") as unknown as string);
        }, { ...HARD, preview: true });
        assert.deepStrictEqual(v.mandatory(F), [], v.toString());
        assert.match(v.advisory(F)[0].message, /Not verified: a recipient whose authenticationType is unknown until apply without ipAccessList/);
    });

    it("Premium is a prerequisite: a Standard workspace with open sharing fails with that reason", async () => {
        const v = await check(() => { nativeWorkspace({ sku: "standard" }); recipient("partner", "TOKEN", ["203.0.113.0/24"]); }, HARD);
        const m = v.mandatory(F);
        assert.strictEqual(m.length, 1, v.toString());
        assert.match(m[0].message, /the workspace SKU is "standard": Delta Sharing IP access lists requires the Premium SKU/);
    });

    it("not applicable without TOKEN recipients, nor in Managed security; required in Isolated", async () => {
        const d2d = await check(() => { nativeWorkspace(); recipient("d2d", "DATABRICKS"); }, HARD);
        assert.deepStrictEqual(d2d.of(F), [], d2d.toString());
        assert.match(d2d.notApplicable(F) ?? "", /no Delta Sharing recipient with TOKEN/);
        const none = await check(() => nativeWorkspace(), HARD);
        assert.match(none.notApplicable(F) ?? "", /no Delta Sharing recipient/);
        const ms = await check(() => recipient("partner", "TOKEN"), { tier: "managed-security" });
        assert.deepStrictEqual(ms.of(F), [], ms.toString());
        assert.match(ms.notApplicable(F) ?? "", /not part of the Managed security/);
        const iso = await check(() => recipient("partner", "TOKEN"), { tier: "isolated-environment" });
        assert.strictEqual(iso.mandatory(F).length, 1, iso.toString());
    });
});
