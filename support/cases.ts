// A feature's pass/fail cases as data: a small program, how it is recorded and configured, and the
// outcomes the feature must report at each tier. Each feature keeps its cases beside its module
// (`policies/<group>/<feature>/cases.ts`); the in-process suite (test/features.spec.ts) judges them
// through the one decision function, the contract suite (test/contract.spec.ts) through the pack
// over gRPC, and requires the same diagnostics from both.

import * as fs from "fs";
import * as path from "path";
import { FeatureId, TierId, TIERS } from "../policies/matrix";
import { EvidenceKind } from "../policies/core/rules/contract";
import { Outcome, OutcomeStatus } from "../policies/core/evaluation/evaluate";
import { PackConfigFile } from "./engine";
import { RecordedStack, runProgram } from "./program";
import { decideOnStack, InProcessVerdict } from "./verdicts";

/** One outcome a case expects the feature to report (passes are not reported). */
export interface Expected {
    level: "mandatory" | "advisory";
    /** `fail`, `unverified` (unknown or outside), `attested`, `exempted` or `note`. */
    status: Exclude<OutcomeStatus, "pass">;
    /** Why it does not pass (notes have none). */
    kind?: EvidenceKind;
    /** Logical name of the resource it is about; the stack itself when omitted. */
    resource?: string;
    /**
     * Reported before creation by the feature's resource policy, from the resource's own inputs:
     * a mandatory one is refused before Azure sees the request.
     */
    blocks: boolean;
    /** Another feature the same stack rightly reports (the case's own feature when omitted). */
    feature?: FeatureId;
}

/** The expected outcomes at a tier, or that the feature is not evaluated there (not part of it, no workspace…). */
export type TierExpectation = readonly Expected[] | "not-applicable";

export interface FeatureCase {
    /** What the case shows. */
    name: string;
    /** A real Pulumi program, usually built from support/fixtures. */
    program: () => unknown;
    /** Recorded at update (IDs known, the default), at preview (new IDs unknown), or both alike. */
    mode?: "update" | "preview" | "both";
    /** Extra outputs the mocks report, by logical name (update). */
    outputs?: Record<string, Record<string, unknown>>;
    /** `--policy-pack-config` entries (the tier is set per expectation). */
    config?: PackConfigFile;
    /** Stack tags. */
    tags?: Record<string, string>;
    /** Per tier (or `all` tiers alike) what the feature reports; tiers left out are not judged. */
    expect: Partial<Record<TierId | "all", TierExpectation>>;
    /** Other features whose outcomes the case judges too (their expectations carry `feature`). */
    alsoJudges?: readonly FeatureId[];
}

export interface FeatureCases {
    feature: FeatureId;
    cases: readonly FeatureCase[];
}

const level = (l: Expected["level"]) => (kind: EvidenceKind, resource?: string): Expected =>
    ({ level: l, status: kind === "fail" || kind === "missing" ? "fail" : "unverified", kind, resource, blocks: false });

/** A mandatory outcome of this evidence kind. */
export const mandatory = level("mandatory");
/** An advisory outcome of this evidence kind (optional feature, unknown value, evidence outside). */
export const advisory = level("advisory");
/** The same outcome, reported before creation by the resource policy (refused when mandatory). */
export const blocking = (e: Expected): Expected => ({ ...e, blocks: true });
/** An outcome covered by an attestation (advisory). */
export const attested = (kind: EvidenceKind, resource?: string): Expected => ({ ...advisory(kind, resource), status: "attested" });
/** An outcome covered by an exemption (advisory). */
export const exempted = (kind: EvidenceKind, resource?: string): Expected => ({ ...advisory(kind, resource), status: "exempted" });
/** An advisory note. */
export const note = (resource?: string): Expected => ({ level: "advisory", status: "note", resource, blocks: false });
/** Another feature's outcome. */
export const of = (feature: FeatureId, e: Expected): Expected => ({ ...e, feature });

/** The tiers a case judges, each with its expectation. */
export function tierExpectations(c: FeatureCase): [TierId, TierExpectation][] {
    return TIERS.flatMap(t => {
        const e = c.expect[t] ?? c.expect.all;
        return e === undefined ? [] : [[t, e] as [TierId, TierExpectation]];
    });
}

export function modes(c: FeatureCase): boolean[] {
    return c.mode === "both" ? [false, true] : [c.mode === "preview"];
}

/** What an outcome is, structurally, in the terms of `Expected` (resource by logical name). */
export function observed(o: Outcome, stack: RecordedStack): Expected {
    const resource = o.subject === undefined ? undefined : stack.resources.find(r => r.urn === o.subject?.urn)?.name ?? o.subject.name;
    return {
        level: o.level === "mandatory" ? "mandatory" : "advisory",
        status: o.status as Expected["status"],
        kind: o.kind,
        resource,
        blocks: o.local === true,
        feature: o.feature,
    };
}

/** What the verdict reports for these features, comparable with a case's expectation. */
export function observedOutcomes(v: InProcessVerdict, features: readonly FeatureId[]): TierExpectation {
    if (features.length === 1 && v.notApplicable(features[0]) !== undefined) {
        return "not-applicable";
    }
    return sortExpected(v.reported.flatMap(r => r.outcome !== undefined && features.includes(r.outcome.feature) ? [observed(r.outcome, v.stack)] : []));
}

/** An expectation with each outcome's feature filled in, in a stable order. */
export function normalised(e: TierExpectation, feature: FeatureId): TierExpectation {
    return e === "not-applicable" ? e : sortExpected(e.map(x => ({ ...x, feature: x.feature ?? feature, kind: x.kind, resource: x.resource })));
}

function sortExpected(list: Expected[]): Expected[] {
    const key = (e: Expected) => JSON.stringify([e.feature, e.resource ?? "", e.level, e.status, e.kind ?? "", e.blocks]);
    return list.map(e => ({ level: e.level, status: e.status, kind: e.kind, resource: e.resource, blocks: e.blocks, feature: e.feature }))
        .sort((a, b) => key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}

/** Records a case's program once per mode for a run of the suite (both suites share the recordings). */
const recordings = new Map<FeatureCase, Map<boolean, Promise<RecordedStack>>>();

export function recorded(c: FeatureCase, preview: boolean): Promise<RecordedStack> {
    let byMode = recordings.get(c);
    if (byMode === undefined) {
        recordings.set(c, byMode = new Map());
    }
    let stack = byMode.get(preview);
    if (stack === undefined) {
        byMode.set(preview, stack = runProgram(c.program, { preview, outputs: c.outputs }));
    }
    return stack;
}

/** A case judged in process at a tier. */
export async function judgeCase(c: FeatureCase, preview: boolean, tier: TierId): Promise<InProcessVerdict> {
    return decideOnStack(await recorded(c, preview), { tier, config: c.config, tags: c.tags, preview });
}

/** Every feature's cases: the `cases.js` beside each feature module of the compiled pack. */
export function allFeatureCases(): FeatureCases[] {
    const policiesDir = path.resolve(__dirname, "..", "policies");
    const out: FeatureCases[] = [];
    for (const group of fs.readdirSync(policiesDir, { withFileTypes: true })) {
        if (!group.isDirectory() || group.name === "core") {
            continue;
        }
        for (const feature of fs.readdirSync(path.join(policiesDir, group.name), { withFileTypes: true })) {
            const file = path.join(policiesDir, group.name, feature.name, "cases.js");
            if (feature.isDirectory() && fs.existsSync(file)) {
                // eslint-disable-next-line @typescript-eslint/no-var-requires
                out.push((require(file) as { cases: FeatureCases }).cases);
            }
        }
    }
    return out;
}
