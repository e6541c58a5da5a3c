// Readiness: one run judges the stack at every tier (the one decision function, once per tier, on
// one model) and says which tier it meets and what each tier lacks, with the evidence kinds.

import * as assert from "assert";
import { TIERS, TierId } from "../../policies/matrix";
import { combineReadiness, Readiness } from "../../policies/core/evaluation/readiness";
import { checkStack } from "../../cli/check";
import { jsonReadiness, renderJson } from "../../cli/formats/json";
import { kindWord, Reason } from "../../policies/core/rules/contract";
import { renderMarkdown } from "../../cli/formats/markdown";
import { renderSarif } from "../../cli/formats/sarif";
import { renderTable } from "../../cli/formats/table";
import { MUTATIONS } from "../e2e/mutations";
import { PROGRAMS, removed, reportOf, setValues } from "./reports";

const program = (tier: TierId) => PROGRAMS.find(p => p.tier === tier) as (typeof PROGRAMS)[number];
const mutation = (id: string) => removed(MUTATIONS.find(m => m.id === id)?.remove as (p: string, r: { type: string; name: string }) => boolean);

/** Per tier: met, and the features with their kinds (`!` after the kinds of a gap that does not block). */
function summary(r: Readiness): Record<TierId, { met: boolean; features: string[] }> {
    const out = {} as Record<TierId, { met: boolean; features: string[] }>;
    for (const t of TIERS) {
        out[t] = { met: r.tiers[t].met, features: r.tiers[t].features.map(g => `${g.feature} ${g.reasons.map(kindWord).join("+")}${g.blocking ? "" : " !"}`) };
    }
    return out;
}

