import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as databricks from "@pulumi/databricks";
import { check, Verdicts } from "../harness/check";
import { SUBSCRIPTION } from "../../support/program";
import { nativeWorkspace } from "../../support/fixtures/native";
import { classicWorkspace, GOOD_LIST, ipAccessLists } from "../../support/fixtures/inbound";

const F = "workspace-ip-access-lists";
const HARD = { tier: "hardened-connectivity" as const };
const ATTESTED = { [F]: { attestations: [{ reason: "IP access lists are managed by the platform team's workspace-config stack" }] } };

function assertPass(v: Verdicts): void {
    assert.strictEqual(v.notApplicable(F), undefined, "evaluated, not skipped");
    assert.deepStrictEqual(v.of(F), [], v.toString());
}

function onlyMandatory(v: Verdicts): string {
    const m = v.mandatory(F);
    assert.strictEqual(m.length, 1, v.toString());
    return m[0].message;
}

describe(F, () => {
    describe("reaching the workspace", () => {
        it("passes through a provider's azureWorkspaceResourceId (update: known ARM ID)", async () => {
            assertPass(await check(() => ipAccessLists(nativeWorkspace().workspace), HARD));
        });

        it("passes at preview, the workspace ID unknown, through the provider's dependencies", async () => {
            assertPass(await check(() => ipAccessLists(nativeWorkspace().workspace), { ...HARD, preview: true }));
        });

        it("passes through a provider's host (the workspace URL, with a trailing slash)", async () => {
            assertPass(await check(() => ipAccessLists(nativeWorkspace().workspace, { via: "host" }), HARD));
            assertPass(await check(() => ipAccessLists(nativeWorkspace().workspace, { via: "host" }), { ...HARD, preview: true }));
        });

        it("passes through providerConfig.workspaceId under an account-level provider", async () => {
            assertPass(await check(() => ipAccessLists(nativeWorkspace().workspace, { via: "workspaceId" }), HARD));
            assertPass(await check(() => ipAccessLists(nativeWorkspace().workspace, { via: "workspaceId" }), { ...HARD, preview: true }));
        });

        it("a provider naming the workspace by an ARM ID in other letter case", async () => {
            const v = await check(() => {
                nativeWorkspace();
                const p = new databricks.Provider("upper", { azureWorkspaceResourceId: `/subscriptions/${SUBSCRIPTION}/RESOURCEGROUPS/RG-DBX/providers/MICROSOFT.DATABRICKS/workspaces/PROD-WS` });
                new databricks.WorkspaceConf("conf", { customConfig: { enableIpAccessLists: "true" } }, { provider: p });
                new databricks.IpAccessList("corp", { label: "corp", listType: "ALLOW", ipAddresses: ["203.0.113.0/24"] }, { provider: p });
            }, HARD);
            assertPass(v);
        });

        it("classic provider and a versioned azure-native token", async () => {
            assertPass(await check(() => ipAccessLists(classicWorkspace()), HARD));
            assertPass(await check(() => ipAccessLists(nativeWorkspace({ workspaceToken: "azure-native:databricks/v20240501:Workspace" }).workspace), HARD));
        });

        it("the default provider names no workspace: unverified (advisory), never a pass", async () => {
            const v = await check(() => ipAccessLists(nativeWorkspace().workspace, { via: "default" }), HARD);
            assert.deepStrictEqual(v.mandatory(F), [], v.toString());
            const a = v.advisory(F);
            assert.strictEqual(a.length, 2, v.toString());
            assert.ok(a.every(d => /Not verified: .*names no workspace/.test(d.message)), v.toString());
        });
    });

    describe("WorkspaceConf", () => {
        it("fails enableIpAccessLists \"false\"; an attestation cannot cover the stack's own value", async () => {
            const v = await check(() => ipAccessLists(nativeWorkspace().workspace, { conf: "false" }), { ...HARD, config: ATTESTED });
            const m = onlyMandatory(v);
            assert.match(m, /"acl-conf" \(databricks:index\/workspaceConf:WorkspaceConf\) sets enableIpAccessLists to "false"/);
            assert.match(m, /Fix: enable the feature on the workspace/);
        });

        it("a boolean true is not the string \"true\"", async () => {
            const m = onlyMandatory(await check(() => ipAccessLists(nativeWorkspace().workspace, { conf: true }), HARD));
            assert.match(m, /sets enableIpAccessLists to true \(only the string "true" enables IP access lists\)/);
        });

        it("fails without a WorkspaceConf; an attestation turns it into an advisory \"Attested\"", async () => {
            const m = onlyMandatory(await check(() => ipAccessLists(nativeWorkspace().workspace, { conf: "none" }), HARD));
            assert.match(m, /no WorkspaceConf in this stack enables IP access lists for this workspace/);
            const v = await check(() => ipAccessLists(nativeWorkspace().workspace, { conf: "none" }), { ...HARD, config: ATTESTED });
            assert.deepStrictEqual(v.mandatory(F), [], v.toString());
            assert.match(v.advisory(F)[0].message, /Attested outside this stack: IP access lists are managed by the platform team/);
        });
    });

    describe("IpAccessList", () => {
        it("fails an allow list of 0.0.0.0/0, and one of ::/0", async () => {
            for (const cidr of ["0.0.0.0/0", "::/0"]) {
                const m = onlyMandatory(await check(() => ipAccessLists(nativeWorkspace().workspace, { lists: [GOOD_LIST, { ipAddresses: ["10.0.0.0/8", cidr] }] }), HARD));
                assert.match(m, new RegExp(`"acl-list-1" .* allows ${cidr.replace(/[./:]/g, c => `\\${c}`)}: an allow list that admits every address restricts nothing`));
            }
        });

        it("a disabled list and a BLOCK list do not count", async () => {
            // A disabled ALLOW list is its own problem, reported on it; the workspace's is not repeated.
            const m = onlyMandatory(await check(() => ipAccessLists(nativeWorkspace().workspace, {
                lists: [{ ...GOOD_LIST, enabled: false }, { listType: "BLOCK", ipAddresses: ["198.51.100.7/32"] }],
            }), HARD));
            assert.match(m, /"acl-list-0" \(databricks:index\/ipAccessList:IpAccessList\) is disabled: the allow list restricts nothing/);
            assert.doesNotMatch(m, /no enabled ALLOW list/);
            assert.doesNotMatch(m, /attest it/);
            const blockOnly = onlyMandatory(await check(() => ipAccessLists(nativeWorkspace().workspace, {
                lists: [{ listType: "BLOCK", ipAddresses: ["198.51.100.7/32"] }],
            }), HARD));
            assert.match(blockOnly, /Found: no enabled ALLOW list for this workspace in this stack \("acl-list-0" \(databricks:index\/ipAccessList:IpAccessList\) is a BLOCK list\)/);
            assert.doesNotMatch(blockOnly, /attest it/);
        });

        it("fails without any list; attestable", async () => {
            const m = onlyMandatory(await check(() => ipAccessLists(nativeWorkspace().workspace, { lists: [] }), HARD));
            assert.match(m, /no IpAccessList in this stack applies to this workspace/);
            assert.match(m, /attest it: set "workspace-ip-access-lists"/);
        });

        it("addresses unknown at preview: no mandatory verdict, an explicit advisory", async () => {
            const v = await check(() => {
                const { workspace } = nativeWorkspace();
                const p = new databricks.Provider("ws", { azureWorkspaceResourceId: workspace.id });
                const nat = new network.PublicIPAddress("nat-ip", { resourceGroupName: "rg-dbx", publicIpAddressName: "nat-ip" });
                new databricks.WorkspaceConf("conf", { customConfig: { enableIpAccessLists: "true" } }, { provider: p });
                new databricks.IpAccessList("egress", { label: "egress", listType: "ALLOW", ipAddresses: [pulumi.interpolate`${nat.ipAddress}/32`] }, { provider: p });
            }, { ...HARD, preview: true });
            assert.deepStrictEqual(v.mandatory(F), [], v.toString());
            assert.match(v.advisory(F)[0].message, /Not verified: an allow list may apply but cannot be confirmed: "egress" .*ipAddresses unknown until apply/);
        });
    });

    it("several workspaces are judged separately", async () => {
        const v = await check(() => {
            ipAccessLists(nativeWorkspace({ name: "a" }).workspace, { name: "a-acl" });
            nativeWorkspace({ name: "b" });
        }, HARD);
        const m = v.mandatory(F);
        assert.deepStrictEqual([...new Set(m.map(d => d.urn))], [v.urn("b-ws")], v.toString());
    });

    it("at preview, a provider that could reach either of two workspaces leaves both open, and only them", async () => {
        const v = await check(() => {
            const a = nativeWorkspace({ name: "a" }).workspace;
            const b = nativeWorkspace({ name: "b" }).workspace;
            nativeWorkspace({ name: "c" });
            // The provider's workspace ID depends on both a and b: either may be the one.
            const provider = new databricks.Provider("ab-provider", { azureWorkspaceResourceId: pulumi.all([a.id, b.id]).apply(([x]) => x) });
            new databricks.WorkspaceConf("ab-conf", { customConfig: { enableIpAccessLists: "true" } }, { provider });
            new databricks.IpAccessList("ab-list", { label: "ab", listType: "ALLOW", ipAddresses: GOOD_LIST.ipAddresses ?? [] }, { provider });
        }, { ...HARD, preview: true });
        assert.deepStrictEqual([...new Set(v.mandatory(F).map(d => d.urn))], [v.urn("c-ws")], v.toString());
        const open = v.advisory(F);
        assert.deepStrictEqual([...new Set(open.map(d => d.urn))].sort(), [v.urn("a-ws"), v.urn("b-ws")].sort(), v.toString());
        assert.ok(open.every(d => /Not verified/.test(d.message)), v.toString());
    });

    it("resources for a workspace of another stack are judged against that workspace", async () => {
        const v = await check(() => ipAccessLists(undefined, { via: "external", conf: "none" }), HARD);
        const m = onlyMandatory(v);
        assert.match(m, /workspace \/subscriptions\/.*\/shared-ws \(declared in another stack, reached through provider "acl-provider" azureWorkspaceResourceId\): no WorkspaceConf/);
        // A list's own catch-all range is reported on the list, whichever workspace it reaches.
        const catchAll = onlyMandatory(await check(() => ipAccessLists(undefined, { via: "external", lists: [{ ipAddresses: ["0.0.0.0/0"] }] }), HARD));
        assert.match(catchAll, /"acl-list-0" \(databricks:index\/ipAccessList:IpAccessList\) allows 0\.0\.0\.0\/0/);
        assertPass(await check(() => ipAccessLists(undefined, { via: "external" }), HARD));
    });

    it("Premium is a prerequisite: a Standard workspace fails with that reason", async () => {
        const m = onlyMandatory(await check(() => ipAccessLists(nativeWorkspace({ sku: "standard" }).workspace), HARD));
        assert.match(m, /the workspace SKU is "standard": IP access lists requires the Premium SKU/);
    });

    it("is required in Isolated, not checked in Managed security, not applicable without workspaces or Databricks resources", async () => {
        assert.strictEqual((await check(() => ipAccessLists(nativeWorkspace().workspace, { lists: [] }), { tier: "isolated-environment" })).mandatory(F).length, 1);
        const ms = await check(() => ipAccessLists(nativeWorkspace().workspace, { lists: [] }), { tier: "managed-security" });
        assert.deepStrictEqual(ms.of(F), [], ms.toString());
        assert.match(ms.notApplicable(F) ?? "", /not part of the Managed security/);
        const empty = await check(() => new network.VirtualNetwork("lonely", { resourceGroupName: "rg", addressSpace: { addressPrefixes: ["10.0.0.0/16"] } }), HARD);
        assert.match(empty.notApplicable(F) ?? "", /no Azure Databricks workspace/);
    });
});
