// The reference programs of examples/ as the engine sees them: recorded under mocks in update
// and preview mode, analyzed by the compiled pack over gRPC. Each passes its own tier, fails the
// next stricter tier on exactly the features that tier adds, and each realistic break of a
// required feature is reported as exactly that feature, naming the resource.

import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { FEATURES } from "../../policies/features";
import { FeatureId, MATRIX, requirement, TIERS, TierId } from "../../policies/matrix";
import { analyzeStack, Verdicts, featureOf } from "../harness/check";
import { Diagnostic, PackConfigFile } from "../harness/engine";
import { RecordedStack, runProgram } from "../harness/program";
import { Mutation, MUTATIONS, removeWithDependents } from "./mutations";
import { PROGRAMS, ReferenceProgram, REPO_DIR } from "./programs";
import { mutationsTable, programsOf } from "./table";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const UNKNOWN_VALUE = (require("@pulumi/pulumi/output") as { unknown: unknown }).unknown;

const registered = new Set<string>(FEATURES.map(f => f.id));
const MODES = [{ preview: false, label: "update" }, { preview: true, label: "preview" }] as const;

function record(p: ReferenceProgram, preview: boolean, transforms: pulumi.ResourceTransform[] = []): Promise<RecordedStack> {
    return runProgram(() => p.program(), { preview, outputs: p.outputs(), transforms });
}

function analyze(stack: RecordedStack, tier: TierId, config: PackConfigFile): Promise<Verdicts> {
    return analyzeStack(stack, { tier, config });
}

function names(ds: Diagnostic[]): string[] {
    return [...new Set(ds.map(featureOf))].sort();
}

/** Features a tier adds over the previous one (required there, not required before). */
function added(tier: TierId): FeatureId[] {
    const prev = TIERS[TIERS.indexOf(tier) - 1];
    return MATRIX.filter(r => r.tiers[tier] === "required" && (prev === undefined || r.tiers[prev] !== "required")).map(r => r.id);
}

async function mutated(p: ReferenceProgram, m: Mutation, preview: boolean): Promise<Verdicts> {
    const transforms = m.transform ? [m.transform(p.prefix)] : [];
    let stack = await record(p, preview, transforms);
    if (m.remove) {
        const before = stack.resources.length;
        stack = { ...stack, resources: removeWithDependents(stack.resources, r => (m.remove as NonNullable<Mutation["remove"]>)(p.prefix, r)) };
        assert.ok(stack.resources.length < before, `mutation ${m.id} removed nothing from ${p.tier}`);
    }
    const config = m.config ? m.config(p.packConfig) : p.packConfig;
    return analyze(stack, p.tier, config);
}

function names_subject(d: Diagnostic, urn: string, name: string): boolean {
    return d.urn === urn && d.message.includes(`"${name}"`);
}

