// The one function that decides verdicts: a stack model, the pack's settings and the stack's tags
// in; per-feature findings and pack-level notices out, each with the level it is reported at. The
// engine adapter, the SDK's per-policy path, the check command and the tests all call it.

import { DEFAULT_TIER, requirement, TierId } from "../../matrix";
import { FeatureFinding, FeatureModule, Judged, ResourceCheck } from "../rules/contract";
import { StackModel } from "../model/stack";
import { effectiveTier, evaluateFeature, FeatureVerdict } from "./evaluate";
import { policyName, TIER_TAG_POLICY } from "./naming";
import { PackSettings } from "./settings";

export interface PackVerdict {
    /** The tier enforced (the first evaluated feature's, after the stack tag). */
    tier: TierId;
    features: FeatureVerdict[];
    /** Pack-level notices (the stack tag), reported by the pack-level policy at its enforcement. */
    notices: Judged[];
}

/**
 * Every feature whose stack policy has settings, in the order of `features`; the stack tag notice
 * when the pack-level policy has settings. Disabled policies are listed, not evaluated.
 */
export function decide(features: readonly FeatureModule[], model: StackModel, settings: PackSettings,
    stackTags: ReadonlyMap<string, string> | undefined, today: Date = new Date()): PackVerdict {
    const verdicts: FeatureVerdict[] = [];
    const notices: Judged[] = [];
    const tagPolicy = settings.get(TIER_TAG_POLICY);
    if (tagPolicy && tagPolicy.enforcement !== "disabled") {
        const note = effectiveTier(tagPolicy.config.tier, stackTags).note;
        if (note) {
            const level = tagPolicy.enforcement === "mandatory" || tagPolicy.enforcement === "remediate" ? "mandatory" : "advisory";
            notices.push({ status: "note", policy: TIER_TAG_POLICY, level, stage: "after-update", found: note });
        }
    }
    for (const f of features) {
        const policy = policyName(f.id);
        const s = settings.get(policy);
        if (!s) {
            continue;
        }
        const tier = effectiveTier(s.config.tier, stackTags).tier;
        if (s.enforcement === "disabled") {
            verdicts.push({ feature: f.id, policy, enforcement: "disabled", tier, requirement: requirement(f.id, tier), notApplicable: "disabled by configuration", findings: [] });
            continue;
        }
        const v = evaluateFeature(f, model, s.config, stackTags, today);
        const check = f.resourceCheck;
        const resourcePolicy = policyName(f.id, "resource");
        // Where the resource policy's own settings are not known (the SDK's per-policy path), it runs.
        const runs = check !== undefined && settings.get(resourcePolicy)?.enforcement !== "disabled";
        verdicts.push(runs ? { ...v, findings: beforeCreation(check, v.findings, resourcePolicy), resourcePolicy } : v);
    }
    return { tier: verdicts[0]?.tier ?? tagPolicy?.config.tier ?? DEFAULT_TIER, features: verdicts, notices };
}

/**
 * Hands to the resource policy the stack findings its resource check produced (by their check id)
 * about a resource of a kind that check judges: the engine reports them per resource, before creation.
 */
function beforeCreation(check: ResourceCheck, findings: FeatureFinding[], resourcePolicy: string): FeatureFinding[] {
    const isLocal = (x: FeatureFinding) => {
        const kind = x.check === check.id && x.resource ? x.resource.info?.kind : undefined;
        return kind !== undefined && check.kinds.includes(kind);
    };
    return findings.some(isLocal) ? findings.map(x => (isLocal(x) ? { ...x, policy: resourcePolicy, stage: "before-creation" as const } : x)) : findings;
}

/**
 * What the engine reports at AnalyzeStack, in pack order: notices first, then each feature's
 * findings that do not pass, leaving out those its resource policy reported per resource (each
 * problem once per run). `includeBeforeCreation` keeps them: for reports made without the engine (the command).
 */
export function reported(v: PackVerdict, options: { includeBeforeCreation?: boolean } = {}): Judged[] {
    const out: Judged[] = [...v.notices];
    for (const f of v.features) {
        for (const x of f.findings) {
            if (x.level !== undefined && (x.stage === "after-update" || options.includeBeforeCreation)) {
                out.push(x);
            }
        }
    }
    return out;
}
