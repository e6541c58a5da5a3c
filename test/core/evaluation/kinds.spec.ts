// The four kinds of a not-passing finding as the engine enforces them (gRPC, recorded programs):
// missing evidence blocks until attested, evidence outside the stack blocks only when the
// configuration asks for strict evidence, and values unknown until apply never block at preview
// but are judged once known.

import * as assert from "assert";
import { check, CheckOptions, Verdicts } from "../../harness/check";
import { PackConfigFile } from "../../../policies/core/evaluation/settings";
import { nativeWorkspace } from "../../../fixtures/native";
import * as network from "@pulumi/azure-native/network";
import * as databricks from "@pulumi/azure-native/databricks";
import * as dbx from "@pulumi/databricks";
import { egressPolicy, nccBinding, networkOption } from "../../../fixtures/outbound";
import { dataStorage, externalLocation, FIREWALL_OUTPUTS, routedWorkspace } from "../../../fixtures/outbound-network";
import { ncc } from "../../../fixtures/outbound";
import { recipient } from "../../../fixtures/inbound";
import { FeatureId, TierId } from "../../../policies/matrix";

const H = "hardened-connectivity" as const;
const I = "isolated-environment" as const;

interface Form {
    feature: FeatureId;
    tier: TierId;
    program: () => unknown;
    /** What the message must say. */
    says: RegExp;
    outputs?: CheckOptions["outputs"];
}

const attest = (feature: FeatureId): PackConfigFile => ({ [feature]: { attestations: [{ reason: "held by the account stack", reference: "stacks/account" }] } });
const strict = (feature: FeatureId): PackConfigFile => ({ [feature]: { requireEvidenceInStack: true } });
const restricted = () => egressPolicy("restricted", { enforcementMode: "ENFORCED" });

function only(v: Verdicts, feature: FeatureId, level: "mandatory" | "advisory"): string {
    const mine = v.of(feature);
    assert.strictEqual(mine.length, 1, v.toString());
    assert.strictEqual(mine[0].enforcementLevel, level, v.toString());
    return mine[0].message;
}

const NCC_SUBNET = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/prod-westeurope-nephos/providers/Microsoft.Network/virtualNetworks/kaas-vnet/subnets/worker-subnet";
const NCC_OUTPUTS = { ncc: { egressConfig: { defaultRules: { azureServiceEndpointRule: { subnets: [NCC_SUBNET], targetRegion: "westeurope" } } } } };
/** A lake the workspace uses, closed by a Deny firewall; `subnetIds` are the VNet rules it allows. */
const closedLake = (subnetIds?: string[]) => () => {
    const { workspace } = nativeWorkspace();
    nccBinding("bind", ncc("ncc"), workspace);
    dataStorage({ defaultAction: "Deny", ...(subnetIds ? { subnetIds } : {}) });
    externalLocation("lake-data", "lake");
};

