import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { featureRow, FEATURE_IDS, MATRIX, TIERS } from "../../../policies/matrix";
import { FEATURES } from "../../../policies/features";
import { policyName, policyRef, TIER_TAG_POLICY } from "../../../policies/core/evaluation/naming";
import { ConfigError } from "../../../policies/core/evaluation/config";
import { layerConfigFile, readSettings, workspaceStorageAccounts } from "../../../policies/core/evaluation/settings";
import { decide } from "../../../policies/core/evaluation/verdicts";
import { analyzeStack } from "../../harness/check";
import { REPO_DIR } from "../../e2e/programs";
import { runProgram } from "../../../support/program";
import { decideOn, decideOnStack, settingsFor } from "../../../support/verdicts";
import { nativeWorkspace } from "../../../fixtures/native";
import { StackModel } from "../../../policies/core/model/stack";
import { FeatureModule } from "../../../policies/core/rules/contract";
import { evaluateResource } from "../../../policies/core/evaluation/evaluate";
import { classicWorkspace } from "../../../fixtures/classic";

describe("the feature registry and the matrix", () => {
    it("has one module per matrix row, in matrix order, in a folder named after its feature id", () => {
        assert.deepStrictEqual(FEATURES.map(f => f.id), MATRIX.map(r => r.id));
        for (const f of FEATURES) {
            const file = path.join(REPO_DIR, "policies", featureRow(f.id).group, f.id, "index.ts");
            assert.ok(fs.existsSync(file), `${f.id}: no ${path.relative(REPO_DIR, file)}`);
        }
    });

    it("names policies in one place, and maps every name back to its feature", () => {
        for (const id of FEATURE_IDS) {
            for (const role of ["stack", "remediation", "resource"] as const) {
                assert.deepStrictEqual(policyRef(policyName(id, role)), { feature: id, role });
            }
        }
        assert.strictEqual(policyRef(TIER_TAG_POLICY), undefined);
        assert.strictEqual(policyRef("vnet-injection-remediations"), undefined);
    });
});

describe("settings, one reader for every source", () => {
    const base = new Map([
        ["vnet-injection", { enforcement: "mandatory" as const, properties: { tier: "managed-security" } }],
        ["external-firewall", { enforcement: "mandatory" as const, properties: { tier: "managed-security", attestations: [{ reason: "hub" }] } }],
    ]);
    const shape = { names: ["vnet-injection", "external-firewall"], baseline: base, tier: "managed-security" as const };

    it("layers a --policy-pack-config file over the pack's configuration as the engine does", () => {
        const layered = layerConfigFile(base, { all: "advisory", "vnet-injection": { enforcementLevel: "mandatory", tier: "isolated-environment" } });
        assert.deepStrictEqual(layered.get("vnet-injection"), { enforcement: "mandatory", properties: { tier: "isolated-environment" } });
        // Properties the file does not name keep the pack's values; "all" sets every other level.
        assert.deepStrictEqual(layered.get("external-firewall"), { enforcement: "advisory", properties: { tier: "managed-security", attestations: [{ reason: "hub" }] } });
        // The CLI sends "all" on as an entry of its own, and unknown names too (config.go's applyConfig).
        assert.deepStrictEqual(layered.get("all"), { enforcement: "advisory", properties: {} });
    });

    it("refuses the whole configuration when one entry is wrong, naming the field", () => {
        const raw = new Map([...base, ["external-firewall", { enforcement: "mandatory" as const, properties: { tier: "gold" } }]]);
        assert.throws(() => readSettings(raw, shape), (e: unknown) => e instanceof ConfigError && /external-firewall\.tier must be one of/.test(e.message));
        assert.throws(() => readSettings(layerConfigFile(base, { "vnet-injektion": "advisory" }), shape), /"vnet-injektion" is not a policy of this pack; did you mean "vnet-injection"\?/);
        assert.throws(() => readSettings(new Map([["vnet-injection", { enforcement: "sometimes" as never, properties: {} }]]), shape), /vnet-injection\.enforcementLevel must be one of advisory, mandatory, disabled, remediate; got "sometimes"/);
    });

    it("gives the storage accounts the workspaces use as every feature's settings give them, each once", () => {
        assert.deepStrictEqual(workspaceStorageAccounts(settingsFor()), []);
        assert.deepStrictEqual(workspaceStorageAccounts(settingsFor({ config: { "all-features": { workspaceStorageAccounts: ["lake"] } } })), ["lake"]);
        const own = settingsFor({ config: { "all-features": { workspaceStorageAccounts: ["lake"] }, "serverless-stable-ips": { workspaceStorageAccounts: ["lake", "logs"] } } });
        assert.deepStrictEqual(workspaceStorageAccounts(own), ["lake", "logs"]);
    });
});

