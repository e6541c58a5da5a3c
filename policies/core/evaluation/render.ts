// Findings as text: the one wording of the engine's diagnostics and of every report format.

import { featureRow, TIER_TITLES } from "../../matrix";
import { attestable, FeatureFinding, isFeatureFinding, Judged, Reason } from "../rules/contract";
import { Exemption } from "./config";
import { cut, cutId, quoteId, TEXT_LIMIT } from "../model/values";

/**
 * The first line: the problem (or what was judged), so that findings of one feature, and a list of
 * many, read apart.
 */
export function headline(o: FeatureFinding): string {
    if (o.status === "exempted" && o.exemption) {
        const e = o.exemption;
        return `Exempted: ${cut(e.reason, TEXT_LIMIT)}${e.expires ? ` (until ${e.expires})` : ""}.`;
    }
    if (o.status === "attested" && o.attestation) {
        const a = o.attestation;
        return `Attested outside this stack: ${cut(a.reason, TEXT_LIMIT)}${a.reference ? ` (reference: ${cut(a.reference)})` : ""}.`;
    }
    switch (o.status) {
        case "fail":
            return `Found: ${o.found}.`;
        case "unverified":
            return `${o.reason === "secret" ? "Secret, not readable here" : "Not verified"}: ${o.found}.`;
        default:
            return `${o.status === "pass" ? "Passed" : "Note"}: ${o.found}.`;
    }
}

/** The line after the headline: feature, tier and subject. */
export function context(o: FeatureFinding): string {
    const subject = o.resource ? `${cutId(o.resource.type)} ${quoteId(o.resource.name)}` : "this stack";
    return `${featureRow(o.feature).title} (${o.feature}) is ${o.requirement} in ${TIER_TITLES[o.tier]} (tier ${o.tier}): ${subject}.`;
}

/** The lines after the headline: its context, then what is missing, the fix, how to attest. */
export function details(o: FeatureFinding): string[] {
    return [context(o), ...particulars(o)];
}

/** What a finding says beyond its headline and context: what is missing, the fix, how to attest. */
export function particulars(o: FeatureFinding): string[] {
    if (o.status === "exempted" && o.exemption) {
        return [`Found: ${o.found}.`, ...(o.missing ? [`Missing: ${o.missing}.`] : [])];
    }
    if (o.status === "attested" && o.attestation) {
        return [`In this stack: ${o.found}.`];
    }
    const lines: string[] = [];
    if (o.missing && o.status === "fail") {
        lines.push(`Missing: ${o.missing}.`);
    } else if (o.missing && o.status === "unverified") {
        lines.push(`${UNVERIFIED_LEAD[o.reason ?? "unknown"]}: ${o.missing}.`);
    }
    if (o.expiredExemption) {
        lines.push(expiredLine(o.expiredExemption));
    }
    if (o.fix && o.status !== "pass") {
        lines.push(`Fix: ${o.fix}`);
    }
    if (o.reason === "secret" && o.status === "unverified") {
        lines.push(SECRET_HINT);
    }
    if (attestable(o.reason)) {
        lines.push(attestHint(o));
    }
    return lines;
}

/** How a not-verified finding introduces what is left to check, by why it could not be seen. */
const UNVERIFIED_LEAD: Record<Reason, string> = {
    unknown: "Checked once the value is known (pulumi up analyzes again)",
    secret: "Checked once the check can read the secret",
    outside: "To be checked",
    wrong: "To be checked",
    missing: "To be checked",
};

/** How to let the pack read a secret, in every door. */
export const SECRET_HINT = "To let the check read it: judge a `pulumi stack export --show-secrets` file (a `pulumi preview --json` plan writes every secret as \"[secret]\", a plain export as ciphertext), or run the pack in the engine (`pulumi preview --policy-pack`, `pulumi policy analyze`) with access to the stack's secrets provider.";

/** Which exemption of the resource expired, and when: it no longer covers the finding. */
export function expiredLine(e: Exemption): string {
    return `Exemption expired on ${e.expires ?? "?"}: ${cut(e.reason, TEXT_LIMIT)} (renew its "expires" date or fix the resource).`;
}

/** How to attest the feature, in the configuration file form and in the library form. */
export function attestHint(o: Pick<FeatureFinding, "feature" | "reason" | "level">): string {
    const how = `attest it: set "${o.feature}": {"attestations": [{"reason": "…"}]} in the policy pack configuration (library: \`attestations: { "${o.feature}": [{ reason: "…" }] }\`).`;
    if (o.reason === "outside" && o.level === "mandatory") {
        return `requireEvidenceInStack is set, so evidence outside this stack blocks: declare it here, or ${how}`;
    }
    if (o.reason === "secret") {
        return `${o.level === "mandatory" ? "requireEvidenceInStack is set, so evidence the check cannot read blocks. " : ""}If you have verified the secret value, ${how}`;
    }
    return `If this is satisfied outside the stack, ${how}`;
}

/** The whole message of a finding, as the engine shows it (a pack-level notice is its one line). */
export function message(o: Judged): string {
    return isFeatureFinding(o) ? [headline(o), ...details(o)].join("\n") : o.found;
}
