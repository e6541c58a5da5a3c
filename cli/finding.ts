// One finding of the check command's report, structured as every report format and the evidence
// picture read it.

import { GroupId } from "../policies/matrix";
import { Attestation, Exemption } from "../policies/core/evaluation/config";
import { OutcomeStatus, Unmatched } from "../policies/core/evaluation/evaluate";
import { createHash } from "crypto";
import { EvidenceKind } from "../policies/core/rules/contract";

export interface ReportFinding {
    /** The feature id, or `tier-tag` for the pack-level notice about the stack tag. */
    feature: string;
    /** The feature's group; absent for the pack-level notice. */
    group?: GroupId;
    /** `tier-tag` for the notice about the stack tag. */
    status: OutcomeStatus | "tier-tag";
    level: "mandatory" | "advisory";
    urn?: string;
    resourceName?: string;
    resourceType?: string;
    /** The message as the engine shows it. */
    message: string;
    /** Its first line: the problem (absent for the tier-tag notice, whose message is one line). */
    headline?: string;
    /** What the stack holds, what is missing, how to fix it (absent for the tier-tag notice). */
    found?: string;
    missing?: string;
    fix?: string;
    /** Why it does not pass: `fail` (wrong values), `missing`, `outside` (evidence outside the stack), `unknown` (until apply), `secret` (not readable here). */
    kind?: EvidenceKind;
    /** Whether an attestation could cover it. */
    attestable?: boolean;
    attestation?: Attestation;
    exemption?: Exemption;
    /** An exemption of the resource whose date has passed: it no longer covers the finding. */
    expiredExemption?: Exemption;
    /** Configuration that names nothing in the stack (status `note`). */
    unmatched?: Unmatched;
    /** The message's lines after its headline; the first names feature, tier and resource. */
    details: string[];
    /**
     * The finding's identity hashed (`identityOf`: feature, resource, kind, check, aspect; never its
     * wording): distinct findings differ, and a finding keeps it across runs and unrelated edits.
     */
    fingerprint: string;
    /**
     * When the engine refuses it: `before-creation` (the resource policy, as the engine analyzes the
     * resource, even with `pulumi up --skip-preview`) or `after-update` (a stack policy: a preview
     * blocks it, an update with --skip-preview reports it only once the resources exist).
     */
    blocks?: "before-creation" | "after-update";
    /** Program mode: seen in the preview run, the known-values run, or both. */
    phase?: "preview" | "known" | "both";
}

/** The fingerprint of a finding's identity parts. */
export function fingerprintOf(identity: readonly string[]): string {
    return createHash("sha256").update(identity.join("\u0000")).digest("hex");
}