describe("the decision function", () => {
    it("gives in process exactly the diagnostics the engine gives, for both providers, preview and update, at every tier", async () => {
        const program = () => { nativeWorkspace({ name: "a", noPublicIp: false }); classicWorkspace({ delegate: false }); };
        for (const preview of [true, false]) {
            const stack = await runProgram(program, { preview });
            for (const tier of TIERS) {
                const engine = await analyzeStack(stack, { tier });
                const here = decideOnStack(stack, { tier });
                // The engine reports resource-local problems from the per-resource policy (`<id>-resource`).
                const engineLines = engine.diagnostics.map(d => `[${d.enforcementLevel}] ${d.policyName.replace(/-resource$/, "")} ${d.urn}\n${d.message}`);
                assert.deepStrictEqual([...here.lines()].sort(), engineLines.sort(), `${tier}, preview ${preview}`);
                assert.ok(here.mandatory().length > 0, `${tier}: the mutated stack fails`);
            }
        }
    });

    it("reports a required feature's failure at the configured level, and nothing for a disabled policy", async () => {
        const failing = () => nativeWorkspace({ noPublicIp: false });
        const strict = await decideOn(failing);
        assert.strictEqual(strict.mandatory("secure-cluster-connectivity").length, 1, strict.toString());
        const softened = await decideOn(failing, { config: { "secure-cluster-connectivity": "advisory" } });
        assert.strictEqual(softened.mandatory("secure-cluster-connectivity").length, 0, softened.toString());
        assert.strictEqual(softened.advisory("secure-cluster-connectivity").length, 1, softened.toString());
        const disabled = await decideOn(failing, { config: { "secure-cluster-connectivity": "disabled" } });
        assert.strictEqual(disabled.reported.filter(r => r.policy === "secure-cluster-connectivity").length, 0);
        assert.strictEqual(disabled.verdict.features.find(f => f.feature === "secure-cluster-connectivity")?.notApplicable, "disabled by configuration");
    });

    it("takes a composed pack's options: tier, enforcement overrides and attestations", async () => {
        const program = () => nativeWorkspace({ backend: "none" });
        const plain = await decideOn(program, { pack: { tier: "hardened-connectivity" } });
        assert.strictEqual(plain.verdict.tier, "hardened-connectivity");
        assert.ok(plain.mandatory("classic-compute-private-link").length > 0, plain.toString());
        const attested = await decideOn(program, {
            pack: { tier: "hardened-connectivity", attestations: { "classic-compute-private-link": [{ reason: "back-end endpoint in the hub stack" }] }, enforcement: { "external-firewall": "mandatory" } },
        });
        assert.strictEqual(attested.mandatory("classic-compute-private-link").length, 0, attested.toString());
        assert.ok(attested.advisory("classic-compute-private-link").some(r => r.status === "attested"), attested.toString());
        assert.strictEqual(attested.verdict.features.find(f => f.feature === "external-firewall")?.enforcement, "mandatory");
    });

    it("keeps findings structured: found, missing and fix are fields, the message is their rendering", async () => {
        const v = await decideOn(() => nativeWorkspace({ noPublicIp: false }));
        const [r] = v.mandatory("secure-cluster-connectivity");
        assert.ok(r.feature);
        assert.strictEqual(r.status, "fail");
        assert.match(r.found, /enableNoPublicIp\.value is false/);
        assert.strictEqual(r.missing, "Secure Cluster Connectivity (no public IP)");
        assert.match(r.fix ?? "", /enableNoPublicIp: \{ value: true \}/);
        assert.strictEqual(r.resource?.name, "prod-ws");
    });
});

describe("checks of single resources", () => {
    it("a check that throws is mandatory where the feature is required: it could not judge", () => {
        const model = new StackModel([{ urn: "urn:pulumi:dev::p::azure-native:databricks:Workspace::ws", type: "azure-native:databricks:Workspace", name: "ws", props: {} }]);
        const broken: FeatureModule = {
            ...FEATURES[0],
            resourceCheck: { id: "broken/check", summary: "s", kinds: ["workspace"], check: () => { throw new Error("boom"); } },
        };
        const [o] = evaluateResource(broken, model.resources[0], { tier: "managed-security", attestations: [], exemptions: [], requireEvidenceInStack: false, workspaceStorageAccounts: [] });
        assert.strictEqual(o.level, "mandatory");
        assert.match(o.found, /could not evaluate this resource \(boom\)/);
        assert.strictEqual(o.stage, "before-creation");
    });

    it("a stack finding is left to the resource policy by its check id, whatever its wording", () => {
        const model = new StackModel([{ urn: "urn:pulumi:dev::p::azure-native:databricks:Workspace::ws", type: "azure-native:databricks:Workspace", name: "ws", props: {} }]);
        const ws = model.resources[0];
        const probe: FeatureModule = {
            ...FEATURES[0],
            resourceCheck: { id: "probe/own", summary: "s", kinds: ["workspace"], check: () => [{ status: "fail", resource: ws, found: "per resource", check: "probe/own" }] },
            evaluate: () => [
                { status: "fail", resource: ws, found: "worded for the stack", check: "probe/own" },
                { status: "fail", resource: ws, found: "per resource" },
                { status: "fail", found: "about the stack", check: "probe/own" },
            ],
        };
        const v = decide([probe], model, settingsFor({ tier: "managed-security" }), undefined);
        assert.deepStrictEqual(v.features[0].findings.map(o => [o.found, o.stage === "before-creation"]), [
            ["worded for the stack", true],
            ["per resource", false],
            ["about the stack", false],
        ]);
    });
});
