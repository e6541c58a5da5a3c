import * as assert from "assert";
import * as fs from "fs";
import { check } from "../harness/check";
import { thePack } from "../harness/global";
import { nativeWorkspace } from "../../fixtures/native";
import { policyPackArgs, ConfigError, TIERS } from "../../policies";
import { expectedFiles } from "../../support/generated-files";
import { checkSettings } from "../../cli/check";

/** Sends one policy's raw properties through Configure and returns the error message, if any. */
async function configureError(policy: string, properties: Record<string, unknown>): Promise<string | undefined> {
    try {
        await thePack().configureRaw({ [policy]: { enforcementLevel: "mandatory", properties } });
        return undefined;
    } catch (e) {
        return (e as Error).message;
    }
}

describe("configuration", () => {
    after(async () => {
        // Leave the shared pack in a valid state for the next suite.
        await thePack().configure({});
    });

    describe("is validated at Configure, naming the field", () => {
        it("rejects an unknown tier and lists the allowed values", async () => {
            const msg = await configureError("vnet-injection", { tier: "ultra-secure" });
            assert.match(msg ?? "", /vnet-injection\.tier must be one of "managed-security", "hardened-connectivity", "isolated-environment"; got "ultra-secure"/);
        });

        it("rejects an attestation without a reason", async () => {
            const msg = await configureError("classic-compute-private-link", { attestations: [{ workspaces: ["ws"] }] });
            assert.match(msg ?? "", /classic-compute-private-link\.attestations\[0\]\.reason is required/);
        });

        it("rejects an exemption with a malformed expiry or without a resource", async () => {
            assert.match(await configureError("vnet-injection", { exemptions: [{ resource: "ws", reason: "r", expires: "next year" }] }) ?? "", /vnet-injection\.exemptions\[0\]\.expires must be a calendar date in the form YYYY-MM-DD/);
            assert.match(await configureError("vnet-injection", { exemptions: [{ reason: "r" }] }) ?? "", /vnet-injection\.exemptions\[0\]\.resource is required/);
        });

        it("rejects unknown properties and wrong shapes", async () => {
            assert.match(await configureError("vnet-injection", { teir: "isolated-environment" }) ?? "", /vnet-injection\.teir is not a known property \(tier, attestations, exemptions, requireEvidenceInStack, workspaceStorageAccounts, enforcementLevel\)/);
            assert.match(await configureError("vnet-injection", { attestations: "yes" }) ?? "", /vnet-injection\.attestations must be a list/);
        });

        it("refuses dates the calendar does not have, at Configure and in the command's --config", async () => {
            for (const day of ["2027-02-30", "2027-02-31", "2027-04-31", "2027-13-01", "2027-00-10", "2026-02-29"]) {
                assert.match(await configureError("vnet-injection", { exemptions: [{ resource: "ws", reason: "r", expires: day }] }) ?? "", new RegExp(`vnet-injection\\.exemptions\\[0\\]\\.expires must be a calendar date in the form YYYY-MM-DD; got "${day}"`), day);
                assert.throws(() => checkSettings({ config: { "vnet-injection": { exemptions: [{ resource: "ws", reason: "r", expires: day }] } }, configFile: "cfg.json" }), /cfg\.json: vnet-injection\.exemptions\[0\]\.expires must be a calendar date/, day);
            }
            // A leap day of a leap year is a date.
            assert.strictEqual(await configureError("vnet-injection", { exemptions: [{ resource: "ws", reason: "r", expires: "2028-02-29" }] }), undefined);
        });

        it("accepts valid configuration", async () => {
            assert.strictEqual(await configureError("vnet-injection", { tier: "managed-security", attestations: [{ reason: "hub" }], exemptions: [] }), undefined);
        });
    });

    describe("tier selection", () => {
        it("defaults to managed-security in the schema the engine sees", async () => {
            const info = await thePack().getAnalyzerInfo();
            for (const p of info.policies) {
                assert.strictEqual(p.configSchema?.properties.tier.default, "managed-security", p.name);
                assert.deepStrictEqual(p.configSchema?.properties.tier.enum, [...TIERS], p.name);
                assert.strictEqual(info.initialConfig[p.name]?.properties.tier, "managed-security", p.name);
                assert.strictEqual(info.initialConfig[p.name]?.enforcementLevel, p.enforcementLevel, p.name);
            }
        });

        it("names the configured tier in every message", async () => {
            const v = await check(() => nativeWorkspace({ noPublicIp: false }), { tier: "hardened-connectivity" });
            assert.match(v.mandatory("secure-cluster-connectivity")[0]?.message ?? "", /required in Hardened connectivity \(tier hardened-connectivity\)/, v.toString());
        });

        it("a stack tag asks for a stricter tier", async () => {
            const v = await check(() => nativeWorkspace({ noPublicIp: false }), { tier: "managed-security", tags: { "databricks-network-tier": "isolated-environment" } });
            assert.match(v.mandatory("secure-cluster-connectivity")[0]?.message ?? "", /tier isolated-environment/, v.toString());
        });

        it("a stack tag naming a weaker tier never lowers enforcement and is reported", async () => {
            const v = await check(() => nativeWorkspace({ noPublicIp: false }), { tier: "isolated-environment", tags: { "databricks-network-tier": "managed-security" } });
            assert.match(v.mandatory("secure-cluster-connectivity")[0]?.message ?? "", /tier isolated-environment/, v.toString());
            const note = v.advisory("tier-tag").find(d => /weaker tier/.test(d.message));
            assert.ok(note, v.toString());
            assert.strictEqual(note.urn, "");
            assert.ok(!v.diagnostics.some(d => d.policyName !== "tier-tag" && /weaker tier/.test(d.message)), "reported once, by the pack-level policy");
        });

        it("the stack tag notice is the pack's: disabling a feature policy does not drop it", async () => {
            const v = await check(() => nativeWorkspace(), { config: { "secure-cluster-connectivity": "disabled", "vnet-injection": "disabled" }, tags: { "databricks-network-tier": "gold" } });
            assert.ok(v.advisory("tier-tag").some(d => /names no tier/.test(d.message)), v.toString());
            assert.strictEqual(v.diagnostics.filter(d => d.policyName === "secure-cluster-connectivity").length, 0, v.toString());
        });

        it("a stack tag naming no tier is reported and ignored", async () => {
            const v = await check(() => nativeWorkspace(), { tags: { "databricks-network-tier": "gold" } });
            assert.ok(v.advisory("tier-tag").some(d => /names no tier/.test(d.message)), v.toString());
        });

        it("ready-made --policy-pack-config files exist for every tier and match the matrix", () => {
            for (const [file, content] of expectedFiles()) {
                assert.ok(fs.existsSync(file), `${file} is missing: run npm run generate`);
                assert.strictEqual(fs.readFileSync(file, "utf8"), content, `${file} is out of date: run npm run generate`);
            }
            for (const t of TIERS) {
                const cfg = JSON.parse(fs.readFileSync(`${__dirname}/../../../configs/${t}.json`, "utf8")) as Record<string, { tier: string }>;
                assert.ok(Object.values(cfg).every(c => c.tier === t));
            }
        });
    });

    describe("enforcement", () => {
        it("honours a user's choice to make a required policy advisory", async () => {
            const v = await check(() => nativeWorkspace({ noPublicIp: false }), { config: { "secure-cluster-connectivity": "advisory" } });
            assert.deepStrictEqual(v.mandatory(), [], v.toString());
            assert.ok(v.advisory("secure-cluster-connectivity").some(d => /is false/.test(d.message)), v.toString());
        });

        it("a disabled policy reports nothing", async () => {
            const v = await check(() => nativeWorkspace({ noPublicIp: false }), { config: { "secure-cluster-connectivity": "disabled" } });
            assert.deepStrictEqual(v.of("secure-cluster-connectivity"), [], v.toString());
        });
    });

    describe("library options", () => {
        it("sets tier and evidence once for every policy", () => {
            const { args, initialConfig } = policyPackArgs({
                tier: "isolated-environment",
                attestations: { "vnet-injection": [{ reason: "network stack" }] },
                exemptions: [{ features: ["classic-compute-private-link"], resource: "sandbox-ws", reason: "lab" }],
                enforcement: { "secure-cluster-connectivity-remediation": "remediate" },
            });
            assert.ok(args.policies.length >= 3);
            for (const p of args.policies) {
                assert.strictEqual((initialConfig[p.name] as { tier: string }).tier, "isolated-environment");
            }
            assert.deepStrictEqual((initialConfig["vnet-injection"] as { attestations: unknown }).attestations, [{ reason: "network stack" }]);
            assert.deepStrictEqual((initialConfig["classic-compute-private-link"] as { exemptions: unknown }).exemptions, [{ resource: "sandbox-ws", reason: "lab" }]);
            assert.strictEqual(args.policies.find(p => p.name === "secure-cluster-connectivity-remediation")?.enforcementLevel, "remediate");
        });

        it("rejects bad options with the field named", () => {
            assert.throws(() => policyPackArgs({ tier: "gold" as never }), (e: Error) => e instanceof ConfigError && /options\.tier must be one of/.test(e.message));
            assert.throws(() => policyPackArgs({ attestations: { "no-such-feature": [{ reason: "x" }] } as never }), /options\.attestations\.no-such-feature: "no-such-feature" is not a feature id; did you mean/);
            assert.throws(() => policyPackArgs({ attestations: { "vnet-injection": [{ reason: "" }] } }), /options\.attestations\.vnet-injection\[0\]\.reason is required/);
            assert.throws(() => policyPackArgs({ exemptions: [{ features: [], resource: "x", reason: "y" }] }), /options\.exemptions\[0\]\.features must list/);
            assert.throws(() => policyPackArgs({ enforcement: { "nope": "mandatory" } }), /options\.enforcement\.nope: "nope" is not a policy of this pack; did you mean/);
        });
    });
});
