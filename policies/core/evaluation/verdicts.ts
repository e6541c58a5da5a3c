// The one function that decides verdicts: a stack model, the pack's settings and the stack's tags
// in; per-feature outcomes and pack-level notices out, each with the level it is reported at. The
// engine adapter, the SDK's per-policy path, the check command and the tests all call it.

import { DEFAULT_TIER, FeatureId, requirement, Requirement, TierId } from "../../matrix";
import { FeatureModule } from "../rules/contract";
import { StackModel } from "../model/stack";
import { effectiveTier, evaluateFeature, Outcome } from "./evaluate";
import { policyName, TIER_TAG_POLICY } from "./naming";
import { Level, PackSettings } from "./settings";
import { classify } from "../model/types";

export interface FeatureVerdict {
    feature: FeatureId;
    /** The stack policy that reports it. */
    policy: string;
    /** The level applied to the feature: `disabled`, the user's, else the tier's (mandatory where required). */
    level: Level;
    tier: TierId;
    requirement: Requirement;
    /** Why nothing was evaluated (not part of the tier, disabled, no workspace). */
    notApplicable?: string;
    outcomes: Outcome[];
    /**
     * The feature's resource policy, when it has one and it is not disabled: its outcomes (those
     * marked `local`) are reported by the engine per resource, before creation, not by the stack policy.
     */
    resourcePolicy?: string;
}

/** A pack-level notice (the stack tag), reported by the pack-level policy at its level. */
export interface PackNotice {
    policy: string;
    level: "mandatory" | "advisory";
    message: string;
}

export interface PackVerdict {
    /** The tier enforced (the first evaluated feature's, after the stack tag). */
    tier: TierId;
    features: FeatureVerdict[];
    notices: PackNotice[];
}

/** One diagnostic as the engine reports it. */
export interface Reported {
    policy: string;
    /** The level the engine shows: a mandatory outcome of an advisory policy is advisory. */
    level: "mandatory" | "advisory";
    outcome?: Outcome;
    /** Pack-level notices only (outcomes are rendered by render.ts). */
    message?: string;
}

/** The level an outcome is reported at: its own, which the feature's applied level decided. */
export function reportedLevel(o: Outcome): "mandatory" | "advisory" {
    return o.level === "mandatory" ? "mandatory" : "advisory";
}

/**
 * Every feature whose stack policy has settings, in the order of `features`; the stack tag notice
 * when the pack-level policy has settings. Disabled policies are listed, not evaluated.
 */
export function decide(features: readonly FeatureModule[], model: StackModel, settings: PackSettings,
    stackTags: ReadonlyMap<string, string> | undefined, today: Date = new Date()): PackVerdict {
    const verdicts: FeatureVerdict[] = [];
    const notices: PackNotice[] = [];
    const tagPolicy = settings.get(TIER_TAG_POLICY);
    if (tagPolicy && tagPolicy.level !== "disabled") {
        const note = effectiveTier(tagPolicy.config.tier, stackTags).note;
        if (note) {
            notices.push({ policy: TIER_TAG_POLICY, level: tagPolicy.level === "mandatory" || tagPolicy.level === "remediate" ? "mandatory" : "advisory", message: note });
        }
    }
    for (const f of features) {
        const policy = policyName(f.id);
        const s = settings.get(policy);
        if (!s) {
            continue;
        }
        const tier = effectiveTier(s.config.tier, stackTags).tier;
        if (s.level === "disabled") {
            verdicts.push({ feature: f.id, policy, level: "disabled", tier, requirement: requirement(f.id, tier), notApplicable: "disabled by configuration", outcomes: [] });
            continue;
        }
        const e = evaluateFeature(f, model, s.config, stackTags, today);
        const outcomes = markLocal(f, e.outcomes);
        const rp = f.resourceCheck ? policyName(f.id, "resource") : undefined;
        // Where the resource policy's own settings are not known (the SDK's per-policy path), it runs.
        const resourcePolicy = rp !== undefined && settings.get(rp)?.level !== "disabled" ? rp : undefined;
        verdicts.push({ feature: f.id, policy, level: e.level, tier: e.tier, requirement: e.requirement, notApplicable: e.notApplicable, outcomes, resourcePolicy });
    }
    return { tier: verdicts[0]?.tier ?? tagPolicy?.config.tier ?? DEFAULT_TIER, features: verdicts, notices };
}

/**
 * Marks the stack outcomes that the feature's resource policy reports: those its resource check
 * produced (by their check id) about a resource of a kind that check judges.
 */
function markLocal(f: FeatureModule, outcomes: Outcome[]): Outcome[] {
    const check = f.resourceCheck;
    if (!check) {
        return outcomes;
    }
    const isLocal = (o: Outcome) => {
        const kind = o.check === check.id && o.subject ? classify(o.subject.type)?.kind : undefined;
        return kind !== undefined && check.kinds.includes(kind);
    };
    return outcomes.some(isLocal) ? outcomes.map(o => (isLocal(o) ? { ...o, local: true } : o)) : outcomes;
}

/**
 * What the engine reports at AnalyzeStack, in pack order: notices first, then each feature's
 * non-passing outcomes, leaving out those its resource policy reported per resource (each problem
 * once per run). `includeLocal` keeps them: for reports made without the engine (the command).
 */
export function reported(v: PackVerdict, options: { includeLocal?: boolean } = {}): Reported[] {
    const out: Reported[] = v.notices.map(n => ({ policy: n.policy, level: n.level, message: n.message }));
    for (const f of v.features) {
        for (const o of f.outcomes) {
            if (o.local && f.resourcePolicy !== undefined && !options.includeLocal) {
                continue;
            }
            if (o.level !== "none") {
                out.push({ policy: f.policy, level: reportedLevel(o), outcome: o });
            }
        }
    }
    return out;
}
