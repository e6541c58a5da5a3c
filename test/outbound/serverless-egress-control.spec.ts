import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { check } from "../harness/check";
import { nativeWorkspace } from "../../support/fixtures/native";
import { classicWorkspace, egressPolicy, networkOption, tokenWorkspace, workspaceIdOf } from "../../support/fixtures/outbound";

const F = "serverless-egress-control";
const H = { tier: "hardened-connectivity" as const };

describe(F, () => {
    it("passes a workspace with a RESTRICTED_ACCESS, ENFORCED policy applied by a WorkspaceNetworkOption", async () => {
        const v = await check(() => {
            const { workspace } = nativeWorkspace();
            networkOption("opt", workspace, egressPolicy("restricted", { enforcementMode: "ENFORCED" }));
        }, H);
        assert.deepStrictEqual(v.of(F), [], v.toString());
    });

    it("passes a restricted policy whose enforcement mode is left unset", async () => {
        const v = await check(() => {
            const { workspace } = nativeWorkspace();
            networkOption("opt", workspace, egressPolicy("restricted"));
        }, H);
        assert.deepStrictEqual(v.of(F), [], v.toString());
    });

    it("fails a FULL_ACCESS policy applied to the workspace (mandatory in Hardened)", async () => {
        const v = await check(() => {
            const { workspace } = nativeWorkspace();
            networkOption("opt", workspace, egressPolicy("open", { restrictionMode: "FULL_ACCESS" }));
        }, H);
        const m = v.mandatory(F);
        assert.strictEqual(m.length, 1, v.toString());
        assert.strictEqual(m[0].urn, v.urn("prod-ws"));
        assert.match(m[0].message, /restrictionMode "FULL_ACCESS"/);
        assert.match(m[0].message, /Fix: .*RESTRICTED_ACCESS/);
    });

    it("fails a restricted policy in DRY_RUN mode", async () => {
        const v = await check(() => {
            const { workspace } = nativeWorkspace();
            networkOption("opt", workspace, egressPolicy("dry", { enforcementMode: "DRY_RUN" }));
        }, H);
        const m = v.mandatory(F);
        assert.strictEqual(m.length, 1, v.toString());
        assert.match(m[0].message, /enforcementMode "DRY_RUN"/);
    });

    it("fails a policy without an egress block", async () => {
        const v = await check(() => {
            const { workspace } = nativeWorkspace();
            networkOption("opt", workspace, egressPolicy("bare", { restrictionMode: "omit" }));
        }, H);
        assert.strictEqual(v.mandatory(F).length, 1, v.toString());
        assert.match(v.mandatory(F)[0].message, /sets no egress restriction/);
    });

    it("judges several workspaces separately: a restricted policy bound to another workspace does not count", async () => {
        const v = await check(() => {
            const a = nativeWorkspace({ name: "a" }).workspace;
            nativeWorkspace({ name: "b" });
            networkOption("opt-a", a, egressPolicy("restricted"));
        }, H);
        const m = v.mandatory(F);
        assert.strictEqual(m.length, 1, v.toString());
        assert.strictEqual(m[0].urn, v.urn("b-ws"));
        assert.match(m[0].message, /runs under the account's default-policy, which this stack does not declare/);
    });

    it("a workspace without an option is judged by default-policy: restricted passes, full access fails", async () => {
        const pass = await check(() => {
            nativeWorkspace();
            egressPolicy("default", { networkPolicyId: "default-policy" });
        }, H);
        assert.deepStrictEqual(pass.of(F), [], pass.toString());
        const fail = await check(() => {
            nativeWorkspace();
            egressPolicy("default", { networkPolicyId: "default-policy", restrictionMode: "FULL_ACCESS" });
        }, H);
        assert.strictEqual(fail.mandatory(F).length, 1, fail.toString());
        assert.match(fail.mandatory(F)[0].message, /default-policy does: policy .*"FULL_ACCESS"/);
    });

    it("an explicit option overrides a restricted default-policy", async () => {
        const v = await check(() => {
            const { workspace } = nativeWorkspace();
            egressPolicy("default", { networkPolicyId: "default-policy" });
            networkOption("opt", workspace, egressPolicy("open", { restrictionMode: "FULL_ACCESS" }));
        }, H);
        assert.strictEqual(v.mandatory(F).length, 1, v.toString());
    });

    it("with no account-level resources in the stack: missing, mandatory, says what to add and how to attest", async () => {
        const v = await check(() => nativeWorkspace(), H);
        const m = v.mandatory(F);
        assert.strictEqual(m.length, 1, v.toString());
        assert.match(m[0].message, /Found: this stack declares no account network policy or workspace network option/);
        assert.match(m[0].message, /Fix: declare a restricted policy and apply it: .*new databricks\.WorkspaceNetworkOption/);
        assert.match(m[0].message, /attest it: set "serverless-egress-control": \{"attestations"/);
        assert.match(m[0].message, /library: `attestations: \{ "serverless-egress-control": \[\{ reason: "…" \}\] \}`/);
    });

    it("an attestation turns the out-of-stack case into an advisory \"Attested\"", async () => {
        const v = await check(() => nativeWorkspace(), {
            ...H, config: { [F]: { attestations: [{ reason: "account stack applies restricted-egress", reference: "stacks/account" }] } },
        });
        const a = v.advisory(F);
        assert.strictEqual(a.length, 1, v.toString());
        assert.match(a[0].message, /Attested outside this stack: account stack applies restricted-egress/);
    });

    it("an option naming a policy of another stack is unverified, not mandatory", async () => {
        const v = await check(() => {
            const { workspace } = nativeWorkspace();
            networkOption("opt", workspace, "restricted-in-account-stack");
        }, H);
        assert.deepStrictEqual(v.mandatory(F), [], v.toString());
        assert.strictEqual(v.advisory(F).length, 1, v.toString());
        assert.match(v.advisory(F)[0].message, /network policy "restricted-in-account-stack", which is not declared in this stack/);
    });

    it("at preview, the workspace ID (unknown) resolves through the option's dependencies", async () => {
        const pass = await check(() => {
            const { workspace } = nativeWorkspace();
            networkOption("opt", workspace, egressPolicy("restricted"));
        }, { ...H, preview: true });
        assert.deepStrictEqual(pass.of(F), [], pass.toString());
        const fail = await check(() => {
            const { workspace } = nativeWorkspace();
            networkOption("opt", workspace, egressPolicy("open", { restrictionMode: "FULL_ACCESS" }));
        }, { ...H, preview: true });
        assert.strictEqual(fail.mandatory(F).length, 1, fail.toString());
    });

    it("at preview, an option whose workspace cannot be told apart: no mandatory, an explicit advisory", async () => {
        const v = await check(() => {
            const a = nativeWorkspace({ name: "a" }).workspace;
            const b = nativeWorkspace({ name: "b" }).workspace;
            const either = pulumi.all([workspaceIdOf(a), workspaceIdOf(b)]).apply(([x]) => x);
            networkOption("opt", either as unknown as string, egressPolicy("restricted"));
        }, { ...H, preview: true });
        assert.deepStrictEqual(v.mandatory(F), [], v.toString());
        const a = v.advisory(F);
        assert.strictEqual(a.length, 2, v.toString());
        assert.ok(a.every(d => /Not verified: the workspace of .*"opt".* is unknown until apply/.test(d.message)), v.toString());
    });

    it("a literal workspace ID of a workspace outside the stack does not cover this workspace", async () => {
        const v = await check(() => {
            nativeWorkspace();
            networkOption("opt", "1234567890123456", egressPolicy("restricted"));
        }, H);
        assert.strictEqual(v.mandatory(F).length, 1, v.toString());
    });

    it("handles a versioned workspace token and a classic-provider workspace", async () => {
        const v = await check(() => {
            const versioned = tokenWorkspace("azure-native:databricks/v20240501:Workspace", "versioned-ws");
            const classic = classicWorkspace("classic-ws");
            const p = egressPolicy("restricted");
            networkOption("opt-v", versioned, p);
            networkOption("opt-c", classic, egressPolicy("open", { restrictionMode: "FULL_ACCESS" }));
        }, H);
        const m = v.mandatory(F);
        assert.strictEqual(m.length, 1, v.toString());
        assert.strictEqual(m[0].urn, v.urn("classic-ws"));
    });

    it("fails a Standard-SKU workspace even with a restricted policy", async () => {
        const v = await check(() => {
            const { workspace } = nativeWorkspace({ sku: "standard" });
            networkOption("opt", workspace, egressPolicy("restricted"));
        }, H);
        assert.strictEqual(v.mandatory(F).length, 1, v.toString());
        assert.match(v.mandatory(F)[0].message, /requires the Premium SKU/);
    });

    it("is required in Isolated and not checked in Managed security", async () => {
        const iso = await check(() => {
            const { workspace } = nativeWorkspace();
            networkOption("opt", workspace, egressPolicy("open", { restrictionMode: "FULL_ACCESS" }));
        }, { tier: "isolated-environment" });
        assert.strictEqual(iso.mandatory(F).length, 1, iso.toString());
        const managed = await check(() => {
            const { workspace } = nativeWorkspace();
            networkOption("opt", workspace, egressPolicy("open", { restrictionMode: "FULL_ACCESS" }));
        }, { tier: "managed-security" });
        assert.deepStrictEqual(managed.of(F), [], managed.toString());
        assert.match(managed.notApplicable(F) ?? "", /not part of the Managed security architecture/);
    });
});
