// Runs a feature rule against a stack for a tier and turns its findings into outcomes:
// attestations and exemptions applied, the level chosen. Outcomes stay structured; render.ts
// writes them as text.

import { FeatureId, requirement, Requirement, tierRank, TIER_TITLES, TierId, isTier } from "../../matrix";
import { Attestation, Exemption, FeatureConfig, Level, TIER_TAG } from "./config";
import { EvidenceKind, FeatureModule, Finding, isNotApplicable, kindOf } from "../rules/contract";
import { idKey, stackIndex, StackModel, StackResource } from "../model/stack";
import { matchesWorkspace, workspaces } from "../azure/workspace";
import { cut, FIELD_LIMIT, quote, quoteId, secretWording, TEXT_LIMIT, unseenIn, UNTIL_APPLY } from "../model/values";

export type OutcomeStatus = "pass" | "fail" | "unverified" | "attested" | "exempted" | "note";

/** The resource an outcome is about. */
export interface Subject {
    urn: string;
    name: string;
    type: string;
}

export interface Outcome {
    feature: FeatureId;
    tier: TierId;
    requirement: Requirement;
    status: OutcomeStatus;
    /** Why it does not pass (not for passes and notes); kept when attested or exempted. */
    kind?: EvidenceKind;
    /**
     * The level reported: `mandatory` for `fail` and `missing` findings (and `outside` ones under
     * `requireEvidenceInStack`) of a feature whose level is mandatory (the user's, else the tier's:
     * mandatory where required); everything else reported is `advisory`; `none` for passes.
     */
    level: "mandatory" | "advisory" | "none";
    /** The resource; the stack itself when omitted. */
    subject?: Subject;
    /** What the stack holds. */
    found: string;
    /** What is missing or wrong, or what will be checked once a value is known. */
    missing?: string;
    /** How to fix it, or how to supply the evidence. */
    fix?: string;
    /** Whether an attestation in the configuration could cover it (the message says how). */
    attestable: boolean;
    /** The attestation that covers it (status `attested`). */
    attestation?: Attestation;
    /** The exemption that covers it (status `exempted`). */
    exemption?: Exemption;
    /** An exemption of this resource whose `expires` date has passed: it no longer covers it. */
    expiredExemption?: Exemption;
    /** A note on configuration that matches nothing in the stack (status `note`). */
    unmatched?: Unmatched;
    /** The resource check that produced it, if any (`Finding.check`). */
    check?: string;
    /**
     * Decided by the subject's own inputs: the feature's resource policy reports it when the engine
     * analyzes that resource, before creating it.
     */
    local?: boolean;
    /** What within its subject it is about (`Finding.aspect`). */
    aspect?: string;
}

/**
 * What makes an outcome the finding it is, never its wording (which quotes values and counts that
 * an unrelated edit changes): feature, subject, why it does not pass (its kind, kept when attested
 * or exempted; else its status), the resource check, the aspect, and for a note on configuration
 * the entry it is about. Report fingerprints hash it.
 */
export function identityOf(o: Outcome): string[] {
    const entry = o.unmatched === undefined ? "" : "exemption" in o.unmatched ? `exemption:${o.unmatched.exemption.resource}` : `attestation:${o.unmatched.attestation.reason}`;
    return [o.feature, o.subject?.urn ?? "", o.kind ?? o.status, o.check ?? "", o.aspect ?? "", entry];
}

/** An exemption naming no resource of the stack, or an attestation naming no workspace of it. */
export type Unmatched = { exemption: Exemption } | { attestation: Attestation; workspaces: string[] };

export interface Evaluation {
    tier: TierId;
    requirement: Requirement;
    /** The level applied to the feature's findings: the user's, else the tier's. */
    level: Level;
    notApplicable?: string;
    outcomes: Outcome[];
}

export interface TierChoice {
    tier: TierId;
    /** About the stack tag: a weaker or unknown tier asked for, which does not lower enforcement. */
    note?: string;
}

/** The configured tier, raised (never lowered) by the stack tag `databricks-network-tier`. */
export function effectiveTier(configured: TierId, stackTags: ReadonlyMap<string, string> | undefined): TierChoice {
    const tag = stackTags?.get(TIER_TAG);
    if (tag === undefined || tag === "") {
        return { tier: configured };
    }
    if (!isTier(tag)) {
        return {
            tier: configured,
            note: `Stack tag ${TIER_TAG}=${quote(tag)} names no tier (use managed-security, hardened-connectivity or isolated-environment); enforcing the configured tier ${configured}.`,
        };
    }
    if (tierRank(tag) > tierRank(configured)) {
        return { tier: tag };
    }
    if (tierRank(tag) < tierRank(configured)) {
        return {
            tier: configured,
            note: `Stack tag ${TIER_TAG}=${quote(tag)} asks for a weaker tier than the configured ${configured}; a tag can only raise enforcement, so ${configured} is enforced. Remove the tag or change the pack configuration.`,
        };
    }
    return { tier: configured };
}

