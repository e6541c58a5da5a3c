import * as assert from "assert";
import { thePack } from "../harness/global";
import { check } from "../harness/check";
import { tierConfig } from "../../support/engine";
import { RecordedStack, runProgram } from "../../support/program";
import { Diagnostic } from "../../support/engine";
import { PackConfigFile } from "../../policies/core/evaluation/settings";
import { nativeWorkspace } from "../../fixtures/native";
import { classicWorkspace } from "../../fixtures/classic";
import { allowFrom, ingressPolicy, recipient } from "../../fixtures/inbound";
import { TierId } from "../../policies";

/**
 * What `pulumi up` does with one resource before creating it: Remediate, then Analyze with its
 * resolved inputs. No AnalyzeStack call: these verdicts exist before anything is created.
 */
async function analyzeOne(stack: RecordedStack, name: string, tier: TierId, config: PackConfigFile = {}, tags: Record<string, string> = {}): Promise<Diagnostic[]> {
    const pack = thePack();
    await pack.configureStack({ dryRun: false, tags });
    const info = await pack.info();
    await pack.configure(tierConfig(tier, config, info.policies.map(p => p.name)), info);
    const res = stack.resources.find(r => r.name === name);
    assert.ok(res, `no resource ${name}`);
    return (await pack.analyze(res, stack.resources)).diagnostics;
}

const mandatory = (ds: Diagnostic[], policy: string) => ds.filter(d => d.policyName === policy && d.enforcementLevel === "mandatory");

interface Case {
    what: string;
    tier: TierId;
    program: () => unknown;
    good: () => unknown;
    resource: string;
    policy: string;
    message: RegExp;
}

const CASES: Case[] = [
    { what: "a workspace with public IPs (azure-native)", tier: "managed-security", program: () => nativeWorkspace({ noPublicIp: false }), good: () => nativeWorkspace(), resource: "prod-ws", policy: "secure-cluster-connectivity-resource", message: /enableNoPublicIp\.value is false/ },
    { what: "a workspace with public IPs (versioned token)", tier: "managed-security", program: () => nativeWorkspace({ noPublicIp: false, workspaceToken: "azure-native:databricks/v20240501:Workspace" }), good: () => nativeWorkspace({ workspaceToken: "azure-native:databricks/v20240501:Workspace" }), resource: "prod-ws", policy: "secure-cluster-connectivity-resource", message: /enableNoPublicIp\.value is false/ },
    { what: "a workspace with public IPs (classic azure)", tier: "managed-security", program: () => classicWorkspace({ noPublicIp: false }), good: () => classicWorkspace(), resource: "cl-ws", policy: "secure-cluster-connectivity-resource", message: /customParameters\.noPublicIp is false/ },
    { what: "a workspace without VNet injection parameters", tier: "managed-security", program: () => nativeWorkspace({ subnets: "none" }), good: () => nativeWorkspace(), resource: "prod-ws", policy: "vnet-injection-resource", message: /sets no VNet ID/ },
    { what: "requiredNsgRules AllRules (azure-native)", tier: "managed-security", program: () => nativeWorkspace({ requiredNsgRules: "AllRules" }), good: () => nativeWorkspace(), resource: "prod-ws", policy: "classic-compute-private-link-resource", message: /requiredNsgRules is "AllRules"/ },
    { what: "networkSecurityGroupRulesRequired AllRules (classic azure)", tier: "managed-security", program: () => classicWorkspace({ nsgRulesRequired: "AllRules" }), good: () => classicWorkspace(), resource: "cl-ws", policy: "classic-compute-private-link-resource", message: /networkSecurityGroupRulesRequired is "AllRules"/ },
    { what: "a Standard workspace where Private Link needs Premium", tier: "managed-security", program: () => nativeWorkspace({ sku: "standard" }), good: () => nativeWorkspace(), resource: "prod-ws", policy: "classic-compute-private-link-resource", message: /SKU is "standard": Private Link requires the Premium SKU/ },
    { what: "public network access enabled at Isolated (azure-native)", tier: "isolated-environment", program: () => nativeWorkspace({ publicNetworkAccess: "Enabled" }), good: () => nativeWorkspace({ publicNetworkAccess: "Disabled" }), resource: "prod-ws", policy: "workspace-inbound-private-link-resource", message: /publicNetworkAccess is "Enabled"/ },
    { what: "public network access enabled at Isolated (classic azure)", tier: "isolated-environment", program: () => classicWorkspace({ publicNetworkAccessEnabled: true }), good: () => classicWorkspace({ publicNetworkAccessEnabled: false }), resource: "cl-ws", policy: "workspace-inbound-private-link-resource", message: /publicNetworkAccessEnabled is true/ },
    { what: "account-policy with public ingress in FULL_ACCESS", tier: "hardened-connectivity", program: () => ingressPolicy("acct", { restrictionMode: "FULL_ACCESS" }), good: () => ingressPolicy("acct"), resource: "acct", policy: "account-ip-access-lists-resource", message: /restrictionMode "FULL_ACCESS": every public address reaches the account console/ },
    { what: "account-policy whose allow rule admits allIpRanges", tier: "hardened-connectivity", program: () => ingressPolicy("acct", { allowRules: [{ origin: { allIpRanges: true } }] }), good: () => ingressPolicy("acct"), resource: "acct", policy: "account-ip-access-lists-resource", message: /allowRules\[0\] admits every address \(allIpRanges\)/ },
    { what: "account-policy whose ranges together cover every address", tier: "hardened-connectivity", program: () => ingressPolicy("acct", { allowRules: [allowFrom(["0.0.0.0/1", "128.0.0.0/1"])] }), good: () => ingressPolicy("acct"), resource: "acct", policy: "account-ip-access-lists-resource", message: /0\.0\.0\.0\/1, 128\.0\.0\.0\/1 together cover the whole space/ },
    { what: "account-policy restricted only in ingressDryRun", tier: "hardened-connectivity", program: () => ingressPolicy("acct", { dryRunOnly: true }), good: () => ingressPolicy("acct"), resource: "acct", policy: "account-ip-access-lists-resource", message: /only in ingressDryRun, which logs requests and restricts nothing/ },
    { what: "account destinations in another policy (the API refuses them)", tier: "hardened-connectivity", program: () => ingressPolicy("acct", { networkPolicyId: "restricted" }), good: () => ingressPolicy("acct"), resource: "acct", policy: "account-ip-access-lists-resource", message: /names account destinations .* which the API accepts only in account-policy/ },
    { what: "a TOKEN recipient without an IP access list", tier: "hardened-connectivity", program: () => recipient("partner", "TOKEN"), good: () => recipient("partner", "TOKEN", ["203.0.113.0/24"]), resource: "partner", policy: "delta-sharing-ip-access-lists-resource", message: /TOKEN recipient without ipAccessList\.allowedIpAddresses/ },
];

