// Configuration as users write it: under the names the findings show, with levels that do what
// they say, misspelled names, and exemptions or attestations that no longer cover anything. The
// engine (Configure over gRPC) and the command (`--config`) read one file one way: each case is
// asked of both and must get the same answer.

import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkSettings } from "../../cli/check";
import { cutAtWord, loadComposedPack } from "../../cli/pack-loader";
import { policyPackArgs, TIERS } from "../../policies";
import { PackConfigFile } from "../../policies/core/evaluation/settings";
import { thePack } from "../harness/global";
import { check } from "../harness/check";
import { runCommand } from "../harness/command";
import { stackExport } from "../../support/documents";
import { runProgram } from "../../support/program";
import { decideOn } from "../../support/verdicts";
import { nativeWorkspace } from "../../fixtures/native";

const CONFIGURE_PREFIX = /^3 INVALID_ARGUMENT: invalid policy pack configuration: /;

/** What the engine answers to a `--policy-pack-config` file: undefined when accepted, else the reason. */
async function engineAnswer(file: PackConfigFile): Promise<string | undefined> {
    try {
        await thePack().configure(file);
        return undefined;
    } catch (e) {
        const msg = (e as Error).message;
        assert.match(msg, CONFIGURE_PREFIX);
        return msg.replace(CONFIGURE_PREFIX, "");
    }
}

/** What the command's `--config` answers to the same file (its reading of the configuration). */
function commandAnswer(file: PackConfigFile): string | undefined {
    try {
        checkSettings({ config: file, configFile: "cfg.json" });
        return undefined;
    } catch (e) {
        const msg = (e as Error).message;
        assert.match(msg, /^cfg\.json: /);
        return msg.replace(/^cfg\.json: /, "");
    }
}

/** Both answers, which must be the same. */
async function answer(file: PackConfigFile): Promise<string | undefined> {
    const [engine, command] = [await engineAnswer(file), commandAnswer(file)];
    assert.strictEqual(engine, command, `engine and command differ on ${JSON.stringify(file)}`);
    return engine;
}

const EXEMPTION = { resource: "partner", reason: "partner onboarding", expires: "2999-01-01" };