export function evaluateFeature(feature: FeatureModule, model: StackModel, config: FeatureConfig,
    stackTags?: ReadonlyMap<string, string>, today: Date = new Date()): Evaluation {
    const tier = effectiveTier(config.tier, stackTags).tier;
    const req = requirement(feature.id, tier);
    const level = appliedLevel(req, config);
    if (req === "none") {
        return { tier, requirement: req, level, notApplicable: `${feature.id} is not part of the ${TIER_TITLES[tier]} architecture (tier ${tier})`, outcomes: [] };
    }
    const ctx = { model, tier, requirement: req, workspaces: workspaces(model), workspaceStorageAccounts: config.workspaceStorageAccounts };
    let result: Finding[] | { notApplicable: string };
    try {
        result = feature.evaluate(ctx);
    } catch (e) {
        result = [couldNotEvaluate(e)];
    }
    if (isNotApplicable(result)) {
        return { tier, requirement: req, level, notApplicable: result.notApplicable, outcomes: [] };
    }
    const secretsOnly = () => model.index(SECRETS_ONLY);
    const outcomes = result.map(f => toOutcome(feature.id, tier, req, unseenAsSecret(f, secretsOnly), config, today));
    return { tier, requirement: req, level, outcomes: [...outcomes, ...unmatchedNotes(feature.id, tier, req, model, config)] };
}

/**
 * The feature's checks of one resource's own inputs (its resource policy), judged with the same
 * configuration as the stack policy: empty when the feature has none, the tier does not include it
 * or the resource is not of a kind it checks.
 */
export function evaluateResource(feature: FeatureModule, res: StackResource, config: FeatureConfig,
    stackTags?: ReadonlyMap<string, string>, today: Date = new Date()): Outcome[] {
    const check = feature.resourceCheck;
    const kind = res.info?.kind;
    if (!check || kind === undefined || !check.kinds.includes(kind)) {
        return [];
    }
    const tier = effectiveTier(config.tier, stackTags).tier;
    const req = requirement(feature.id, tier);
    if (req === "none") {
        return [];
    }
    let findings: Finding[];
    try {
        findings = check.check(res, { tier, requirement: req });
    } catch (e) {
        findings = [couldNotEvaluate(e, res)];
    }
    const secretsOnly = () => onlySecrets(unseenIn(res.props));
    return findings.map(f => ({ ...toOutcome(feature.id, tier, req, unseenAsSecret(f, secretsOnly), config, today), local: true }));
}

/**
 * A rule that threw, about the stack or one resource. A rule must never take the engine down, nor
 * let through what it could not judge: the feature counts as missing (mandatory when required)
 * until it is fixed or attested.
 */
function couldNotEvaluate(e: unknown, res?: StackResource): Finding {
    const why = e instanceof Error ? e.message : String(e);
    return {
        status: "fail", kind: "missing", ...(res ? { resource: res } : {}),
        found: `the rule could not evaluate this ${res ? "resource" : "stack"} (${cut(why, TEXT_LIMIT)})`,
        missing: "a verdict on this feature",
        fix: "Report this as a bug in the policy pack (with the message above); meanwhile review the feature by hand and attest it.",
    };
}

/** The level applied to a feature: the user's, else mandatory where the tier requires it. */
export function appliedLevel(req: Requirement, config: Pick<FeatureConfig, "level">): Level {
    return config.level ?? (req === "required" ? "mandatory" : "advisory");
}

/** Whether unseen values are all secrets: some secret, nothing unknown until apply. */
function onlySecrets(u: { unknown: boolean; secret: boolean }): boolean {
    return u.secret && !u.unknown;
}

/**
 * Whether the stack's unseen values are all secrets: in an export, or a plan or state of resources
 * that are all deployed, nothing is computed at apply, so whatever a rule could not see is secret.
 */
const SECRETS_ONLY = stackIndex("whether every unseen value is a secret", model => {
    const u = { unknown: false, secret: false };
    for (const r of model.resources) {
        const here = unseenIn(r.props);
        u.unknown ||= here.unknown;
        u.secret ||= here.secret;
    }
    return onlySecrets(u);
});

/**
 * A finding about a value its rule could not see, judged `secret` when the value is one: in a stack
 * whose unseen values are all secrets, or where the rule says only that a value is secret (the
 * rules that read a value themselves word it by `whyUnknown`). A secret never passes either way;
 * its kind decides the advice (how to let the check read it) and that it may be attested.
 */
function unseenAsSecret(f: Finding, secretsOnly: () => boolean): Finding {
    if (kindOf(f) !== "unknown") {
        return f;
    }
    if (secretsOnly()) {
        return { ...f, kind: "secret", found: secretWording(f.found), ...(f.missing !== undefined ? { missing: secretWording(f.missing) } : {}) };
    }
    // Worded by whyUnknown as secret, and nothing in it unknown until apply.
    const onlySecretWords = f.found === secretWording(f.found) && f.found.includes(secretWording(UNTIL_APPLY));
    return onlySecretWords ? { ...f, kind: "secret" } : f;
}

