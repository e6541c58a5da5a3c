// The reference programs of examples/ recorded under mocks in update and preview mode: each passes
// its own tier, fails the next stricter tier on exactly the features that tier adds, and each
// realistic break of a required feature is reported as exactly that feature, naming the resource.
// Every case is judged in process by the pack's one decision function; one contract test per
// program runs every stack of its file through the compiled pack over gRPC, as the engine does, and
// requires the same diagnostics. One spec file per program lets the programs run in parallel.

import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { FEATURES } from "../../policies/features";
import { FeatureId, MATRIX, requirement, TIERS, TierId } from "../../policies/matrix";
import { attestable, FeatureFinding } from "../../policies/core/rules/contract";
import { ContractRun, contractDifferences } from "../../support/contract";
import { thePack } from "../harness/global";
import { decideOnStack, InProcessVerdict } from "../../support/verdicts";
import { MUTATIONS } from "./mutations";
import { PROGRAMS, ReferenceProgram } from "./programs";
import { Mode, MODES, mutatedStack, MutatedStack, recorded } from "./recordings";
import { programsOf } from "./table";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const UNKNOWN_VALUE = (require("@pulumi/pulumi/output") as { unknown: unknown }).unknown;

const registered = new Set<string>(FEATURES.map(f => f.id));

/** Features a tier adds over the previous one (required there, not required before). */
function added(tier: TierId): FeatureId[] {
    const prev = TIERS[TIERS.indexOf(tier) - 1];
    return MATRIX.filter(r => r.tiers[tier] === "required" && (prev === undefined || r.tiers[prev] !== "required")).map(r => r.id);
}

/** One stack the suite judges: a program, its mode, a mutation of it and the tier it is checked at. */
interface Case {
    title: string;
    mode: Mode;
    tier: TierId;
    stack: () => Promise<MutatedStack>;
}

/** A case's stack judged in process; the case is registered for its file's engine contract. */
function judgedIn(cases: Case[], c: Case): () => Promise<InProcessVerdict> {
    cases.push(c);
    return async () => {
        const { stack, config } = await c.stack();
        return decideOnStack(stack, { tier: c.tier, config });
    };
}

/** Findings that are the same: feature, reason, subject, status and what was found. */
function sameFinding(o: FeatureFinding): string {
    return [o.feature, o.reason ?? "", o.resource?.urn ?? "", o.status, o.found].join("\u0000");
}

