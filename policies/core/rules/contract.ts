// The contract between a feature module and the rest of the pack.

import { FeatureId, TierId } from "../../matrix";
import { Kind } from "../model/types";
import { StackModel, StackResource } from "../model/stack";
import { WorkspaceView } from "../azure/workspace";

/**
 * What a feature rule concluded about one subject (usually a workspace).
 * - `pass`: the evidence is in the stack and satisfies the feature;
 * - `fail`: the feature is missing or wrong (reported at the tier's enforcement level);
 * - `unverified`: a value is unknown until apply or secret, or a part lives outside the stack: never a pass;
 *   its kind (below) decides whether it blocks;
 * - `note`: advice that does not change the verdict (e.g. relying on an API default).
 */
export type FindingStatus = "pass" | "fail" | "unverified" | "note";

/**
 * Why a finding does not pass, which decides how it is enforced (evaluate.ts):
 * - `fail`: the stack's own values are wrong; mandatory at a requiring tier, never attestable;
 * - `missing`: nothing in the stack provides the feature; mandatory at a requiring tier until attested;
 * - `outside`: the stack's evidence names something not declared here; advisory unless the
 *   configuration sets `requireEvidenceInStack`;
 * - `unknown`: a value is unknown until apply; advisory, judged once known (`pulumi up` analyzes again);
 * - `secret`: a value is secret and this reader cannot decrypt it (a preview's "[secret]", an
 *   export's ciphertext): never a pass, and no later run of the same door sees more, so it is
 *   attestable, and blocks like `outside` under `requireEvidenceInStack`.
 */
export type EvidenceKind = "fail" | "missing" | "outside" | "unknown" | "secret";

export const EVIDENCE_KINDS: readonly EvidenceKind[] = ["fail", "missing", "outside", "unknown", "secret"];

export interface Finding {
    status: FindingStatus;
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
     * A failure for lack of evidence in this stack (e.g. no endpoint declared here), which an
     * attestation may cover. Failures that contradict the stack's own values are not attestable.
     */
    attestable?: boolean;
    /** Why it does not pass; derived from status and `attestable` when omitted (see `kindOf`). */
    kind?: EvidenceKind;
    /**
     * The resource check that produced it (`<feature>/<name>`, see `ResourceCheck.id`): the stack
     * rule calls the same function, and leaves what it finds there to the resource policy.
     */
    check?: string;
    /**
     * What within its subject the finding is about (e.g. `host subnet`), where one rule reports
     * several findings on one subject: with the feature, subject, kind and check, the finding's
     * identity (evaluate.ts, `identityOf`), which stays the same whatever its wording.
     */
    aspect?: string;
}

/** A not-passing finding's kind: explicit, or a failure (attestable: missing) or an unknown value. */
export function kindOf(f: Pick<Finding, "status" | "attestable" | "kind">): EvidenceKind | undefined {
    if (f.status !== "fail" && f.status !== "unverified") {
        return undefined;
    }
    return f.kind ?? (f.status === "fail" ? (f.attestable ? "missing" : "fail") : "unknown");
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
export function workspaceFinding(ws: WorkspaceView, status: FindingStatus, found: string, extra: Partial<Finding> = {}): Finding {
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