function toOutcome(id: FeatureId, tier: TierId, req: Requirement, f: Finding, config: FeatureConfig, today: Date): Outcome {
    const subject = f.resource ? { urn: f.resource.urn, name: f.resource.name, type: f.resource.type } : undefined;
    const kind = kindOf(f);
    const attestable = kind === "missing" || kind === "outside" || kind === "secret";
    // Missing evidence reads as a failure; evidence outside the stack, unknown or secret as not verified.
    const status = kind === undefined ? f.status : kind === "fail" || kind === "missing" ? "fail" : "unverified";
    // Every text a rule wrote is bounded here too, whatever it quoted.
    const bounded = (text: string | undefined) => (text === undefined ? undefined : cut(text, FIELD_LIMIT));
    const base = {
        feature: id, tier, requirement: req, subject, found: cut(f.found, FIELD_LIMIT), missing: bounded(f.missing), fix: bounded(f.fix),
        attestable, ...(kind ? { kind } : {}), ...(f.check ? { check: f.check } : {}),
        ...(f.aspect ? { aspect: f.aspect } : {}),
    };
    let expired: Exemption | undefined;
    if (kind !== undefined) {
        const exemption = f.resource ? findExemption(config.exemptions, f.resource, today) : undefined;
        if (exemption) {
            return { ...base, status: "exempted", level: "advisory", exemption };
        }
        const attestation = attestable ? findAttestation(config.attestations, f) : undefined;
        if (attestation) {
            return { ...base, status: "attested", level: "advisory", attestation };
        }
        expired = f.resource ? config.exemptions.find(e => matchesResource(e.resource, f.resource as StackResource)) : undefined;
    }
    const level = f.status === "pass" ? "none" : kind === undefined ? "advisory" : levelOf(kind, appliedLevel(req, config), config);
    return { ...base, status, level, ...(expired ? { expiredExemption: expired } : {}) };
}

/** The level of a not-passing finding that no attestation or exemption covers, under the feature's level. */
export function levelOf(kind: EvidenceKind, level: Level, config: Pick<FeatureConfig, "requireEvidenceInStack">): "mandatory" | "advisory" {
    const blocks = kind === "fail" || kind === "missing" || ((kind === "outside" || kind === "secret") && config.requireEvidenceInStack);
    return blocks && (level === "mandatory" || level === "remediate") ? "mandatory" : "advisory";
}

/** Notes on the feature's exemptions and attestations that name nothing in the stack. */
function unmatchedNotes(id: FeatureId, tier: TierId, req: Requirement, model: StackModel, config: FeatureConfig): Outcome[] {
    const base = { feature: id, tier, requirement: req, status: "note" as const, level: "advisory" as const, attestable: false };
    const notes: Outcome[] = [];
    for (const e of config.exemptions) {
        if (!model.resources.some(r => matchesResource(e.resource, r))) {
            notes.push({ ...base, unmatched: { exemption: e }, found: `the exemption of ${quoteId(e.resource)} names no resource of this stack, so it exempts nothing`, fix: "Name the resource as this stack does (logical name, URN, Azure name or ARM ID), or remove the exemption." });
        }
    }
    const stackWorkspaces = workspaces(model);
    for (const a of config.attestations) {
        const missing = (a.workspaces ?? []).filter(w => !stackWorkspaces.some(ws => matchesWorkspace(ws, w)));
        if (missing.length > 0) {
            notes.push({ ...base, unmatched: { attestation: a, workspaces: missing }, found: `the attestation ${quote(a.reason, TEXT_LIMIT)} names ${missing.length === 1 ? "a workspace" : "workspaces"} not in this stack: ${missing.map(w => quoteId(w)).join(", ")}`, fix: "Name the workspaces as this stack does (logical name, URN, Azure name or ARM ID), or remove them from the attestation." });
        }
    }
    return notes;
}

function matchesResource(ident: string, res: StackResource): boolean {
    if (ident === res.urn || ident.toLowerCase() === res.name.toLowerCase()) {
        return true;
    }
    return res.keys.includes(idKey(ident));
}

function findExemption(list: Exemption[], res: StackResource, today: Date): Exemption | undefined {
    const day = today.toISOString().slice(0, 10);
    return list.find(e => matchesResource(e.resource, res) && (e.expires === undefined || e.expires >= day));
}

function findAttestation(list: Attestation[], f: Finding): Attestation | undefined {
    return list.find(a => {
        if (!a.workspaces || a.workspaces.length === 0) {
            return true;
        }
        const ws = f.workspace;
        return ws !== undefined && a.workspaces.some(w => matchesWorkspace(ws, w));
    });
}
