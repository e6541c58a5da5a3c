// The contract between a feature module and the rest of the pack.

import { FeatureId, Requirement, TierId } from "../../matrix";
import type { Attestation, Exemption } from "../evaluation/config";
import { Kind } from "../model/types";
import { StackModel, StackResource } from "../model/stack";
import { WorkspaceView } from "../azure/workspace";

/**
 * Where a finding stands (glossary: docs/internals.md, "Words"). A rule sets the first four:
 * - `pass`: the evidence is in the stack and satisfies the feature;
 * - `fail`: the feature is missing or wrong (reported at the tier's enforcement);
 * - `unverified`: a value is unknown until apply or secret, or a part lives outside the stack: never
 *   a pass; its reason (below) decides whether it blocks;
 * - `note`: advice that does not change the verdict (e.g. relying on an API default).
 * Judging sets the last two, keeping the reason: `attested` (an attestation covers it) and
 * `exempted` (an exemption of its resource does).
 */
export type Status = "pass" | "fail" | "unverified" | "note" | "attested" | "exempted";

/**
 * Why a finding does not pass, which decides how it is enforced (evaluate.ts):
 * - `wrong`: the stack's own values are wrong; mandatory at a requiring tier, never attestable;
 * - `missing`: nothing in the stack provides the feature; mandatory at a requiring tier until attested;
 * - `outside`: the stack's evidence names something not declared here; advisory unless the
 *   configuration sets `requireEvidenceInStack`;
 * - `unknown`: a value is unknown until apply; advisory, judged once known (`pulumi up` analyzes again);
 * - `secret`: a value is secret and this reader cannot decrypt it (a preview's "[secret]", an
 *   export's ciphertext): never a pass, and no later run of the same door sees more, so it is
 *   attestable, and blocks like `outside` under `requireEvidenceInStack`.
 * The JSON and SARIF reports call it `kind`, and `wrong` there `fail` (report schema 2).
 */
export type Reason = "wrong" | "missing" | "outside" | "unknown" | "secret";

export const REASONS: readonly Reason[] = ["wrong", "missing", "outside", "unknown", "secret"];

/** A reason as the reports write it (`kind`, report schema 2): `fail` for wrong, else the same word. */
export function kindWord(reason: Reason): string {
    return reason === "wrong" ? "fail" : reason;
}

/** The level a finding is reported at; a pass has none. */
export type Level = "mandatory" | "advisory";

/**
 * When the engine stops a mandatory finding: `before-creation` (the feature's resource policy, as
 * the engine analyzes the resource, even with `pulumi up --skip-preview`) or `after-update` (a stack
 * policy: a preview blocks it, an update with --skip-preview reports it once the resources exist).
 */
export type Stage = "before-creation" | "after-update";

/**
 * One finding, from the rule to every report. A rule sets what it saw (status, reason, subject,
 * texts, check, aspect); judging (evaluate.ts, verdicts.ts) adds what judging decides, and a judged
 * finding (`Judged`) carries them all. Reports read it as it is.
 */
export interface Finding {
    status: Status;
    /** Why it does not pass; judging sets it on every finding that does not (`reasonOf`). */
    reason?: Reason;
    /** The resource the finding is about; the stack itself when omitted. */
    resource?: StackResource;
    /** The workspace judged, for attestations scoped to workspaces. */
    workspace?: WorkspaceView;
    /** What the stack holds. */
    found: string;
    /** What is missing or wrong (fail, unverified). */
    missing?: string;
    /** How to fix it, or how to supply the evidence. */
    fix?: string;
    /**
     * The resource check that produced it (`<feature>/<name>`, see `ResourceCheck.id`): the stack
     * rule calls the same function, and leaves what it finds there to the resource policy.
     */
    check?: string;
    /**
     * What within its subject the finding is about (e.g. `host subnet`), where one rule reports
     * several findings on one subject: with the feature, subject, reason and check, the finding's
     * identity (`identityOf`), which stays the same whatever its wording.
     */
    aspect?: string;

    // What judging adds.
    /** The feature; none for the pack-level notice about the stack tag. */
    feature?: FeatureId;
    tier?: TierId;
    requirement?: Requirement;
    /** The policy that reports it: the feature's stack policy, its resource policy, or the pack-level one. */
    policy?: string;
    /** The level reported; none for a pass. */
    level?: Level;
    /** When the engine stops it, were it mandatory. */
    stage?: Stage;
    /** The attestation that covers it (status `attested`). */
    attestation?: Attestation;
    /** The exemption that covers it (status `exempted`). */
    exemption?: Exemption;
    /** An exemption of this resource whose `expires` date has passed: it no longer covers it. */
    expiredExemption?: Exemption;
    /** A note on configuration that matches nothing in the stack (status `note`). */
    unmatched?: Unmatched;
    /** Program mode: seen in the preview run, the known-values run, or both. */
    phase?: "preview" | "known" | "both";
}

/** A finding as judging leaves it: its policy and stage decided. */
export type Judged = Finding & Required<Pick<Finding, "policy" | "stage">>;

/** A judged finding of a feature (every one but the stack tag notice). */
export type FeatureFinding = Judged & Required<Pick<Finding, "feature" | "tier" | "requirement">>;

/** Whether a judged finding is a feature's (every one but the pack-level notice). */
export function isFeatureFinding(f: Judged): f is FeatureFinding {
    return f.feature !== undefined;
}

/** An exemption naming no resource of the stack, or an attestation naming no workspace of it. */
export type Unmatched = { exemption: Exemption } | { attestation: Attestation; workspaces: string[] };