/** The suite of one reference program (the preview-unknown cases with the Isolated one). */
export function referenceProgram(tier: TierId): void {
    const p = PROGRAMS.find(x => x.tier === tier) as ReferenceProgram;
    /** Every stack judged in this file, in the order the tests judge them. */
    const CASES: Case[] = [];
    const judged = (c: Case) => judgedIn(CASES, c);
    describe(`end to end: the ${tier} reference program (examples/)`, function () {
        this.timeout(120_000);

        describe(`${p.tier} program`, () => {
            const plain = (mode: Mode) => async (): Promise<MutatedStack> => ({ stack: await recorded(p, mode), config: p.packConfig });
            for (const mode of MODES) {
                const own = judged({ title: `${p.tier} at its own tier (${mode})`, mode, tier: p.tier, stack: plain(mode) });
                it(`has zero mandatory violations at its own tier (${mode})`, async () => {
                    const v = await own();
                    assert.deepStrictEqual(v.features("mandatory"), [], v.toString());
                    // Every feature the tier requires is judged: nothing is reported not applicable.
                    for (const f of FEATURES.filter(f => requirement(f.id, p.tier) === "required")) {
                        assert.strictEqual(v.notApplicable(f.id), undefined, `${f.id} not applicable: ${v.notApplicable(f.id)}`);
                    }
                });
            }

            const stricter = TIERS[TIERS.indexOf(p.tier) + 1];
            if (stricter) {
                for (const mode of MODES) {
                    const next = judged({ title: `${p.tier} at ${stricter} (${mode})`, mode, tier: stricter, stack: plain(mode) });
                    it(`at ${stricter} is mandatory for exactly the features that tier adds (${mode})`, async () => {
                        const v = await next();
                        // Missing evidence blocks, even evidence no resource can show (until attested).
                        const expected = added(stricter).filter(f => registered.has(f));
                        assert.deepStrictEqual(v.features("mandatory"), [...expected].sort(), v.toString());
                    });
                }
            }

            for (const m of MUTATIONS.filter(x => programsOf(x).includes(p.tier))) {
                const title = `${m.feature}: ${m.id}`;
                if (!registered.has(m.feature)) {
                    continue;
                }
                const [update, preview] = MODES.map(mode => judged({ title: `${p.tier} ${m.id} (${mode})`, mode, tier: p.tier, stack: () => mutatedStack(p, m, mode) }));
                const breaks = [m.feature, ...m.alsoBreaks ?? []];
                it(`${title} → exactly ${m.feature}, naming the resource (update)`, async () => {
                    const v = await update();
                    assert.deepStrictEqual(v.sharedIdentities(), [], "distinct findings share an identity");
                    if (!m.subject) {
                        assert.deepStrictEqual(v.features("mandatory"), [m.feature], v.toString());
                        // On the stack, saying how to attest it.
                        assert.ok(v.findings(m.feature, "mandatory").every(o => o.resource === undefined && attestable(o.reason)), v.toString());
                        return;
                    }
                    const subject = m.subject(p.prefix);
                    const urn = v.urn(subject);
                    assert.deepStrictEqual(v.features("mandatory"), [...breaks].sort(), v.toString());
                    assert.ok(v.findings(m.feature, "mandatory").some(o => o.resource?.urn === urn && o.resource.name === subject), `no mandatory ${m.feature} names ${subject}\n${v.toString()}`);
                });
                it(`${title} → reported at preview, never mandatory elsewhere nor on what only apply reveals`, async () => {
                    const [v, known] = [await preview(), await update()];
                    assert.deepStrictEqual(v.sharedIdentities(), [], "distinct findings share an identity");
                    assert.deepStrictEqual(v.features("mandatory").filter(f => !breaks.includes(f)), [], v.toString());
                    // No silent pass: the broken feature is reported, as mandatory or advisory.
                    assert.ok(v.findings(m.feature).length > 0, `${m.feature} silently passed at preview\n${v.toString()}`);
                    // A mandatory verdict at preview is one the known values confirm.
                    const confirmed = new Set(known.findings(m.feature, "mandatory").map(sameFinding));
                    for (const o of v.findings(m.feature, "mandatory")) {
                        assert.ok(confirmed.has(sameFinding(o)), `mandatory at preview but not after apply:\n${JSON.stringify(o)}`);
                    }
                });
            }
        });

        if (tier === "isolated-environment") {
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
                    const t: pulumi.ResourceTransform = args => args.type.endsWith(c.type) && args.name === c.name
                        ? { props: { ...args.props, [c.prop]: UNKNOWN_VALUE }, opts: args.opts } : undefined;
                    const judge = judged({
                        title: `${isolated.tier} with ${c.what} unknown (preview)`, mode: "preview", tier: isolated.tier,
                        stack: async () => ({ stack: await recorded(isolated, "preview", { key: `unknown ${c.name} ${c.prop}`, transform: t }), config: isolated.packConfig }),
                    });
                    it(`${c.feature}: ${c.what} unknown → advisory, not mandatory, not a silent pass`, async () => {
                        const v = await judge();
                        assert.deepStrictEqual(v.features("mandatory"), [], v.toString());
                        assert.ok(v.findings(c.feature, "advisory").some(o => o.status === "unverified"), `${c.feature} not reported as unverified\n${v.toString()}`);
                    });
                }
            });
        }

        it("contract: the engine (the pack process, over gRPC) reports exactly the in-process verdicts for every stack above", async function () {
            this.timeout(600_000);
            // One recording at a time: programs share the SDK's one runtime.
            const runs: ContractRun[] = [];
            for (const c of CASES) {
                const { stack, config } = await c.stack();
                runs.push({ stack, tier: c.tier, config, title: c.title });
            }
            assert.deepStrictEqual(await contractDifferences(thePack(), runs), []);
            assert.ok(runs.length > 10, `${runs.length} stacks`);
        });
    });
}
