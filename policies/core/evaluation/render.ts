// Outcomes as text: the one wording of the engine's diagnostics and of every report format.

import { featureRow, TIER_TITLES } from "../../matrix";
import { Outcome } from "./evaluate";
import { Exemption } from "./config";
import { cut, cutId, quoteId, TEXT_LIMIT } from "../model/values";

/** The first line: feature, tier and subject. */
export function headline(o: Outcome): string {
    const subject = o.subject ? `${cutId(o.subject.type)} ${quoteId(o.subject.name)}` : "this stack";
    return `${featureRow(o.feature).title} (${o.feature}) is ${o.requirement} in ${TIER_TITLES[o.tier]} (tier ${o.tier}): ${subject}.`;
}

/** The lines after the headline: what was found, what is missing, the fix, how to attest. */
export function details(o: Outcome): string[] {
    if (o.status === "exempted" && o.exemption) {
        const e = o.exemption;
        return [`Exempted: ${cut(e.reason, TEXT_LIMIT)}${e.expires ? ` (until ${e.expires})` : ""}.`, `Found: ${o.found}.`, ...(o.missing ? [`Missing: ${o.missing}.`] : [])];
    }
    if (o.status === "attested" && o.attestation) {
        const a = o.attestation;
        return [`Attested outside this stack: ${cut(a.reason, TEXT_LIMIT)}${a.reference ? ` (reference: ${cut(a.reference)})` : ""}.`, `In this stack: ${o.found}.`];
    }
    const lines: string[] = [];
    const expired = o.expiredExemption;
    switch (o.status) {
        case "fail":
            lines.push(`Found: ${o.found}.`);
            if (o.missing) {
                lines.push(`Missing: ${o.missing}.`);
            }
            break;
        case "unverified":
            lines.push(`Not verified: ${o.found}.`);
            if (o.missing) {
                lines.push(o.kind === "unknown" ? `Checked once the value is known (pulumi up analyzes again): ${o.missing}.` : `To be checked: ${o.missing}.`);
            }
            break;
        default:
            lines.push(`${o.status === "pass" ? "Passed" : "Note"}: ${o.found}.`);
    }
    if (expired) {
        lines.push(expiredLine(expired));
    }
    if (o.fix && o.status !== "pass") {
        lines.push(`Fix: ${o.fix}`);
    }
    if (o.attestable) {
        lines.push(attestHint(o));
    }
    return lines;
}

/** Which exemption of the resource expired, and when: it no longer covers the finding. */
export function expiredLine(e: Exemption): string {
    return `Exemption expired on ${e.expires ?? "?"}: ${cut(e.reason, TEXT_LIMIT)} (renew its "expires" date or fix the resource).`;
}

/** How to attest the feature, in the configuration file form and in the library form. */
export function attestHint(o: Pick<Outcome, "feature" | "kind" | "level">): string {
    const how = `attest it: set "${o.feature}": {"attestations": [{"reason": "…"}]} in the policy pack configuration (library: \`attestations: { "${o.feature}": [{ reason: "…" }] }\`).`;
    if (o.kind === "outside" && o.level === "mandatory") {
        return `requireEvidenceInStack is set, so evidence outside this stack blocks: declare it here, or ${how}`;
    }
    return `If this is satisfied outside the stack, ${how}`;
}

/** The whole message of an outcome, as the engine shows it. */
export function message(o: Outcome): string {
    return [headline(o), ...details(o)].join("\n");
}
