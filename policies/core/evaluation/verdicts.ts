// The one function that decides verdicts: a stack model, the pack's settings and the stack's tags
// in; per-feature outcomes and pack-level notices out, each with the level it is reported at. The
// engine adapter, the SDK's per-policy path, the check command and the tests all call it.

import { DEFAULT_TIER, FeatureId, requirement, Requirement, TierId } from "../../matrix";
import { FeatureModule } from "../rules/contract";
import { StackModel } from "../model/stack";
import { effectiveTier, evaluateFeature, Outcome } from "./evaluate";
import { policyName, TIER_TAG_POLICY } from "./naming";
import { Level, PackSettings } from "./settings";

export interface FeatureVerdict {
    feature: FeatureId;
    /** The stack policy that reports it. */
    policy: string;
    /** The policy's configured level. */
    level: Level;
    tier: TierId;
    requirement: Requirement;
    /** Why nothing was evaluated (not part of the tier, disabled, no workspace). */
    notApplicable?: string;
    outcomes: Outcome[];
}

/** A pack-level notice (the stack tag), reported by the pack-level policy. */
export interface PackNotice {
    policy: string;
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

/** Mandatory outcomes keep the policy's level (a user may soften it); everything else is advisory. */
export function reportedLevel(o: Outcome, policyLevel: Level): "mandatory" | "advisory" {
    return o.level === "mandatory" && (policyLevel === "mandatory" || policyLevel === "remediate") ? "mandatory" : "advisory";
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
            notices.push({ policy: TIER_TAG_POLICY, message: note });
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
            verdicts.push({ feature: f.id, policy, level: s.level, tier, requirement: requirement(f.id, tier), notApplicable: "disabled by configuration", outcomes: [] });
            continue;
        }
        const e = evaluateFeature(f, model, s.config, stackTags, today);
        verdicts.push({ feature: f.id, policy, level: s.level, tier: e.tier, requirement: e.requirement, notApplicable: e.notApplicable, outcomes: e.outcomes });
    }
    return { tier: verdicts[0]?.tier ?? tagPolicy?.config.tier ?? DEFAULT_TIER, features: verdicts, notices };
}

/** What the engine reports, in pack order: notices first, then each feature's non-passing outcomes. */
export function reported(v: PackVerdict): Reported[] {
    const out: Reported[] = v.notices.map(n => ({ policy: n.policy, level: "advisory" as const, message: n.message }));
    for (const f of v.features) {
        for (const o of f.outcomes) {
            if (o.level !== "none") {
                out.push({ policy: f.policy, level: reportedLevel(o, f.level), outcome: o });
            }
        }
    }
    return out;
}
