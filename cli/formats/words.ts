// What every report format says of one finding the same way: its status word, its subject line,
// its lines under the subject, its fingerprint, worst-first order.

import { createHash } from "crypto";
import { TIER_TITLES, TIERS, TierId } from "../../policies/matrix";
import { FeatureGap, judged, Readiness } from "../../policies/core/evaluation/readiness";
import { identityOf, isFeatureFinding, Judged, kindWord, Reason } from "../../policies/core/rules/contract";
import { headline, particulars } from "../../policies/core/evaluation/render";
import { cutId, quoteId } from "../../policies/core/model/values";

/** The status word a report shows: MANDATORY for a mandatory finding, else its status. */
export function statusWord(f: Judged): string {
    if (f.level === "mandatory") {
        return "MANDATORY";
    }
    if (!isFeatureFinding(f)) {
        return "tier tag";
    }
    switch (f.status) {
        case "fail": return "advisory";
        case "unverified": return "unverified";
        case "attested": return "attested";
        case "exempted": return "exempted";
        default: return "note";
    }
}

const STAGE_NOTE = { "before-creation": " [refused before creation]", "after-update": " [stack check: blocks a preview; after the update with --skip-preview]" } as const;

const PHASE_NOTE = { preview: " (preview run only)", known: " (needs known values: not visible to a first preview)", both: "" } as const;

/** The line that names what a finding is about: its resource (or the stack), its run, when it is stopped. */
export function subject(f: Judged): string {
    const stage = isFeatureFinding(f) && f.level === "mandatory" ? STAGE_NOTE[f.stage] : "";
    return `${f.resource ? `${cutId(f.resource.type)} ${quoteId(f.resource.name)}` : "stack"}${f.phase ? PHASE_NOTE[f.phase] : ""}${stage}`;
}

/** A finding's lines under its subject: the headline and what follows the context line, which the report's own layout gives. */
export function body(f: Judged): string[] {
    return isFeatureFinding(f) ? [headline(f), ...particulars(f)] : [f.found];
}

/**
 * The finding's identity hashed (`identityOf`: feature, resource, reason, check, aspect; never its
 * wording): distinct findings differ, and a finding keeps it across runs and unrelated edits.
 */
export function fingerprint(f: Judged): string {
    return createHash("sha256").update(identityOf(f).join("\u0000")).digest("hex");
}

/** Worst first: mandatory, then advisory failures, unverified, the tier tag, attested, exempted, notes. */
const RANK: Record<Judged["status"], number> = { fail: 1, unverified: 2, attested: 4, exempted: 5, note: 6, pass: 7 };
const NOTICE_RANK = 3;
const REASON_RANK: Record<Reason, number> = { wrong: 0, missing: 1, outside: 2, secret: 3, unknown: 4 };

function rank(f: Judged): number {
    return f.level === "mandatory" ? 0 : isFeatureFinding(f) ? RANK[f.status] : NOTICE_RANK;
}

export function worstFirst(findings: readonly Judged[]): Judged[] {
    return findings
        .map((f, i) => ({ f, i }))
        .sort((a, b) => rank(a.f) - rank(b.f) || (a.f.reason === undefined ? 9 : REASON_RANK[a.f.reason]) - (b.f.reason === undefined ? 9 : REASON_RANK[b.f.reason]) || a.i - b.i)
        .map(x => x.f);
}

/** A gap as the reports word it: the feature and its kinds, e.g. `external-firewall (missing, fail)`. */
function gapText(g: FeatureGap, code: (s: string) => string = s => s): string {
    return `${code(g.feature)} (${g.reasons.map(kindWord).join(", ")})`;
}

/** What the tier lacks (blocking gaps) and what is left to verify (advisory ones), in words. */
export function tierGaps(r: Readiness, tier: TierId, code?: (s: string) => string): string {
    const t = r.tiers[tier];
    const blocking = t.features.filter(g => g.blocking).map(g => gapText(g, code));
    const verify = t.features.filter(g => !g.blocking).map(g => gapText(g, code));
    return [blocking.length > 0 ? blocking.join(", ") : "", verify.length > 0 ? `to verify: ${verify.join(", ")}` : ""].filter(Boolean).join("; ");
}

/** The readiness headline: the highest tier met, or why none is named. */
export function readinessHeadline(r: Readiness): string {
    if (!judged(r)) {
        return "no tier judged: nothing in this stack is a Databricks workspace or account resource the tiers apply to";
    }
    return r.highest === null ? `meets no tier (not even ${TIERS[0]})` : `meets ${r.highest} (${TIER_TITLES[r.highest]})`;
}