describe("checks before creation: the engine's per-resource Analyze refuses what one resource's own inputs decide", () => {
    after(async () => {
        await thePack().configure({});
        await thePack().configureStack({});
    });

    for (const c of CASES) {
        it(`${c.what}: refused by ${c.policy}, with no AnalyzeStack call`, async () => {
            const bad = await analyzeOne(await runProgram(c.program, { preview: false }), c.resource, c.tier);
            const refused = mandatory(bad, c.policy);
            assert.strictEqual(refused.length, 1, JSON.stringify(bad, null, 1));
            assert.match(refused[0].message, c.message);
            assert.match(refused[0].message, /\nFix: /);
            assert.ok(refused[0].urn.endsWith(`::${c.resource}`), refused[0].urn);
            const good = await analyzeOne(await runProgram(c.good, { preview: false }), c.resource, c.tier);
            assert.deepStrictEqual(good.filter(d => d.enforcementLevel === "mandatory"), [], JSON.stringify(good, null, 1));
        });
    }

    it("acts only at tiers that require the feature; a stack tag raises the tier", async () => {
        const stack = await runProgram(() => nativeWorkspace({ publicNetworkAccess: "Enabled" }), { preview: false });
        assert.deepStrictEqual(mandatory(await analyzeOne(stack, "prod-ws", "managed-security"), "workspace-inbound-private-link-resource"), []);
        const tagged = await analyzeOne(stack, "prod-ws", "managed-security", {}, { "databricks-network-tier": "isolated-environment" });
        assert.strictEqual(mandatory(tagged, "workspace-inbound-private-link-resource").length, 1);
    });

    it("honours the feature's exemptions, attestations and enforcement level, configured once on the feature", async () => {
        const stack = await runProgram(() => nativeWorkspace({ noPublicIp: false }), { preview: false });
        const exempted = await analyzeOne(stack, "prod-ws", "managed-security", { "secure-cluster-connectivity": { exemptions: [{ resource: "prod-ws", reason: "lab", expires: "2999-01-01" }] } });
        assert.deepStrictEqual(mandatory(exempted, "secure-cluster-connectivity-resource"), []);
        assert.ok(exempted.some(d => d.policyName === "secure-cluster-connectivity-resource" && /Exempted: lab/.test(d.message)), JSON.stringify(exempted));
        // An attestation covers missing evidence, never the resource's own wrong value.
        const attested = await analyzeOne(stack, "prod-ws", "managed-security", { "secure-cluster-connectivity": { attestations: [{ reason: "hub" }] } });
        assert.strictEqual(mandatory(attested, "secure-cluster-connectivity-resource").length, 1);
        const softened = await analyzeOne(stack, "prod-ws", "managed-security", { "secure-cluster-connectivity": "advisory" });
        assert.deepStrictEqual(mandatory(softened, "secure-cluster-connectivity-resource"), []);
        assert.strictEqual(softened.filter(d => d.policyName === "secure-cluster-connectivity-resource").length, 1);
        // Disabling the resource policy hands its checks back to the stack policy.
        const v = await check(() => nativeWorkspace({ noPublicIp: false }), { config: { "secure-cluster-connectivity-resource": "disabled" } });
        assert.deepStrictEqual(v.perResource.filter(d => d.policyName === "secure-cluster-connectivity-resource"), []);
        assert.strictEqual(mandatory(v.diagnostics, "secure-cluster-connectivity").length, 1, v.toString());
    });

    it("reports each problem once per run: on the resource, not again for the stack", async () => {
        for (const preview of [false, true]) {
            const v = await check(() => { nativeWorkspace({ noPublicIp: false, requiredNsgRules: "AllRules" }); recipient("partner", "TOKEN"); }, { tier: "hardened-connectivity", preview });
            const scc = v.of("secure-cluster-connectivity").filter(d => /enableNoPublicIp\.value is false/.test(d.message));
            const nsg = v.of("classic-compute-private-link").filter(d => /requiredNsgRules is "AllRules"/.test(d.message));
            const rcpt = v.of("delta-sharing-ip-access-lists").filter(d => /TOKEN recipient without/.test(d.message));
            // At a first preview the workspace's parameters are unknown (they reference the new VNet).
            const seen = preview ? [["nsg", nsg], ["recipient", rcpt]] as const : [["scc", scc], ["nsg", nsg], ["recipient", rcpt]] as const;
            for (const [what, ds] of seen) {
                assert.strictEqual(ds.length, 1, `${what}, preview ${preview}: ${v.toString()}`);
                assert.match(ds[0].policyName, /-resource$/, `${what} is reported before creation`);
            }
        }
    });

    it("at preview a value unknown in the resource's inputs is advisory on the resource, judged again when known", async () => {
        const stack = await runProgram(() => nativeWorkspace({ noPublicIp: false }), { preview: true });
        const ds = await analyzeOne(stack, "prod-ws", "managed-security");
        assert.deepStrictEqual(mandatory(ds, "secure-cluster-connectivity-resource"), []);
        assert.ok(ds.some(d => d.policyName === "secure-cluster-connectivity-resource" && d.enforcementLevel === "advisory" && /Not verified/.test(d.message)), JSON.stringify(ds));
    });

    it("Remediate runs before Analyze: with the fix applied the workspace is accepted", async () => {
        const stack = await runProgram(() => nativeWorkspace({ noPublicIp: false }), { preview: false });
        const ws = stack.resources.find(r => r.name === "prod-ws");
        assert.ok(ws);
        const pack = thePack();
        await pack.configure(tierConfig("managed-security", { "secure-cluster-connectivity-remediation": "remediate" }, (await pack.info()).policies.map(p => p.name)));
        const [fixed] = await pack.remediate(ws, stack.resources);
        assert.ok(fixed?.properties);
        const after = await pack.analyze({ ...ws, inputs: fixed.properties }, stack.resources);
        assert.deepStrictEqual(mandatory(after.diagnostics, "secure-cluster-connectivity-resource"), []);
    });
});
