import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import { check, Verdicts } from "../harness/check";
import { SUBSCRIPTION } from "../../support/program";
import { nativeWorkspace } from "../../support/fixtures/native";
import { classicWorkspace, EXTERNAL_WEBAUTH_ID, inboundWorkspace, transitEndpoint } from "../../support/fixtures/inbound";

const F = "workspace-inbound-private-link";
const ISO = { tier: "isolated-environment" as const };
/** A real pass: the feature was evaluated and reported nothing. */
function assertPass(v: Verdicts): void {
    assert.strictEqual(v.notApplicable(F), undefined, "evaluated, not skipped");
    assert.deepStrictEqual(v.of(F), [], v.toString());
}

const ATTESTED = { [F]: { attestations: [{ reason: "front-end and web-auth endpoints live in the hub stack", reference: "hub-prod" }] } };

describe(F, () => {
    describe("layouts that pass", () => {
        it("simplified layout: the back-end endpoint in the workspace VNet serves users, browser_authentication to the workspace", async () => {
            const v = await check(() => inboundWorkspace({ frontEnd: "simplified", browserAuth: "self" }), ISO);
            assertPass(v);
        });

        it("standard layout: a front-end endpoint in a transit VNet and a web-auth workspace of the same region", async () => {
            const v = await check(() => inboundWorkspace({ frontEnd: "transit", browserAuth: "webauth" }), ISO);
            assertPass(v);
        });

        it("passes at preview, when every ID is unknown and links resolve through dependencies", async () => {
            const v = await check(() => inboundWorkspace({ frontEnd: "transit", browserAuth: "webauth" }), { ...ISO, preview: true });
            assertPass(v);
        });

        it("a versioned azure-native token", async () => {
            const v = await check(() => inboundWorkspace({ workspaceToken: "azure-native:databricks/v20240501:Workspace" }), ISO);
            assertPass(v);
        });

        it("endpoints that name the workspace by an ARM ID in other letter case", async () => {
            const upper = `/subscriptions/${SUBSCRIPTION}/RESOURCEGROUPS/RG-DBX/providers/microsoft.databricks/WORKSPACES/PROD-WS`;
            const v = await check(() => {
                nativeWorkspace({ publicNetworkAccess: "Disabled", endpointTarget: upper });
                transitEndpoint("prod-auth", upper, ["browser_authentication"], { dns: "hub" });
            }, ISO);
            assertPass(v);
        });

        it("classic provider: publicNetworkAccessEnabled false with databricks_ui_api and browser_authentication endpoints", async () => {
            const v = await check(() => classicWorkspace(), ISO);
            assertPass(v);
        });
    });

    describe("public network access", () => {
        it("fails publicNetworkAccess Enabled, naming the field and the fix", async () => {
            const v = await check(() => inboundWorkspace({ publicNetworkAccess: "Enabled" }), ISO);
            const m = v.mandatory(F);
            assert.strictEqual(m.length, 1, v.toString());
            assert.strictEqual(m[0].urn, v.urn("prod-ws"));
            assert.match(m[0].message, /publicNetworkAccess is "Enabled": users reach the workspace over the public internet/);
            assert.match(m[0].message, /Fix: set `publicNetworkAccess: "Disabled"`/);
        });

        it("fails a workspace that leaves publicNetworkAccess at its default", async () => {
            const v = await check(() => {
                nativeWorkspace();
                transitEndpoint("prod-auth", pulumi.output(`/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-dbx/providers/Microsoft.Databricks/workspaces/prod-ws`), ["browser_authentication"], { dns: "hub" });
            }, ISO);
            const m = v.mandatory(F);
            assert.strictEqual(m.length, 1, v.toString());
            assert.match(m[0].message, /publicNetworkAccess is not set \(the default enables public network access\)/);
        });

        it("classic: fails publicNetworkAccessEnabled true", async () => {
            const v = await check(() => classicWorkspace({ publicNetworkAccessEnabled: true }), ISO);
            const m = v.mandatory(F);
            assert.strictEqual(m.length, 1, v.toString());
            assert.match(m[0].message, /publicNetworkAccessEnabled is true/);
            assert.match(m[0].message, /publicNetworkAccessEnabled: false/);
        });

        it("at preview with publicNetworkAccess unknown: no mandatory verdict, an explicit advisory; mandatory once known", async () => {
            const program = () => {
                const gate = new network.VirtualNetwork("gate", { resourceGroupName: "rg-dbx", virtualNetworkName: "gate", addressSpace: { addressPrefixes: ["10.90.0.0/16"] } });
                inboundWorkspace({ publicNetworkAccess: gate.id.apply(() => "Enabled") as unknown as string });
            };
            const preview = await check(program, { ...ISO, preview: true });
            assert.deepStrictEqual(preview.mandatory(F), [], preview.toString());
            const a = preview.advisory(F);
            assert.strictEqual(a.length, 1, preview.toString());
            assert.match(a[0].message, /Not verified: publicNetworkAccess is unknown until apply/);
            const update = await check(program, ISO);
            assert.strictEqual(update.mandatory(F).length, 1, update.toString());
        });
    });

    describe("the front-end endpoint", () => {
        it("public access disabled and no databricks_ui_api endpoint: fails as unreachable", async () => {
            const v = await check(() => inboundWorkspace({ frontEnd: "none" }), ISO);
            const m = v.mandatory(F);
            assert.strictEqual(m.length, 1, v.toString());
            assert.match(m[0].message, /public network access is disabled and no private endpoint in this stack targets the workspace with group databricks_ui_api: as declared, the workspace is unreachable/);
            assert.match(m[0].message, /attest it: set "workspace-inbound-private-link": \{"attestations"/);
        });

        it("a front-end endpoint in another stack, attested: an advisory \"Attested\"", async () => {
            const v = await check(() => inboundWorkspace({ frontEnd: "none" }), { ...ISO, config: ATTESTED });
            assert.deepStrictEqual(v.mandatory(F), [], v.toString());
            const a = v.advisory(F);
            assert.strictEqual(a.length, 1, v.toString());
            assert.match(a[0].message, /Attested outside this stack: front-end and web-auth endpoints live in the hub stack \(reference: hub-prod\)/);
        });

        it("a databricks_ui_api endpoint to another workspace does not count", async () => {
            const v = await check(() => {
                inboundWorkspace({ frontEnd: "none" });
                transitEndpoint("stray-frontend", `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-other/providers/Microsoft.Databricks/workspaces/other-ws`, ["databricks_ui_api"]);
            }, ISO);
            assert.strictEqual(v.mandatory(F).length, 1, v.toString());
            assert.match(v.mandatory(F)[0].message, /unreachable/);
        });
    });

    describe("browser authentication", () => {
        it("fails when no browser_authentication endpoint serves the region; an attestation makes it advisory", async () => {
            const v = await check(() => inboundWorkspace({ browserAuth: "none" }), ISO);
            const m = v.mandatory(F);
            assert.strictEqual(m.length, 1, v.toString());
            assert.match(m[0].message, /no browser_authentication private endpoint in this stack serves the workspace's region/);
            const attested = await check(() => inboundWorkspace({ browserAuth: "none" }), { ...ISO, config: ATTESTED });
            assert.deepStrictEqual(attested.mandatory(F), [], attested.toString());
            assert.match(attested.advisory(F)[0].message, /Attested outside this stack/);
        });

        it("a web-auth workspace of another region does not serve this one", async () => {
            const v = await check(() => inboundWorkspace({ browserAuth: "webauth", webAuthLocation: "northeurope" }), ISO);
            const m = v.mandatory(F).filter(d => d.urn === v.urn("prod-ws"));
            assert.strictEqual(m.length, 1, v.toString());
            assert.match(m[0].message, /serve other regions only: "prod-auth"/);
        });

        it("an endpoint to a web-auth workspace of another stack: unverified (advisory), never a pass", async () => {
            const v = await check(() => inboundWorkspace({ browserAuth: "external" }), ISO);
            assert.deepStrictEqual(v.mandatory(F), [], v.toString());
            const a = v.advisory(F);
            assert.strictEqual(a.length, 1, v.toString());
            assert.match(a[0].message, new RegExp(`Not verified: .*targets ${EXTERNAL_WEBAUTH_ID}, a workspace outside this stack`));
        });
    });

    it("Premium is a prerequisite: a Standard workspace fails with that reason", async () => {
        const v = await check(() => inboundWorkspace({ sku: "standard" }), ISO);
        const m = v.mandatory(F);
        assert.strictEqual(m.length, 1, v.toString());
        assert.match(m[0].message, /the workspace SKU is "standard": Private Link requires the Premium SKU/);
    });

    it("private DNS for privatelink.azuredatabricks.net missing where endpoints exist: advisory", async () => {
        const v = await check(() => {
            const { workspace } = nativeWorkspace({ publicNetworkAccess: "Disabled", dnsZone: false });
            transitEndpoint("prod-auth", workspace.id, ["browser_authentication"], { dns: "none" });
        }, ISO);
        assert.deepStrictEqual(v.mandatory(F), [], v.toString());
        const a = v.advisory(F);
        assert.strictEqual(a.length, 1, v.toString());
        assert.match(a[0].message, /Note: the workspace's private endpoints have no private DNS zone privatelink\.azuredatabricks\.net/);
    });

    it("several workspaces are judged separately", async () => {
        const v = await check(() => {
            inboundWorkspace({ name: "good" });
            inboundWorkspace({ name: "bad", publicNetworkAccess: "Enabled" });
        }, ISO);
        const m = v.mandatory(F);
        assert.deepStrictEqual(m.map(d => d.urn), [v.urn("bad-ws")], v.toString());
    });

    it("is not checked in Managed security or Hardened connectivity", async () => {
        for (const tier of ["managed-security", "hardened-connectivity"] as const) {
            const v = await check(() => inboundWorkspace({ publicNetworkAccess: "Enabled", browserAuth: "none" }), { tier });
            assert.deepStrictEqual(v.of(F), [], v.toString());
            assert.match(v.notApplicable(F) ?? "", /not part of the/);
        }
    });

    it("is not applicable to a stack without a workspace", async () => {
        const v = await check(() => new network.VirtualNetwork("lonely", { resourceGroupName: "rg", addressSpace: { addressPrefixes: ["10.0.0.0/16"] } }), ISO);
        assert.deepStrictEqual(v.of(F), [], v.toString());
        assert.match(v.notApplicable(F) ?? "", /no Azure Databricks workspace/);
    });
});
