import * as assert from "assert";
import { thePack } from "../harness/global";
import { runProgram } from "../../support/program";
import { check } from "../harness/check";
import { nativeWorkspace } from "../../fixtures/native";
import { classicWorkspace } from "../../fixtures/classic";
import { FEATURES, featureRow, TIER_TAG_POLICY } from "../../policies";
import { PACK_WIDE_POLICY, policyRef } from "../../policies/core/evaluation/naming";

describe("the pack as the engine sees it", () => {
    it("describes every policy: stable name, description, severity, tags, remediation, url", async () => {
        const info = await thePack().getAnalyzerInfo();
        assert.strictEqual(info.name, "azure-databricks-network");
        assert.match(info.version, /^\d+\.\d+\.\d+/);
        for (const f of FEATURES) {
            const p = info.policies.find(x => x.name === f.id);
            assert.ok(p, `policy ${f.id} missing`);
            assert.match(p.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
            assert.ok(p.tags.includes(`feature:${f.id}`) && p.tags.includes(`group:${featureRow(f.id).group}`), `${f.id}: ${p.tags}`);
            assert.ok(p.description.length > 20 && p.severity > 0 && /^https:\/\//.test(p.url), f.id);
            // A TypeScript fix, or (where no resource manages the feature) the attestation to give.
            assert.match(p.remediationSteps, /new (azure_native|azure|databricks)\.|"attestations"/, f.id);
            // The level the pack's tier gives the feature: advisory where optional.
            assert.strictEqual(p.enforcementLevel, f.id === "external-firewall" ? "advisory" : "mandatory", f.id);
        }
        for (const p of info.policies) {
            if (p.name === TIER_TAG_POLICY || p.name === PACK_WIDE_POLICY) {
                // The pack-level policies: no feature, advisory.
                assert.ok(p.tags.includes("pack") && p.enforcementLevel === "advisory", p.name);
                continue;
            }
            const feature = p.tags.find(t => t.startsWith("feature:"))?.slice("feature:".length);
            assert.ok(feature && p.name.startsWith(feature), `${p.name} does not begin with its feature id`);
            assert.deepStrictEqual(policyRef(p.name)?.feature, feature, p.name);
        }
    });

    it("Analyze of single resources never throws and reports only what the resource policies decide", async () => {
        for (const preview of [true, false]) {
            const stack = await runProgram(() => { nativeWorkspace(); classicWorkspace(); }, { preview });
            await check(() => nativeWorkspace());
            for (const r of stack.resources) {
                const res = await thePack().analyze(r, stack.resources);
                assert.ok(res.diagnostics.every(d => d.policyName.endsWith("-resource")), r.urn);
                // Compliant resources: nothing mandatory; at preview, unknown values say so.
                assert.deepStrictEqual(res.diagnostics.filter(d => d.enforcementLevel === "mandatory"), [], r.urn);
            }
        }
    });

    it("AnalyzeStack tolerates odd property shapes without crashing or passing silently", async () => {
        const stack = await runProgram(() => nativeWorkspace(), { preview: false });
        const ws = stack.resources.find(r => r.name === "prod-ws");
        assert.ok(ws);
        for (const odd of [{ parameters: "not-an-object" }, { parameters: { enableNoPublicIp: 42 } }, { parameters: null }, { sku: [1, 2] }]) {
            const mutated = stack.resources.map(r => r === ws ? { ...r, outputs: { ...r.outputs, ...odd } } : r);
            await thePack().configure({});
            const res = await thePack().analyzeStack(mutated);
            assert.ok(res.diagnostics.some(d => d.urn === ws.urn), `${JSON.stringify(odd)} produced no diagnostic`);
        }
    });

    it("Remediate sets no-public-IP when the remediation policy runs at 'remediate', and only then", async () => {
        const stack = await runProgram(() => { nativeWorkspace({ noPublicIp: false }); classicWorkspace({ noPublicIp: "omit" }); }, { preview: false });
        const native = stack.resources.find(r => r.name === "prod-ws");
        const classic = stack.resources.find(r => r.name === "cl-ws");
        assert.ok(native && classic);
        await thePack().configure({});
        assert.deepStrictEqual(await thePack().remediate(native), []);
        await thePack().configure({ "secure-cluster-connectivity-remediation": "remediate" });
        const [fixed] = await thePack().remediate(native);
        assert.strictEqual(fixed.policyName, "secure-cluster-connectivity-remediation");
        assert.deepStrictEqual((fixed.properties?.parameters as Record<string, unknown>).enableNoPublicIp, { value: true });
        assert.strictEqual((fixed.properties?.parameters as Record<string, { value: unknown }>).customPublicSubnetName.value, "prod-host");
        const [fixedClassic] = await thePack().remediate(classic);
        assert.strictEqual((fixedClassic.properties?.customParameters as Record<string, unknown>).noPublicIp, true);
        await thePack().configure({});
    });
});
