import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { check } from "../harness/check";
import { nativeWorkspace } from "../../support/fixtures/native";
import { classicWorkspace, ncc, nccBinding, nccRule, tokenWorkspace, workspaceIdOf } from "../../support/fixtures/outbound";

const F = "serverless-private-link";
const H = { tier: "hardened-connectivity" as const };
const STORAGE = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/lake";

/** A workspace bound to an NCC of `region` with one blob rule. */
function boundWithRule(region = "westeurope", rule = true): void {
    const { workspace } = nativeWorkspace();
    const config = ncc("ncc", region);
    nccBinding("bind", config, workspace);
    if (rule) {
        nccRule("blob", config, STORAGE);
    }
}

describe(F, () => {
    it("passes a workspace bound to an NCC of its region with a private endpoint rule (update and preview)", async () => {
        for (const preview of [false, true]) {
            const v = await check(() => boundWithRule(), { ...H, preview });
            assert.deepStrictEqual(v.of(F), [], `preview=${preview}\n${v.toString()}`);
        }
    });

    it("compares regions the way Azure does (\"West Europe\" = westeurope)", async () => {
        const v = await check(() => boundWithRule("West Europe"), H);
        assert.deepStrictEqual(v.of(F), [], v.toString());
    });

    it("fails a workspace bound to an NCC of another region, not attestable", async () => {
        const v = await check(() => boundWithRule("eastus"), {
            ...H, config: { [F]: { attestations: [{ reason: "irrelevant: the stack contradicts it" }] } },
        });
        const m = v.mandatory(F);
        assert.strictEqual(m.length, 1, v.toString());
        assert.strictEqual(m[0].urn, v.urn("prod-ws"));
        assert.match(m[0].message, /NCC "ncc" .* of region "eastus", but the workspace is in "westeurope"/);
    });

    it("fails a bound NCC without private endpoint rules; an attestation makes it an advisory \"Attested\"", async () => {
        const v = await check(() => boundWithRule("westeurope", false), H);
        const m = v.mandatory(F);
        assert.strictEqual(m.length, 1, v.toString());
        assert.match(m[0].message, /has no private endpoint rule in this stack/);
        assert.match(m[0].message, /Fix: .*MwsNccPrivateEndpointRule/);
        const attested = await check(() => boundWithRule("westeurope", false), {
            ...H, config: { [F]: { attestations: [{ reason: "rules managed by the data platform stack" }] } },
        });
        assert.deepStrictEqual(attested.mandatory(F), [], attested.toString());
        assert.match(attested.advisory(F)[0]?.message ?? "", /Attested outside this stack: rules managed by the data platform stack/);
    });

    it("fails an NCC with rules that is bound to no workspace", async () => {
        const v = await check(() => {
            nativeWorkspace();
            nccRule("blob", ncc("ncc"), STORAGE);
        }, H);
        const m = v.mandatory(F);
        assert.strictEqual(m.length, 1, v.toString());
        assert.match(m[0].message, /no MwsNccBinding in this stack binds this workspace.*bound to other workspaces or to none/);
    });

    it("judges several workspaces separately: a binding to another workspace does not count", async () => {
        const v = await check(() => {
            const a = nativeWorkspace({ name: "a" }).workspace;
            nativeWorkspace({ name: "b" });
            const config = ncc("ncc");
            nccBinding("bind-a", config, a);
            nccRule("blob", config, STORAGE);
        }, H);
        const m = v.mandatory(F);
        assert.strictEqual(m.length, 1, v.toString());
        assert.strictEqual(m[0].urn, v.urn("b-ws"));
    });

    it("with no NCC resources in the stack: missing, mandatory, says what to add and how to attest", async () => {
        const v = await check(() => nativeWorkspace(), H);
        const m = v.mandatory(F);
        assert.strictEqual(m.length, 1, v.toString());
        assert.match(m[0].message, /Found: this stack declares no network connectivity configuration \(NCC\) or NCC binding/);
        assert.match(m[0].message, /Fix: bind an NCC .*MwsNccBinding.*; then add a rule: .*MwsNccPrivateEndpointRule/);
        assert.match(m[0].message, /attest it: set "serverless-private-link"/);
    });

    it("a binding to an NCC of another stack is unverified, not mandatory", async () => {
        const v = await check(() => {
            const { workspace } = nativeWorkspace();
            nccBinding("bind", "ncc-from-account-stack", workspace);
        }, H);
        assert.deepStrictEqual(v.mandatory(F), [], v.toString());
        assert.match(v.advisory(F)[0]?.message ?? "", /NCC "ncc-from-account-stack", which is not declared in this stack/);
    });

    it("at preview, a binding whose workspace cannot be told apart: no mandatory, an explicit advisory", async () => {
        const v = await check(() => {
            const a = nativeWorkspace({ name: "a" }).workspace;
            const b = nativeWorkspace({ name: "b" }).workspace;
            const config = ncc("ncc");
            const either = pulumi.all([workspaceIdOf(a), workspaceIdOf(b)]).apply(([x]) => x);
            nccBinding("bind", config, either as unknown as string);
            nccRule("blob", config, STORAGE);
        }, { ...H, preview: true });
        assert.deepStrictEqual(v.mandatory(F), [], v.toString());
        assert.strictEqual(v.advisory(F).length, 2, v.toString());
        assert.ok(v.advisory(F).every(d => /Not verified: the workspace of .*"bind".* is unknown until apply/.test(d.message)), v.toString());
    });

    it("handles a versioned workspace token and a classic-provider workspace", async () => {
        const v = await check(() => {
            const versioned = tokenWorkspace("azure-native:databricks/v20240501:Workspace", "versioned-ws");
            const classic = classicWorkspace("classic-ws", "eastus");
            const we = ncc("ncc-we");
            nccBinding("bind-v", we, versioned);
            nccBinding("bind-c", we, classic);
            nccRule("blob", we, STORAGE);
        }, H);
        const m = v.mandatory(F);
        assert.strictEqual(m.length, 1, v.toString());
        assert.strictEqual(m[0].urn, v.urn("classic-ws"));
        assert.match(m[0].message, /of region "westeurope", but the workspace is in "eastus"/);
    });

    it("is required in Isolated and not checked in Managed security", async () => {
        const iso = await check(() => boundWithRule("westeurope", false), { tier: "isolated-environment" });
        assert.strictEqual(iso.mandatory(F).length, 1, iso.toString());
        const managed = await check(() => boundWithRule("westeurope", false), { tier: "managed-security" });
        assert.deepStrictEqual(managed.of(F), [], managed.toString());
        assert.match(managed.notApplicable(F) ?? "", /not part of the Managed security architecture/);
    });
});