describe("readiness: the highest tier a stack meets, and what each tier lacks", () => {
    for (const p of PROGRAMS) {
        it(`the ${p.tier} reference program meets ${p.tier} and nothing higher`, async () => {
            const r = await reportOf(p);
            assert.strictEqual(r.readiness.highest, p.tier, JSON.stringify(summary(r.readiness)));
            const rank = TIERS.indexOf(p.tier);
            for (const t of TIERS) {
                assert.strictEqual(r.readiness.tiers[t].met, TIERS.indexOf(t) <= rank, t);
            }
            // Judging every tier adds to the verdicts of the run's own tier, and changes none of them.
            assert.strictEqual(r.tier, p.tier);
            assert.strictEqual(r.summary.mandatory, 0);
        });
    }

    it("the Managed security program at Hardened connectivity: what it lacks, by kind", async () => {
        const r = await reportOf(program("managed-security"), { tier: "hardened-connectivity" });
        // The run's own tier still decides the findings and the exit status; readiness is the same whatever --tier.
        assert.ok(r.summary.mandatory > 0);
        assert.deepStrictEqual(r.readiness, (await reportOf(program("managed-security"))).readiness);
        const hc = r.readiness.tiers["hardened-connectivity"];
        const blocking = hc.features.filter(g => g.blocking).map(g => g.feature);
        assert.deepStrictEqual(new Set(blocking), new Set(r.features.filter(f => f.mandatory > 0).map(f => f.id)));
        for (const g of hc.features) {
            assert.ok(g.reasons.length > 0 && g.findings > 0, JSON.stringify(g));
        }
    });

    it("a Hardened connectivity stack one feature short (no NCC binding) meets Managed security only", async () => {
        const r = await reportOf(program("hardened-connectivity"), { edits: [mutation("remove-ncc-binding")] });
        const s = summary(r.readiness);
        assert.strictEqual(r.readiness.highest, "managed-security", JSON.stringify(s));
        assert.deepStrictEqual(s["hardened-connectivity"].features.filter(f => !f.endsWith("!")), ["serverless-private-link missing"]);
    });

    it("an Isolated environment stack one feature short meets Hardened connectivity: a missing endpoint, a wrong route", async () => {
        const noWebAuth = await reportOf(program("isolated-environment"), { edits: [mutation("remove-browser-authentication-endpoint")] });
        assert.strictEqual(noWebAuth.readiness.highest, "hardened-connectivity");
        assert.deepStrictEqual(summary(noWebAuth.readiness)["isolated-environment"].features, ["workspace-inbound-private-link missing"]);
        const internet = await reportOf(program("isolated-environment"), {
            edits: [setValues("routes", v => ({ ...v, routes: [{ name: "default-to-internet", addressPrefix: "0.0.0.0/0", nextHopType: "Internet" }] }))],
        });
        assert.strictEqual(internet.readiness.highest, "hardened-connectivity");
        assert.deepStrictEqual(summary(internet.readiness)["isolated-environment"].features, ["external-firewall fail"]);
        // External firewall is optional below Isolated: it is no gap of those tiers.
        assert.deepStrictEqual(internet.readiness.tiers["hardened-connectivity"].features, []);
    });

    it("a wrong value at the lowest tier: no tier is met", async () => {
        const r = await reportOf(program("managed-security"), {
            edits: [setValues("ws", v => ({ ...v, parameters: { ...(v.parameters as object), enableNoPublicIp: { value: false } } }))],
        });
        assert.strictEqual(r.readiness.highest, null);
        for (const t of TIERS) {
            assert.ok(r.readiness.tiers[t].features.some(g => g.feature === "secure-cluster-connectivity" && g.blocking && g.reasons.includes("wrong")), t);
        }
    });

    describe("the user's configuration applies: evidence settings count, enforcement levels do not", () => {
        const hc = () => program("hardened-connectivity");
        const short = mutation("remove-ncc-binding");

        it("an attestation covers missing evidence: the tier is met, the gap gone", async () => {
            const config = { ...hc().packConfig, "serverless-private-link": { attestations: [{ reason: "bound in the account stack" }] } };
            const r = await reportOf(hc(), { edits: [short], config });
            assert.strictEqual(r.readiness.highest, "hardened-connectivity");
            assert.ok(!r.readiness.tiers["hardened-connectivity"].features.some(g => g.feature === "serverless-private-link"));
        });

        it("an exemption of the workspace covers it too", async () => {
            const config = { ...hc().packConfig, "serverless-private-link": { exemptions: [{ resource: "hc-ws", reason: "serverless not used" }] } };
            const r = await reportOf(hc(), { edits: [short], config });
            assert.strictEqual(r.readiness.highest, "hardened-connectivity");
        });

        it("no attestation covers a wrong value", async () => {
            const config = { ...hc().packConfig, "delta-sharing-ip-access-lists": { attestations: [{ reason: "the partner's range is checked elsewhere" }] } };
            const r = await reportOf(hc(), { config, edits: [setValues("recipient-partner", v => ({ ...v, ipAccessList: { allowedIpAddresses: ["0.0.0.0/0"] } }))] });
            assert.strictEqual(r.readiness.highest, "managed-security");
            assert.deepStrictEqual(summary(r.readiness)["hardened-connectivity"].features, ["delta-sharing-ip-access-lists fail"]);
        });

        it("a feature disabled or made advisory passes the run, not the tier", async () => {
            for (const level of ["disabled", "advisory"]) {
                const config = { ...hc().packConfig, "serverless-private-link": level };
                const r = await reportOf(hc(), { edits: [short], config });
                assert.strictEqual(r.summary.mandatory, 0, level);
                assert.strictEqual(r.readiness.highest, "managed-security", level);
            }
        });

        it("evidence outside the stack is to verify; with requireEvidenceInStack it blocks", async () => {
            // The default route's next hop is an address no appliance of the stack has (a hub firewall elsewhere).
            const ie = program("isolated-environment");
            const edits = [setValues("routes", v => ({ ...v, routes: [{ name: "to-hub", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.99.0.4" }] }))];
            const lenient = await reportOf(ie, { edits });
            assert.strictEqual(lenient.readiness.highest, "isolated-environment");
            assert.deepStrictEqual(summary(lenient.readiness)["isolated-environment"].features, ["external-firewall outside !"]);
            const strict = await reportOf(ie, { edits, config: { "all-features": { tier: "isolated-environment", requireEvidenceInStack: true } } });
            assert.strictEqual(strict.readiness.highest, "hardened-connectivity");
            assert.deepStrictEqual(summary(strict.readiness)["isolated-environment"].features, ["external-firewall outside"]);
        });
    });

    it("at preview, values unknown until apply are to verify, not missing", async () => {
        const r = await reportOf(program("isolated-environment"), { mode: "preview" });
        assert.strictEqual(r.readiness.highest, "isolated-environment");
        for (const g of r.readiness.tiers["isolated-environment"].features) {
            assert.deepStrictEqual([g.reasons, g.blocking], [["unknown"], false], JSON.stringify(g));
        }
    });

    it("a stack with nothing the tiers apply to names no tier", () => {
        const r = checkStack([{ urn: "urn:pulumi:dev::p::azure-native:resources:ResourceGroup::rg", type: "azure-native:resources:ResourceGroup", name: "rg", props: {} }], { file: "rg.json", kind: "export" });
        assert.strictEqual(r.readiness.highest, null);
        assert.ok(TIERS.every(t => r.readiness.tiers[t].met && r.readiness.tiers[t].features.length === 0));
        assert.match(renderTable(r, false), /^Readiness: no tier judged/m);
    });

    it("a program's two runs: met where both meet, the kinds of both", () => {
        const gap = (feature: string, reasons: Reason[], blocking: boolean) => ({ feature, reasons, blocking, findings: 1 });
        const met = { met: true, features: [] };
        const preview: Readiness = { highest: "isolated-environment", tiers: { "managed-security": met, "hardened-connectivity": met, "isolated-environment": { met: true, features: [gap("external-firewall", ["unknown"], false)] } } };
        const known: Readiness = { highest: "hardened-connectivity", tiers: { "managed-security": met, "hardened-connectivity": met, "isolated-environment": { met: false, features: [gap("external-firewall", ["outside"], false), gap("workspace-inbound-private-link", ["missing"], true)] } } };
        const both = combineReadiness(preview, known);
        assert.strictEqual(both.highest, "hardened-connectivity");
        assert.deepStrictEqual(both.tiers["isolated-environment"].features.map(g => [g.feature, g.reasons.join("+"), g.blocking]),
            [["workspace-inbound-private-link", "missing", true], ["external-firewall", "outside+unknown", false]]);
    });

    describe("every report format says it at the top", () => {
        let report: Awaited<ReturnType<typeof reportOf>>;
        before(async () => {
            report = await reportOf(program("hardened-connectivity"), { tier: "managed-security" });
        });

        it("JSON: a readiness object per tier, right after the tier", () => {
            const json = JSON.parse(renderJson(report)) as Record<string, unknown>;
            assert.deepStrictEqual(Object.keys(json).slice(0, 4), ["schemaVersion", "tool", "tier", "readiness"]);
            assert.deepStrictEqual(json.readiness, jsonReadiness(report.readiness));
            const ie = (json.readiness as { tiers: Record<TierId, { met: boolean; features: object[] }> }).tiers["isolated-environment"];
            assert.strictEqual(ie.met, false);
            assert.deepStrictEqual(Object.keys(ie.features[0]).sort(), ["blocking", "feature", "findings", "kinds"]);
            assert.strictEqual(json.evidence, undefined);
        });

        it("table: the highest tier met, then a line per tier", () => {
            const lines = renderTable(report, false).split("\n");
            const at = lines.findIndex(l => l.startsWith("Readiness: "));
            assert.ok(at > 0 && at < 5, lines.slice(0, 8).join("\n"));
            assert.strictEqual(lines[at], "Readiness: meets hardened-connectivity (Hardened connectivity)");
            assert.match(lines[at + 1], /^ {2}✔ {2}managed-security +nothing missing or wrong$/);
            assert.match(lines[at + 3], /^ {2}✖ {2}isolated-environment +workspace-inbound-private-link \(fail, missing\), /);
        });

        it("Markdown: a small table under the headline", () => {
            const md = renderMarkdown(report);
            const head = md.slice(0, md.indexOf("####"));
            assert.match(head, /\*\*Readiness:\*\* meets hardened-connectivity \(Hardened connectivity\)/);
            assert.match(head, /\| Hardened connectivity \| ✅ \| – \|/);
            assert.match(head, /\| Isolated environment \| ❌ \| `workspace-inbound-private-link` \(fail, missing\), /);
        });

        it("SARIF: in the run's properties", () => {
            const sarif = JSON.parse(renderSarif(report, "Pulumi.yaml")) as { runs: { properties: { readiness: unknown } }[] };
            assert.deepStrictEqual(sarif.runs[0].properties.readiness, jsonReadiness(report.readiness));
        });
    });
});