describe("configuration under the names users see", () => {
    after(async () => {
        // Leave the shared pack in a valid state for the next suite.
        await thePack().configure({});
    });

    describe("a feature's settings under its -resource or -remediation policy, or tier-tag: refused, naming where they go (engine and command alike)", () => {
        const cases: { title: string; file: PackConfigFile; says: RegExp }[] = [
            {
                title: "an exemption under the -resource policy a finding is shown under",
                file: { "delta-sharing-ip-access-lists-resource": { exemptions: [EXEMPTION] } },
                says: /^delta-sharing-ip-access-lists-resource\.exemptions: configure this under "delta-sharing-ip-access-lists"/,
            },
            {
                title: "an attestation under the -remediation policy",
                file: { "secure-cluster-connectivity-remediation": { attestations: [{ reason: "hub" }] } },
                says: /^secure-cluster-connectivity-remediation\.attestations: configure this under "secure-cluster-connectivity"/,
            },
            {
                title: "requireEvidenceInStack under a -resource policy",
                file: { "vnet-injection-resource": { requireEvidenceInStack: true } },
                says: /^vnet-injection-resource\.requireEvidenceInStack: configure this under "vnet-injection" \(or under "all-features" for every feature\)/,
            },
            {
                title: "an exemption under tier-tag",
                file: { "tier-tag": { exemptions: [EXEMPTION] } },
                says: /^tier-tag\.exemptions: configure this under the feature it is for/,
            },
            {
                title: "requireEvidenceInStack under tier-tag",
                file: { "tier-tag": { requireEvidenceInStack: true } },
                says: /^tier-tag\.requireEvidenceInStack: configure this under "all-features"/,
            },
            {
                title: "attestations under all-features (they are per feature)",
                file: { "all-features": { attestations: [{ reason: "hub" }] } },
                says: /^all-features\.attestations: configure this under the feature it is for/,
            },
            {
                title: "a level under the -resource policy",
                file: { "secure-cluster-connectivity-resource": "advisory" },
                says: /^secure-cluster-connectivity-resource\.enforcementLevel: the check before creation takes the level of its feature: set "secure-cluster-connectivity": "advisory"/,
            },
            {
                title: "properties under all",
                file: { all: { enforcementLevel: "mandatory", tier: "isolated-environment" } },
                says: /^"all" sets every policy's enforcement level and takes no properties; put settings for every feature under "all-features"/,
            },
        ];
        for (const c of cases) {
            it(c.title, async () => {
                assert.match(await answer(c.file) ?? "(accepted)", c.says);
            });
        }

        it("accepts what applies as written: disabling a -resource check, the run's tier under any name, all", async () => {
            for (const file of [
                { "secure-cluster-connectivity-resource": "disabled" },
                { "all-features": { tier: "hardened-connectivity" }, "tier-tag": { tier: "hardened-connectivity" }, "vnet-injection-resource": { tier: "hardened-connectivity" } },
                { all: "advisory" },
                { "secure-cluster-connectivity-remediation": "remediate" },
            ] as PackConfigFile[]) {
                assert.strictEqual(await answer(file), undefined, JSON.stringify(file));
            }
        });
    });

    describe("one tier per run", () => {
        it("refuses policies configured with different tiers, naming the policies and tiers (engine and command alike)", async () => {
            const msg = await answer({ "workspace-inbound-private-link": { tier: "isolated-environment" } });
            assert.match(msg ?? "", /^one tier per run, but policies are configured with different tiers: all-features: managed-security; workspace-inbound-private-link: isolated-environment\. Set the tier once/);
            const two = await answer({ "all-features": { tier: "hardened-connectivity" }, "vnet-injection": { tier: "isolated-environment" }, "tier-tag": { tier: "isolated-environment" } });
            assert.match(two ?? "", /: all-features: hardened-connectivity; tier-tag, vnet-injection: isolated-environment\./);
        });

        it("all-features sets the tier of every feature, shown in the report and in every message", async () => {
            await thePack().configureStack({ dryRun: false });
            await thePack().configure({ "all-features": { tier: "isolated-environment" } });
            const stack = await runProgram(() => nativeWorkspace({ noPublicIp: false }), { preview: false });
            const result = await thePack().analyzeStack(stack);
            assert.ok(result.diagnostics.length > 0);
            assert.ok(result.diagnostics.filter(d => d.policyName !== "tier-tag").every(d => /\(tier isolated-environment\)/.test(d.message)), JSON.stringify(result.diagnostics));
            // Isolated's inbound Private Link is judged: nothing says it is outside the tier.
            assert.strictEqual(result.notApplicable.find(n => n.policyName === "workspace-inbound-private-link"), undefined);
            const settings = checkSettings({ config: { "all-features": { tier: "isolated-environment" } } });
            assert.ok([...settings.values()].every(s => s.config.tier === "isolated-environment"));
        });
    });

    describe("levels do what they say", () => {
        it("an explicit mandatory makes an optional feature's failures mandatory; the report's level is the level applied", async () => {
            const as = await decideOn(() => nativeWorkspace(), { tier: "hardened-connectivity" });
            const raised = await decideOn(() => nativeWorkspace(), { tier: "hardened-connectivity", config: { "external-firewall": "mandatory" } });
            const library = await decideOn(() => nativeWorkspace(), { pack: { tier: "hardened-connectivity", enforcement: { "external-firewall": "mandatory" } } });
            assert.ok(as.advisory("external-firewall").length > 0 && as.mandatory("external-firewall").length === 0, as.toString());
            assert.strictEqual(as.verdict.features.find(f => f.feature === "external-firewall")?.enforcement, "advisory");
            for (const v of [raised, library]) {
                assert.ok(v.mandatory("external-firewall").length > 0, v.toString());
                assert.strictEqual(v.verdict.features.find(f => f.feature === "external-firewall")?.enforcement, "mandatory");
            }
        });

        it("advisory softens a required feature, also when the tier is raised by the same file", async () => {
            const failing = () => nativeWorkspace({ noPublicIp: false });
            const soft = await decideOn(failing, { config: { "all-features": { tier: "hardened-connectivity" }, "secure-cluster-connectivity": "advisory" }, pack: {} });
            assert.strictEqual(soft.mandatory("secure-cluster-connectivity").length, 0, soft.toString());
            assert.strictEqual(soft.verdict.features.find(f => f.feature === "secure-cluster-connectivity")?.enforcement, "advisory");
            assert.strictEqual(soft.verdict.tier, "hardened-connectivity");
            // A feature the raised tier requires, and the file leaves alone, is mandatory.
            assert.strictEqual(soft.verdict.features.find(f => f.feature === "workspace-ip-access-lists")?.enforcement, "mandatory");
        });

        it("the engine applies the raised level too, and the command's JSON report shows it", async () => {
            const file: PackConfigFile = { "all-features": { tier: "hardened-connectivity" }, "external-firewall": "mandatory" };
            await thePack().configureStack({ dryRun: false });
            await thePack().configure(file);
            const stack = await runProgram(() => nativeWorkspace(), { preview: false });
            const engine = await thePack().analyzeStack(stack);
            assert.ok(engine.diagnostics.some(d => d.policyName === "external-firewall" && d.enforcementLevel === "mandatory"), JSON.stringify(engine.diagnostics));
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dbx-levels-"));
            try {
                const cfg = path.join(dir, "cfg.json");
                const state = path.join(dir, "state.json");
                fs.writeFileSync(cfg, JSON.stringify(file));
                fs.writeFileSync(state, JSON.stringify(stackExport(stack)));
                const r = await runCommand(["--config", cfg, state, "--format", "json"]);
                assert.strictEqual(r.code, 1, r.err);
                const report = JSON.parse(r.out) as { tier: string; features: { id: string; enforcementLevel: string }[]; findings: { feature: string; level: string }[] };
                assert.strictEqual(report.tier, "hardened-connectivity");
                assert.strictEqual(report.features.find(f => f.id === "external-firewall")?.enforcementLevel, "mandatory");
                assert.ok(report.findings.some(f => f.feature === "external-firewall" && f.level === "mandatory"));
                const plain = await runCommand(["--tier", "hardened-connectivity", state, "--format", "json"]);
                const before = JSON.parse(plain.out) as typeof report;
                assert.strictEqual(before.features.find(f => f.id === "external-firewall")?.enforcementLevel, "advisory", "the level applied, not the policy's default");
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    });

    describe("misspelled policy names", () => {
        it("are refused with the nearest name, by the engine's Configure as by the command", async () => {
            // The Pulumi CLI sends every key of the file on to Configure, unknown ones included
            // (applyConfig in pulumi/pulumi pkg/resource/analyzer/config.go): the pack refuses them.
            const msg = await answer({ "acount-ip-access-lists": "advisory" });
            assert.strictEqual(msg, `"acount-ip-access-lists" is not a policy of this pack; did you mean "account-ip-access-lists"?`);
            assert.match(await answer({ "external-firewal": { enforcementLevel: "mandatory", tier: "managed-security" } }) ?? "", /did you mean "external-firewall"\?/);
            assert.match(await answer({ "all-feature": { enforcementLevel: "advisory", tier: "hardened-connectivity" } }) ?? "", /did you mean "all-features"\?/);
        });

        it("the library refuses them too, with the nearest name", () => {
            assert.throws(() => policyPackArgs({ enforcement: { "extrenal-firewall": "mandatory" } }), /options\.enforcement\.extrenal-firewall: "extrenal-firewall" is not a policy of this pack; did you mean "external-firewall"\?/);
            assert.throws(() => policyPackArgs({ attestations: { "acount-ip-access-lists": [{ reason: "x" }] } as never }), /did you mean "account-ip-access-lists"\?/);
        });
    });

    describe("exemptions and attestations that no longer cover anything", () => {
        const failing = () => nativeWorkspace({ noPublicIp: false });
        const config: PackConfigFile = {
            "secure-cluster-connectivity": {
                exemptions: [{ resource: "prod-ws", reason: "lab", expires: "2020-01-31" }, { resource: "old-ws", reason: "decommissioned" }],
                attestations: [{ reason: "hub", workspaces: ["prod-ws", "ghost-ws"] }],
            },
        };

        it("an expired exemption says which one expired and when, on the finding it no longer covers", async () => {
            const v = await decideOn(failing, { config });
            const [finding] = v.mandatory("secure-cluster-connectivity");
            assert.ok(finding?.feature, v.toString());
            assert.deepStrictEqual(finding.expiredExemption, { resource: "prod-ws", reason: "lab", expires: "2020-01-31" });
            assert.strictEqual(finding.status, "fail");
        });

        it("an exemption or attestation naming nothing in the stack is an advisory note", async () => {
            const v = await decideOn(failing, { config });
            const notes = v.advisory("secure-cluster-connectivity").filter(r => r.status === "note").map(r => r.unmatched);
            assert.deepStrictEqual(notes, [
                { exemption: { resource: "old-ws", reason: "decommissioned" } },
                { attestation: { reason: "hub", workspaces: ["prod-ws", "ghost-ws"] }, workspaces: ["ghost-ws"] },
            ]);
        });

        it("the engine shows both, as the command does", async () => {
            const v = await check(failing, { config });
            const scc = v.diagnostics.filter(d => d.policyName.startsWith("secure-cluster-connectivity"));
            assert.ok(scc.some(d => d.enforcementLevel === "mandatory" && /\nExemption expired on 2020-01-31: lab /.test(d.message)), v.toString());
            assert.ok(scc.some(d => d.enforcementLevel === "advisory" && /the exemption of "old-ws" names no resource of this stack/.test(d.message)), v.toString());
            assert.ok(scc.some(d => d.enforcementLevel === "advisory" && /names a workspace not in this stack: "ghost-ws"/.test(d.message)), v.toString());
        });
    });

    describe("small ones", () => {
        it("a library exemption's error names its index once", () => {
            assert.throws(() => policyPackArgs({ exemptions: [{ features: ["vnet-injection"], resource: "x", reason: "y", expires: "soon" }] }),
                (e: Error) => e.message.startsWith("options.exemptions[0].expires must be a calendar date"));
        });

        it("a pack-load error keeps the names it lists whole", () => {
            const root = fs.mkdtempSync(path.join(os.tmpdir(), "dbx-load-"));
            try {
                const file = path.join(root, "pack.js");
                fs.writeFileSync(file, `throw new Error("unknown feature id (known: ${TIERS.join(", ")}, " + ${JSON.stringify("secure-cluster-connectivity, ".repeat(40))} + "vnet-injection)");\n`);
                assert.throws(() => loadComposedPack(file), (e: Error) => {
                    const listed = e.message.slice(e.message.indexOf("known: ") + 7).replace(/ …$/, "").split(", ");
                    return e.message.endsWith(" …") && listed.every(n => ["managed-security", "hardened-connectivity", "isolated-environment", "secure-cluster-connectivity"].includes(n));
                });
            } finally {
                fs.rmSync(root, { recursive: true, force: true });
            }
            assert.strictEqual(cutAtWord("alpha beta gamma", 12), "alpha beta …");
            assert.strictEqual(cutAtWord("alpha, beta, gamma", 13), "alpha, beta …");
        });
    });
});
