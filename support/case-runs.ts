// How feature cases are recorded and judged: in process through the one decision function, and
// through the pack over gRPC, which must report the same diagnostics (test/features/).

import * as fs from "fs";
import * as path from "path";
import { FeatureId, TierId } from "../policies/matrix";
import { FeatureFinding, isFeatureFinding } from "../policies/core/rules/contract";
import { Expected, FeatureCase, FeatureCases, TierExpectation } from "../fixtures/cases";
import { RecordedStack, runProgram } from "./program";
import { decideOnStack, InProcessVerdict } from "./verdicts";

/** A reported finding in the terms of `Expected` (resource by logical name). */
function observed(o: FeatureFinding, stack: RecordedStack): Expected {
    const resource = o.resource === undefined ? undefined : stack.resources.find(r => r.urn === o.resource?.urn)?.name ?? o.resource.name;
    return {
        level: o.level ?? "advisory",
        status: o.status as Expected["status"],
        reason: o.reason,
        resource,
        stage: o.stage,
        feature: o.feature,
    };
}

/** What the verdict reports for these features, comparable with a case's expectation. */
export function observedFindings(v: InProcessVerdict, features: readonly FeatureId[]): TierExpectation {
    if (features.length === 1 && v.notApplicable(features[0]) !== undefined) {
        return "not-applicable";
    }
    return sortExpected(v.reported.flatMap(r => isFeatureFinding(r) && features.includes(r.feature) ? [observed(r, v.stack)] : []));
}

/** An expectation with each finding's feature filled in, in a stable order. */
export function normalised(e: TierExpectation, feature: FeatureId): TierExpectation {
    return e === "not-applicable" ? e : sortExpected(e.map(x => ({ ...x, feature: x.feature ?? feature })));
}

/** The findings with the same fields in the same order (deepStrictEqual compares both), sorted. */
function sortExpected(list: Expected[]): Expected[] {
    const key = (e: Expected) => JSON.stringify([e.feature, e.resource ?? "", e.level, e.status, e.reason ?? "", e.stage]);
    return list.map(e => ({ level: e.level, status: e.status, reason: e.reason, resource: e.resource, stage: e.stage, feature: e.feature }))
        .sort((a, b) => key(a).localeCompare(key(b)));
}

/** One expected or observed finding on a line, e.g. `mandatory fail (missing) on prod-ws, before creation`. */
function findingLine(e: Expected, feature: FeatureId): string {
    return `${e.feature !== undefined && e.feature !== feature ? `${e.feature}: ` : ""}${e.level} ${e.status}${e.reason ? ` (${e.reason})` : ""} on ${e.resource ?? "the stack"}${e.stage === "before-creation" ? ", before creation" : ""}`;
}

function expectationLines(e: TierExpectation, feature: FeatureId): string {
    return e === "not-applicable" ? "  not applicable" : e.length === 0 ? "  nothing reported" : e.map(x => `  ${findingLine(x, feature)}`).join("\n");
}

/**
 * Why a case's findings differ from its expectation: expected and actual verdicts first, then the
 * judged features' diagnostics, then the others'.
 */
export function caseFailure(feature: FeatureId, judged: readonly FeatureId[], run: string, expected: TierExpectation, actual: TierExpectation, v: InProcessVerdict): string {
    const own = v.lines().filter((_l, i) => judged.some(f => v.reported[i].feature === f));
    const others = v.lines().filter((_l, i) => !judged.some(f => v.reported[i].feature === f));
    return [
        `${run}\nexpected:\n${expectationLines(expected, feature)}\nactual:\n${expectationLines(actual, feature)}`,
        `diagnostics of ${judged.join(", ")}:\n${own.join("\n") || "(none)"}`,
        `other diagnostics:\n${others.join("\n") || "(none)"}`,
    ].join("\n\n");
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