describe("end to end: reference programs (examples/)", function () {
    this.timeout(120_000);

    for (const p of PROGRAMS) {
        describe(`${p.tier} program`, () => {
            for (const mode of MODES) {
                it(`has zero mandatory violations at its own tier (${mode.label})`, async () => {
                    const v = await analyze(await record(p, mode.preview), p.tier, p.packConfig);
                    assert.deepStrictEqual(v.mandatory(), [], v.toString());
                    // Every feature the tier requires is judged: nothing is reported not applicable.
                    for (const f of FEATURES.filter(f => requirement(f.id, p.tier) === "required")) {
                        assert.strictEqual(v.notApplicable(f.id), undefined, `${f.id} not applicable: ${v.notApplicable(f.id)}`);
                    }
                });
            }

            const stricter = TIERS[TIERS.indexOf(p.tier) + 1];
            if (stricter) {
                for (const mode of MODES) {
                    it(`at ${stricter} is mandatory for exactly the features that tier adds (${mode.label})`, async () => {
                        const v = await analyze(await record(p, mode.preview), stricter, p.packConfig);
                        // Missing evidence blocks, even evidence no resource can show (until attested).
                        const expected = added(stricter).filter(f => registered.has(f));
                        assert.deepStrictEqual(names(v.mandatory()), [...expected].sort(), v.toString());
                    });
                }
            }

            for (const m of MUTATIONS.filter(x => programsOf(x).includes(p.tier))) {
                const title = `${m.feature}: ${m.id}`;
                if (!registered.has(m.feature)) {
                    continue;
                }
                it(`${title} → exactly ${m.feature}, naming the resource (update)`, async () => {
                    const v = await mutated(p, m, false);
                    if (!m.subject) {
                        assert.deepStrictEqual(names(v.mandatory()), [m.feature], v.toString());
                        assert.ok(v.mandatory(m.feature).every(d => d.urn === "" && /attest it: set "/.test(d.message)), v.toString());
                        return;
                    }
                    const subject = m.subject(p.prefix);
                    const urn = v.urn(subject);
                    assert.deepStrictEqual(names(v.mandatory()), [m.feature, ...m.alsoBreaks ?? []].sort(), v.toString());
                    assert.ok(v.mandatory(m.feature).some(d => names_subject(d, urn, subject)), `no mandatory ${m.feature} names ${subject}\n${v.toString()}`);
                });
                it(`${title} → reported at preview, never mandatory elsewhere nor on what only apply reveals`, async () => {
                    const [v, known] = [await mutated(p, m, true), await mutated(p, m, false)];
                    const others = v.mandatory().filter(d => featureOf(d) !== m.feature && !(m.alsoBreaks ?? []).some(f => f === featureOf(d)));
                    assert.deepStrictEqual(others, [], v.toString());
                    // No silent pass: the broken feature is reported, as mandatory or advisory.
                    assert.ok(v.of(m.feature).length > 0, `${m.feature} silently passed at preview\n${v.toString()}`);
                    // A mandatory verdict at preview is one the known values confirm.
                    const confirmed = new Set(known.mandatory(m.feature).map(d => d.message));
                    for (const d of v.mandatory(m.feature)) {
                        assert.ok(confirmed.has(d.message), `mandatory at preview but not after apply:\n${d.message}`);
                    }
                });
            }
        });
    }

    describe("preview: values unknown until apply", () => {
        const isolated = PROGRAMS.find(p => p.tier === "isolated-environment") as ReferenceProgram;
        const p = isolated.prefix;
        const unknownCases: { feature: FeatureId; what: string; type: string; name: string; prop: string }[] = [
            { feature: "workspace-inbound-private-link", what: "workspace publicNetworkAccess", type: ":Workspace", name: `${p}-ws`, prop: "publicNetworkAccess" },
            { feature: "cloud-service-private-access", what: "workspace defaultStorageFirewall", type: ":Workspace", name: `${p}-ws`, prop: "defaultStorageFirewall" },
            { feature: "serverless-egress-control", what: "network policy egress", type: ":AccountNetworkPolicy", name: `${p}-egress`, prop: "egress" },
            { feature: "workspace-ip-access-lists", what: "WorkspaceConf customConfig", type: ":WorkspaceConf", name: `${p}-conf`, prop: "customConfig" },
            { feature: "delta-sharing-ip-access-lists", what: "recipient ipAccessList", type: ":Recipient", name: `${p}-recipient-partner`, prop: "ipAccessList" },
            { feature: "external-firewall", what: "route table routes", type: ":RouteTable", name: `${p}-routes`, prop: "routes" },
            { feature: "classic-compute-private-link", what: "back-end endpoint connections", type: ":PrivateEndpoint", name: `${p}-backend`, prop: "privateLinkServiceConnections" },
        ];
        for (const c of unknownCases.filter(x => registered.has(x.feature))) {
            it(`${c.feature}: ${c.what} unknown → advisory, not mandatory, not a silent pass`, async () => {
                const t: pulumi.ResourceTransform = args => args.type.endsWith(c.type) && args.name === c.name
                    ? { props: { ...args.props, [c.prop]: UNKNOWN_VALUE }, opts: args.opts } : undefined;
                const v = await analyze(await record(isolated, true, [t]), isolated.tier, isolated.packConfig);
                assert.deepStrictEqual(v.mandatory(), [], v.toString());
                assert.ok(v.advisory(c.feature).some(d => /Not verified/.test(d.message)), `${c.feature} not reported as unverified\n${v.toString()}`);
            });
        }
    });

    it("has a mutation for every registered feature each program's tier requires", () => {
        for (const p of PROGRAMS) {
            for (const f of FEATURES.filter(f => requirement(f.id, p.tier) === "required")) {
                assert.ok(MUTATIONS.some(m => m.feature === f.id && programsOf(m).includes(p.tier)), `${p.tier}: no mutation breaks ${f.id}`);
            }
        }
    });

    it("docs/mutations.md lists the mutations the suite runs", () => {
        const doc = fs.readFileSync(path.join(REPO_DIR, "docs", "mutations.md"), "utf8");
        assert.strictEqual(doc, mutationsTable(), "docs/mutations.md is stale: run `npm run generate:mutations`");
    });
});
