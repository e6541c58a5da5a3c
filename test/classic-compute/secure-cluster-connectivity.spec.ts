import * as assert from "assert";
import { check } from "../harness/check";
import { nativeWorkspace } from "../fixtures/native";

const F = "secure-cluster-connectivity";

describe(F, () => {
    it("passes a workspace with enableNoPublicIp true", async () => {
        const v = await check(() => nativeWorkspace());
        assert.deepStrictEqual(v.of(F), [], v.toString());
    });

    it("fails a workspace with enableNoPublicIp false, naming the resource and the fix", async () => {
        const v = await check(() => nativeWorkspace({ noPublicIp: false }));
        const m = v.mandatory(F);
        assert.strictEqual(m.length, 1, v.toString());
        assert.strictEqual(m[0].urn, v.urn("prod-ws"));
        assert.match(m[0].message, /enableNoPublicIp\.value is false/);
        assert.match(m[0].message, /Fix: .*enableNoPublicIp: \{ value: true \}/);
        assert.match(m[0].message, /managed-security/);
    });

    it("at preview with parameters unknown: no mandatory verdict, an explicit advisory", async () => {
        const v = await check(() => nativeWorkspace({ noPublicIp: false }), { preview: true });
        assert.deepStrictEqual(v.mandatory(F), [], v.toString());
        const a = v.advisory(F);
        assert.strictEqual(a.length, 1, v.toString());
        assert.match(a[0].message, /Not verified: .*unknown until apply/);
    });
});