const MISSING: Form[] = [
    { feature: "performance-services-private-link", tier: I, program: () => nativeWorkspace({ publicNetworkAccess: "Disabled" }), says: /no service_direct private endpoint in this stack serves region westeurope/ },
    { feature: "workspace-inbound-private-link", tier: I, program: () => nativeWorkspace({ publicNetworkAccess: "Disabled" }), says: /no browser_authentication private endpoint in this stack serves the workspace's region/ },
    { feature: "serverless-stable-ips", tier: "managed-security", program: closedLake(), says: /Deny firewall that allows none of the NCC's subnets/, outputs: NCC_OUTPUTS },
    { feature: "serverless-egress-control", tier: H, program: () => nativeWorkspace(), says: /declares no account network policy or workspace network option/ },
    { feature: "serverless-private-link", tier: H, program: () => nativeWorkspace(), says: /declares no network connectivity configuration/ },
    { feature: "account-ip-access-lists", tier: H, program: () => nativeWorkspace(), says: /this stack does not declare the account's account-policy \(nor any account IP access list\)/ },
    { feature: "workspace-ip-access-lists", tier: H, program: () => nativeWorkspace(), says: /no WorkspaceConf in this stack enables IP access lists/ },
    { feature: "classic-compute-private-link", tier: H, program: () => nativeWorkspace({ backend: "none" }), says: /no private endpoint in this stack targets this workspace/ },
    { feature: "external-firewall", tier: I, program: () => routedWorkspace({ host: "none" }), says: /has no route table/, outputs: FIREWALL_OUTPUTS },
];

const OUTSIDE: Form[] = [
    { feature: "serverless-stable-ips", tier: "managed-security", program: closedLake(["/subscriptions/2222/resourceGroups/other/providers/Microsoft.Network/virtualNetworks/v/subnets/s"]), says: /allowing subnets outside this stack/, outputs: NCC_OUTPUTS },
    { feature: "serverless-egress-control", tier: H, program: () => networkOption("opt", nativeWorkspace().workspace, "policy-of-the-account-stack"), says: /network policy "policy-of-the-account-stack", which is not declared in this stack/ },
    { feature: "serverless-private-link", tier: H, program: () => nccBinding("bind", "ncc-from-account-stack", nativeWorkspace().workspace), says: /binds NCC "ncc-from-account-stack", which is not declared in this stack/ },
    { feature: "external-firewall", tier: I, program: () => routedWorkspace({ host: { ip: "10.99.0.4" }, firewall: false }), says: /VirtualAppliance 10\.99\.0\.4, which is no firewall or appliance of this stack/ },
    { feature: "vnet-injection", tier: H, program: () => new databricks.Workspace("ext-ws", {
        resourceGroupName: "rg", workspaceName: "ext-ws", managedResourceGroupId: "/subscriptions/0000/resourceGroups/m", sku: { name: "premium" },
        parameters: { customVirtualNetworkId: { value: "/subscriptions/0000/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/hub-spoke" }, customPublicSubnetName: { value: "host" }, customPrivateSubnetName: { value: "container" } },
    }), says: /not declared in this stack/ },
];

describe("the kinds of a finding, enforced by the engine", () => {
    describe("missing: nothing in the stack provides the feature", () => {
        for (const f of MISSING) {
            it(`${f.feature}: mandatory in ${f.tier}, with the fix and both attestation forms; attested, an advisory that stays visible`, async () => {
                const opts = { tier: f.tier, outputs: f.outputs };
                const m = (await check(f.program, opts)).of(f.feature).filter(d => f.says.test(d.message));
                assert.ok(m.length > 0 && m.every(d => d.enforcementLevel === "mandatory"), m.map(d => d.message).join("\n"));
                assert.match(m[0].message, /\nFix: /);
                assert.match(m[0].message, new RegExp(`attest it: set "${f.feature}": \\{"attestations": \\[\\{"reason": "…"\\}\\]\\}.*library: \`attestations: \\{ "${f.feature}": \\[\\{ reason: "…" \\}\\] \\}\``));
                const attested = await check(f.program, { ...opts, config: attest(f.feature) });
                const a = attested.of(f.feature).filter(d => /Attested outside this stack: held by the account stack \(reference: stacks\/account\)/.test(d.message));
                assert.ok(a.length > 0 && a.every(d => d.enforcementLevel === "advisory"), attested.toString());
                assert.ok(a.some(d => f.says.test(d.message)), attested.toString());
            });
        }

        it("external-firewall below Isolated (optional): the same missing route table is advisory", async () => {
            const v = await check(() => routedWorkspace({ host: "none" }), { tier: H, outputs: FIREWALL_OUTPUTS });
            assert.deepStrictEqual(v.mandatory("external-firewall"), [], v.toString());
            assert.ok(v.advisory("external-firewall").some(d => /has no route table/.test(d.message)), v.toString());
        });

        it("a wrong value is never covered by an attestation", async () => {
            const program = () => networkOption("opt", nativeWorkspace().workspace, egressPolicy("open", { restrictionMode: "FULL_ACCESS" }));
            const v = await check(program, { tier: H, config: attest("serverless-egress-control") });
            assert.match(only(v, "serverless-egress-control", "mandatory"), /restrictionMode "FULL_ACCESS"/);
        });
    });

    describe("points outside: the evidence names something another stack declares", () => {
        for (const f of OUTSIDE) {
            it(`${f.feature}: advisory by default, mandatory with requireEvidenceInStack, attestable either way`, async () => {
                const opts = { tier: f.tier, outputs: f.outputs };
                const def = (await check(f.program, opts)).of(f.feature).filter(d => f.says.test(d.message));
                assert.ok(def.length > 0 && def.every(d => d.enforcementLevel === "advisory"), def.map(d => d.message).join("\n"));
                assert.match(def[0].message, /Not verified: /);
                assert.match(def[0].message, new RegExp(`If this is satisfied outside the stack, attest it: set "${f.feature}"`));
                const s = (await check(f.program, { ...opts, config: strict(f.feature) })).of(f.feature).filter(d => f.says.test(d.message));
                assert.ok(s.length > 0 && s.every(d => d.enforcementLevel === "mandatory"), s.map(d => d.message).join("\n"));
                assert.match(s[0].message, new RegExp(`requireEvidenceInStack is set, so evidence outside this stack blocks: declare it here, or attest it: set "${f.feature}"`));
                const cfg = { [f.feature]: { requireEvidenceInStack: true, attestations: [{ reason: "held by the account stack" }] } };
                const attested = await check(f.program, { ...opts, config: cfg });
                assert.deepStrictEqual(attested.mandatory(f.feature), [], attested.toString());
            });
        }

        it("requireEvidenceInStack leaves other policies alone and never touches an optional feature's level", async () => {
            const f = OUTSIDE[2];
            const v = await check(f.program, { tier: H, outputs: f.outputs, config: strict("external-firewall") });
            assert.deepStrictEqual(v.mandatory("external-firewall"), [], v.toString());
        });
    });

    describe("fail and unknown on a resource's own values (checked before creation)", () => {
        it("secure-cluster-connectivity: unknown at preview is advisory; public IPs are mandatory at update and no attestation covers them", async () => {
            const program = () => nativeWorkspace({ noPublicIp: false });
            const preview = await check(program, { preview: true });
            assert.deepStrictEqual(preview.mandatory("secure-cluster-connectivity"), [], preview.toString());
            assert.ok(preview.advisory("secure-cluster-connectivity").some(d => /Not verified: .*unknown until apply/.test(d.message)), preview.toString());
            const update = await check(program, { config: attest("secure-cluster-connectivity") });
            assert.match(only(update, "secure-cluster-connectivity", "mandatory"), /enableNoPublicIp\.value is false/);
        });

        it("delta-sharing-ip-access-lists: an allow list unknown at preview is advisory, a catch-all is mandatory at update and not attestable", async () => {
            const program = () => { const { workspace } = nativeWorkspace(); recipient("partner", "TOKEN", workspace.id.apply(() => ["0.0.0.0/0"])); };
            const preview = await check(program, { tier: H, preview: true });
            assert.match(only(preview, "delta-sharing-ip-access-lists", "advisory"), /unknown until apply/);
            const update = await check(program, { tier: H, config: attest("delta-sharing-ip-access-lists") });
            assert.match(only(update, "delta-sharing-ip-access-lists", "mandatory"), /admits every address/);
        });
    });

    describe("unknown: a value unknown until apply", () => {
        // The policy's restriction mode is computed from the workspace's ID: unknown at preview, known at update.
        const program = () => {
            const { workspace } = nativeWorkspace();
            const policy = new dbx.AccountNetworkPolicy("open", {
                accountId: "acc-1", networkPolicyId: "open",
                egress: { networkAccess: { restrictionMode: workspace.id.apply(() => "FULL_ACCESS") } },
            });
            networkOption("opt", workspace, policy);
        };

        it("advisory at preview, saying what is checked once the value is known; judged (mandatory) at update", async () => {
            const preview = await check(program, { tier: H, preview: true });
            const msg = only(preview, "serverless-egress-control", "advisory");
            assert.match(msg, /^Not verified: .*policy .*"open".*, which has an egress restriction mode unknown until apply\.\n/);
            assert.match(msg, /Checked once the value is known \(pulumi up analyzes again\): /);
            const update = await check(program, { tier: H });
            assert.match(only(update, "serverless-egress-control", "mandatory"), /restrictionMode "FULL_ACCESS"/);
        });

        it("requireEvidenceInStack does not block an unknown value", async () => {
            const preview = await check(program, { tier: H, preview: true, config: strict("serverless-egress-control") });
            only(preview, "serverless-egress-control", "advisory");
        });
    });

    describe("what a stack holds", () => {
        it("an account stack (policies, no workspace) is judged on them: a FULL_ACCESS default-policy fails, no workspace feature is demanded", async () => {
            const v = await check(() => egressPolicy("default", { networkPolicyId: "default-policy", restrictionMode: "FULL_ACCESS" }), { tier: H });
            const m = v.mandatory("serverless-egress-control");
            assert.strictEqual(m.length, 1, v.toString());
            assert.strictEqual(m[0].urn, v.urn("default"));
            assert.match(m[0].message, /restrictionMode "FULL_ACCESS".*applies to every workspace without a WorkspaceNetworkOption/);
            for (const id of ["serverless-private-link", "workspace-ip-access-lists", "vnet-injection", "cloud-service-private-access"]) {
                assert.deepStrictEqual(v.of(id), [], v.toString());
            }
            const ok = await check(() => { egressPolicy("default", { networkPolicyId: "default-policy" }); restricted(); }, { tier: H });
            assert.deepStrictEqual(ok.of("serverless-egress-control"), [], ok.toString());
        });

        it("a stack with no Databricks workspace or account resource gets nothing", async () => {
            const v = await check(() => new network.VirtualNetwork("lonely", { resourceGroupName: "rg", addressSpace: { addressPrefixes: ["10.0.0.0/16"] } }), { tier: I });
            assert.deepStrictEqual(v.diagnostics, [], v.toString());
        });
    });

    describe("requireEvidenceInStack is configuration like tier", () => {
        it("a malformed value is refused at Configure, naming the field", async () => {
            await assert.rejects(check(() => nativeWorkspace(), { tier: H, config: { "serverless-egress-control": { requireEvidenceInStack: "yes" } } }),
                (e: Error) => /requireEvidenceInStack/.test(e.message) && /serverless-egress-control/.test(e.message));
        });
    });
});
