// The JSON report (schema 2): the report as it is, each finding written with its words, its
// message and its fingerprint; the evidence picture left out (only the Markdown and --explain draw it).

import { featureRow, GroupId, TIERS } from "../../policies/matrix";
import { attestable, isFeatureFinding, Judged, kindWord, Unmatched } from "../../policies/core/rules/contract";
import { Attestation, Exemption } from "../../policies/core/evaluation/config";
import { details, headline } from "../../policies/core/evaluation/render";
import { Readiness } from "../../policies/core/evaluation/readiness";
import { Report } from "../check";
import { fingerprint } from "./words";
import { ReportFormat } from "./index";

/** One finding as the JSON report writes it. */
export interface JsonFinding {
    /** The feature id, or the pack-level policy for the notice about the stack tag. */
    feature: string;
    /** The feature's group; absent for the pack-level notice. */
    group?: GroupId;
    /** The finding's status; `tier-tag` for the notice about the stack tag. */
    status: Judged["status"] | "tier-tag";
    level: "mandatory" | "advisory";
    urn?: string;
    resourceName?: string;
    resourceType?: string;
    /** The message as the engine shows it. */
    message: string;
    /** Its first line: the problem (absent for the tier-tag notice, whose message is one line). */
    headline?: string;
    found?: string;
    missing?: string;
    fix?: string;
    /** The reason it does not pass, in the report's words (`fail` for wrong). */
    kind?: string;
    /** Whether an attestation could cover it. */
    attestable?: boolean;
    attestation?: Attestation;
    exemption?: Exemption;
    expiredExemption?: Exemption;
    unmatched?: Unmatched;
    /** The message's lines after its headline; the first names feature, tier and resource. */
    details: string[];
    fingerprint: string;
    /** When the engine stops it (the finding's stage). */
    blocks?: Judged["stage"];
    phase?: Judged["phase"];
}

/** A reported finding as the JSON report writes it. */
export function jsonFinding(f: Judged): JsonFinding {
    if (!isFeatureFinding(f)) {
        return { feature: f.policy, status: "tier-tag", level: f.level ?? "advisory", message: f.found, details: [f.found], fingerprint: fingerprint(f), ...(f.phase ? { phase: f.phase } : {}) };
    }
    // The message is the headline and the details (render.ts `message`), each written once here.
    const [head, rest] = [headline(f), details(f)];
    return {
        feature: f.feature, group: featureRow(f.feature).group, status: f.status, level: f.level ?? "advisory",
        urn: f.resource?.urn, resourceName: f.resource?.name, resourceType: f.resource?.type,
        message: [head, ...rest].join("\n"), headline: head, found: f.found, missing: f.missing, fix: f.fix,
        kind: f.reason ? kindWord(f.reason) : undefined, attestable: attestable(f.reason),
        attestation: f.attestation, exemption: f.exemption, expiredExemption: f.expiredExemption, unmatched: f.unmatched,
        details: rest, fingerprint: fingerprint(f), blocks: f.stage, ...(f.phase ? { phase: f.phase } : {}),
    };
}

/** Readiness in the report's words: each gap's reasons as `kinds`. */
export function jsonReadiness(r: Readiness): unknown {
    return {
        highest: r.highest,
        tiers: Object.fromEntries(TIERS.map(t => [t, {
            met: r.tiers[t].met,
            features: r.tiers[t].features.map(g => ({ feature: g.feature, kinds: g.reasons.map(kindWord), blocking: g.blocking, findings: g.findings })),
        }])),
    };
}

export function renderJson(r: Report): string {
    return JSON.stringify({ ...r, readiness: jsonReadiness(r.readiness), findings: r.findings.map(jsonFinding), evidence: undefined }, null, 2) + "\n";
}

export const json: ReportFormat = { name: "json", complete: true, render: r => renderJson(r) };