/** A not-passing finding's reason: its own, else wrong for a failure and unknown for the unverified. */
export function reasonOf(f: Pick<Finding, "status" | "reason">): Reason | undefined {
    if (f.status === "pass" || f.status === "note") {
        return undefined;
    }
    return f.reason ?? (f.status === "unverified" ? "unknown" : "wrong");
}

/** Whether an attestation could cover a finding of this reason: evidence missing, outside, or unreadable. */
export function attestable(reason: Reason | undefined): boolean {
    return reason === "missing" || reason === "outside" || reason === "secret";
}

/**
 * What makes a finding the one it is, never its wording (which quotes values and counts that an
 * unrelated edit changes): feature (or policy), subject, why it does not pass (its reason, kept
 * when attested or exempted; else its status), the resource check, the aspect, and for a note on
 * configuration the entry it is about; for the stack tag notice, its policy. Report fingerprints
 * hash it, in the words of report schema 2 (`kindWord`) so that they stay the same across versions.
 */
export function identityOf(f: Finding): string[] {
    if (f.feature === undefined) {
        return [f.policy ?? ""];
    }
    const entry = f.unmatched === undefined ? "" : "exemption" in f.unmatched ? `exemption:${f.unmatched.exemption.resource}` : `attestation:${f.unmatched.attestation.reason}`;
    return [f.feature, f.resource?.urn ?? "", f.reason ? kindWord(f.reason) : f.status, f.check ?? "", f.aspect ?? "", entry];
}

export interface FeatureContext {
    model: StackModel;
    tier: TierId;
    requirement: "required" | "optional";
    workspaces: WorkspaceView[];
    /** Storage accounts (names or ARM IDs) the configuration says the workspaces use. */
    workspaceStorageAccounts?: readonly string[];
}

export interface NotApplicable {
    notApplicable: string;
}

/** A safe automatic fix, run when the policy's enforcement level is `remediate`. */
export interface Remediation {
    /** Returns the fixed inputs, or undefined when nothing needs (or can safely) change. */
    apply(type: string, props: Record<string, unknown>): Record<string, unknown> | undefined;
}

/** How serious a violation is, in the engine's terms. */
export type Severity = "low" | "medium" | "high" | "critical";

export interface ResourceContext {
    tier: TierId;
    requirement: "required" | "optional";
}

/**
 * What one resource's own inputs decide, apart from what needs the rest of the stack: the part of
 * a feature the engine can judge on a single resource, before it is created.
 */
export interface ResourceCheck {
    /** The id its findings carry (`<feature>/<name>`; see `fromCheck`), in the stack rule's findings too. */
    id: string;
    /** One sentence: what it refuses before creation. */
    summary: string;
    /** The kinds of resource it judges. */
    kinds: readonly Kind[];
    /** Findings about `res` read from its own properties only. */
    check(res: StackResource, ctx: ResourceContext): Finding[];
}

export interface FeatureModule {
    id: FeatureId;
    /** One sentence: what the policy requires. */
    description: string;
    severity: Severity;
    /** How to fix a violation, with a short azure-native TypeScript example. */
    remediationSteps: string;
    /** Documentation of the feature. */
    url: string;
    evaluate(ctx: FeatureContext): Finding[] | NotApplicable;
    /** The checks of single resources; the feature's evaluate uses the same function. */
    resourceCheck?: ResourceCheck;
    remediation?: Remediation;
}

export function isNotApplicable(r: Finding[] | NotApplicable): r is NotApplicable {
    return !Array.isArray(r);
}

/** A finding about a workspace: its resource is the subject, and attestations scoped to workspaces can name it. */
export function workspaceFinding(ws: WorkspaceView, status: Status, found: string, extra: Partial<Finding> = {}): Finding {
    return { status, resource: ws.res, workspace: ws, found, ...extra };
}

/**
 * `findings` marked as the resource check `check`'s: whichever policy calls the function, the
 * engine reports them once, on the resource, before creation.
 */
export function fromCheck(check: string, findings: readonly Finding[]): Finding[] {
    return findings.map(f => ({ ...f, check }));
}

/** `findings` marked as being about `aspect` of their subject (see `Finding.aspect`), inside any aspect they name. */
export function about(aspect: string, findings: readonly Finding[]): Finding[] {
    return findings.map(f => ({ ...f, aspect: f.aspect ? `${aspect} ${f.aspect}` : aspect }));
}

/** A list for a message: the first few items, then how many more (stacks can hold thousands). */
export function listed(items: readonly string[], separator = ", ", max = LISTED): string {
    return listOf(items, s => s, separator, max);
}

/** How many items of a list a message names. */
export const LISTED = 3;

/**
 * `listed` of items shown by `show`, which is called only for the items named: a message about one
 * resource costs the same whatever the size of the lists it mentions.
 */
export function listOf<T>(items: readonly T[], show: (item: T) => string, separator = ", ", max = LISTED): string {
    const shown = items.slice(0, max).map(show).join(separator);
    return items.length <= max ? shown : `${shown}${separator}and ${items.length - max} more`;
}

/**
 * A subject's findings as a feature reports them: one pass when nothing is wrong (worded by
 * `summary`, or the passes' own words joined), with its notes; otherwise everything but the passes.
 */
export function collapseFindings(ws: WorkspaceView, findings: readonly Finding[], summary?: string): Finding[] {
    if (findings.every(f => f.status === "pass" || f.status === "note")) {
        // Joined with `+`, which links the parts instead of copying them: a part may be a long list
        // shared by many workspaces' findings, and a pass is rarely written out.
        const passes = findings.filter(f => f.status === "pass").map(f => f.found);
        const joined = passes.length === 0 ? "" : passes.reduce((a, b) => `${a}; ${b}`);
        return [workspaceFinding(ws, "pass", summary ?? joined), ...findings.filter(f => f.status === "note")];
    }
    return findings.filter(f => f.status !== "pass");
}
