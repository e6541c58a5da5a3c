// Which tier a stack meets: the one decision function run once per tier on the same model, with
// the user's evidence settings (attestations, exemptions, requireEvidenceInStack,
// workspaceStorageAccounts) and the tier's own enforcement. A tier is an architecture: a user's
// level that lowers or disables a feature changes what a run enforces, never which tier the
// stack meets.

import { FEATURE_IDS, TIERS, TierId } from "../../matrix";
import { Reason, REASONS, FeatureModule } from "../rules/contract";
import { StackModel } from "../model/stack";
import { levelOf } from "./evaluate";
import { FeatureConfig, parseFeatureConfig } from "./config";
import { policyName } from "./naming";
import { PackSettings, PolicySetting, tierEnforcement } from "./settings";
import { decide } from "./verdicts";
import { FeatureVerdict } from "./evaluate";

/** A feature the tier requires whose evidence is not all there. */
export interface FeatureGap {
    feature: string;
    /** The reasons of its findings that neither pass nor are attested or exempted, in REASONS order. */
    reasons: Reason[];
    /** Whether a finding stands between the stack and the tier (`wrong`, `missing`, and `outside` or `secret` under requireEvidenceInStack). */
    blocking: boolean;
    /** How many findings do not pass. */
    findings: number;
}

export interface TierReadiness {
    /** No feature the tier requires has a blocking finding. */
    met: boolean;
    /** Required features with findings that do not pass: blocking ones first, then matrix order. */
    features: FeatureGap[];
}

export interface Readiness {
    /** The highest tier met with every tier below it; null when no tier is met or nothing was judged. */
    highest: TierId | null;
    tiers: Record<TierId, TierReadiness>;
}

/**
 * Settings that judge the stack at `tier`: the feature's settings as configured for that tier,
 * with the tier's enforcement instead of the user's level (disabled features are judged too).
 */
export function readinessSettings(features: readonly FeatureModule[], configured: PackSettings, tier: TierId): PackSettings {
    const out = new Map<string, PolicySetting>();
    for (const f of features) {
        const name = policyName(f.id);
        const own = configured.get(name);
        const { enforcement: _user, ...config } = own?.config ?? parseFeatureConfig({ tier }, name);
        out.set(name, { enforcement: tierEnforcement(f.id, tier), properties: own?.properties ?? {}, config: { ...config, tier } });
    }
    return out;
}

function gapOf(v: FeatureVerdict, config: FeatureConfig | undefined): FeatureGap | undefined {
    const open = v.findings.filter(f => f.status === "fail" || f.status === "unverified");
    if (open.length === 0) {
        return undefined;
    }
    const reasons = REASONS.filter(r => open.some(f => f.reason === r));
    const blocking = reasons.some(r => levelOf(r, "mandatory", { requireEvidenceInStack: config?.requireEvidenceInStack ?? false }) === "mandatory");
    return { feature: v.feature, reasons, blocking, findings: open.length };
}

/** One tier's readiness from the verdict decide gave at that tier. */
export function tierReadiness(verdicts: readonly FeatureVerdict[], settings: PackSettings): TierReadiness {
    const gaps = verdicts
        .filter(v => v.requirement === "required")
        .map(v => gapOf(v, settings.get(v.policy)?.config))
        .filter((g): g is FeatureGap => g !== undefined);
    const ordered = [...gaps.filter(g => g.blocking), ...gaps.filter(g => !g.blocking)];
    return { met: !gaps.some(g => g.blocking), features: ordered };
}

/**
 * The stack judged at every tier. `settingsAt` gives the configured settings for a tier (the
 * configuration with that tier); `decide` runs once per tier on `model`, without stack tags (a
 * tag raises the tier of one run, and here the tier is fixed).
 */
export function readiness(features: readonly FeatureModule[], model: StackModel, settingsAt: (tier: TierId) => PackSettings, today: Date = new Date()): Readiness {
    const tiers = {} as Record<TierId, TierReadiness>;
    let judged = false;
    for (const tier of TIERS) {
        const settings = readinessSettings(features, settingsAt(tier), tier);
        const verdict = decide(features, model, settings, undefined, today);
        judged = judged || verdict.features.some(v => v.findings.length > 0);
        tiers[tier] = tierReadiness(verdict.features, settings);
    }
    return { highest: judged ? highestMet(tiers) : null, tiers };
}

/** The highest tier met with every tier below it. */
export function highestMet(tiers: Record<TierId, TierReadiness>): TierId | null {
    let highest: TierId | null = null;
    for (const tier of TIERS) {
        if (!tiers[tier].met) {
            break;
        }
        highest = tier;
    }
    return highest;
}

/** Two judgements of one stack (a program's preview and known-values runs): met only where both meet. */
export function combineReadiness(a: Readiness, b: Readiness): Readiness {
    const tiers = {} as Record<TierId, TierReadiness>;
    for (const tier of TIERS) {
        const byFeature = new Map<string, FeatureGap>();
        for (const g of [...a.tiers[tier].features, ...b.tiers[tier].features]) {
            const seen = byFeature.get(g.feature);
            byFeature.set(g.feature, seen === undefined ? { ...g, reasons: [...g.reasons] } : {
                feature: g.feature,
                reasons: REASONS.filter(r => seen.reasons.includes(r) || g.reasons.includes(r)),
                blocking: seen.blocking || g.blocking,
                findings: Math.max(seen.findings, g.findings),
            });
        }
        const gaps = [...byFeature.values()];
        const order = (g: FeatureGap) => (FEATURE_IDS as readonly string[]).indexOf(g.feature);
        gaps.sort((x, y) => Number(y.blocking) - Number(x.blocking) || order(x) - order(y));
        tiers[tier] = { met: a.tiers[tier].met && b.tiers[tier].met, features: gaps };
    }
    return { highest: judged(a) || judged(b) ? highestMet(tiers) : null, tiers };
}

/** Whether anything was judged: a tier is met by a stack no feature applies to, yet none is named. */
export function judged(r: Readiness): boolean {
    return r.highest !== null || TIERS.some(t => !r.tiers[t].met);
}
