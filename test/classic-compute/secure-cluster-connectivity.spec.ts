import * as assert from "assert";
import { check } from "../harness/check";
import { nativeWorkspace } from "../../support/fixtures/native";
import { classicWorkspace } from "../../support/fixtures/classic";
import { runProgram } from "../../support/program";
import { analyzeStack } from "../harness/check";

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

    it("an omitted value passes on API 2024-05-01 and later, with an advisory note that it relies on the default", async () => {
        const v = await check(() => nativeWorkspace({ noPublicIp: "omit" }));
        assert.deepStrictEqual(v.mandatory(F), [], v.toString());
        const notes = v.advisory(F);
        assert.strictEqual(notes.length, 1, v.toString());
        assert.match(notes[0].message, /Note: parameters\.enableNoPublicIp\.value is not set; Secure Cluster Connectivity relies on the API default \(API version 2024-05-01 defaults it to true\)/);
    });

    it("an omitted value fails on a versioned token of an older API (default false)", async () => {
        const v = await check(() => nativeWorkspace({ noPublicIp: "omit", workspaceToken: "azure-native:databricks/v20230201:Workspace" }));
        const m = v.mandatory(F);
        assert.strictEqual(m.length, 1, v.toString());
        assert.match(m[0].message, /not set, and API version 2023-02-01 defaults it to false/);
    });

    it("an omitted value fails under an azure-native v2 provider (its default API defaults to false)", async () => {
        const stack = await runProgram(() => nativeWorkspace({ noPublicIp: "omit" }), { preview: false });
        for (const r of stack.resources) {
            if (r.type === "pulumi:providers:azure-native") {
                r.outputs = { version: "2.90.0" };
            }
        }
        const v = await analyzeStack(stack);
        assert.strictEqual(v.mandatory(F).length, 1, v.toString());
    });

    it("a versioned token with true passes", async () => {
        const v = await check(() => nativeWorkspace({ workspaceToken: "azure-native:databricks/v20180401:Workspace" }));
        assert.deepStrictEqual(v.of(F), [], v.toString());
    });

    describe("classic azure", () => {
        it("passes noPublicIp true and fails false", async () => {
            assert.deepStrictEqual((await check(() => classicWorkspace())).of(F), []);
            const v = await check(() => classicWorkspace({ noPublicIp: false }));
            assert.match(v.mandatory(F)[0]?.message ?? "", /customParameters\.noPublicIp is false/, v.toString());
        });

        it("an omitted noPublicIp relies on the v6 default (true), with a note", async () => {
            const v = await check(() => classicWorkspace({ noPublicIp: "omit" }));
            assert.deepStrictEqual(v.mandatory(F), [], v.toString());
            assert.strictEqual(v.advisory(F).length, 1, v.toString());
        });
    });

    it("is not applicable to a serverless workspace", async () => {
        const v = await check(() => nativeWorkspace({ computeMode: "Serverless", subnets: "none", backend: "none" }));
        assert.deepStrictEqual(v.of(F), [], v.toString());
    });
});
