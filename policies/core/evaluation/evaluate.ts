// Runs a feature rule against a stack for a tier and judges its findings: reason, level,
// attestations and exemptions applied. Findings stay structured; render.ts writes them as text.

import { FeatureId, requirement, Requirement, tierRank, TIER_TITLES, TierId, isTier } from "../../matrix";
import { Attestation, Exemption, FeatureConfig, Enforcement, TIER_TAG } from "./config";
import { attestable, FeatureFinding, FeatureModule, Finding, isNotApplicable, Level, Reason, reasonOf, Stage } from "../rules/contract";
import { policyName } from "./naming";
import { idKey, stackIndex, StackModel, StackResource } from "../model/stack";
import { matchesWorkspace, workspaces } from "../azure/workspace";
import { cut, FIELD_LIMIT, quote, quoteId, secretWording, TEXT_LIMIT, unseenIn, UNTIL_APPLY } from "../model/values";

/** A feature judged at a tier: its findings, each with the level and stage judging gave it. */
export interface FeatureVerdict {
    feature: FeatureId;
    /** The stack policy that reports it. */
    policy: string;
    /** The enforcement applied to the feature: `disabled`, the user's, else the tier's (mandatory where required). */
    enforcement: Enforcement;
    tier: TierId;
    requirement: Requirement;
    /** Why nothing was evaluated (not part of the tier, disabled, no workspace). */
    notApplicable?: string;
    findings: FeatureFinding[];
    /**
     * The feature's resource policy, when it has one and it is not disabled: it reports the findings
     * of stage `before-creation`, per resource, and the stack policy leaves them out.
     */
    resourcePolicy?: string;
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

/**
 * The feature's stack rule judged: every finding with the level it is reported at, attestations and
 * exemptions applied, and notes on configuration that names nothing in the stack. Every finding is
 * reported by the stack policy (`decide` hands those of the resource check to the resource policy).
 */
export function evaluateFeature(feature: FeatureModule, model: StackModel, config: FeatureConfig,
    stackTags?: ReadonlyMap<string, string>, today: Date = new Date()): FeatureVerdict {
    const tier = effectiveTier(config.tier, stackTags).tier;
    const req = requirement(feature.id, tier);
    const base = { feature: feature.id, policy: policyName(feature.id), enforcement: appliedEnforcement(req, config), tier, requirement: req };
    if (req === "none") {
        return { ...base, notApplicable: `${feature.id} is not part of the ${TIER_TITLES[tier]} architecture (tier ${tier})`, findings: [] };
    }
    const ctx = { model, tier, requirement: req, workspaces: workspaces(model), workspaceStorageAccounts: config.workspaceStorageAccounts };
    let result: Finding[] | { notApplicable: string };
    try {
        result = feature.evaluate(ctx);
    } catch (e) {
        result = [couldNotEvaluate(e)];
    }
    if (isNotApplicable(result)) {
        return { ...base, notApplicable: result.notApplicable, findings: [] };
    }
    const secretsOnly = () => model.index(SECRETS_ONLY);
    const judge = judgeFor(base, config, today, "after-update");
    const findings = result.map(f => judge(unseenAsSecret(f, secretsOnly)));
    return { ...base, findings: [...findings, ...unmatchedNotes(base, model, config)] };
}

/**
 * The feature's checks of one resource's own inputs (its resource policy), judged with the same
 * configuration as the stack policy: empty when the feature has none, the tier does not include it
 * or the resource is not of a kind it checks.
 */
export function evaluateResource(feature: FeatureModule, res: StackResource, config: FeatureConfig,
    stackTags?: ReadonlyMap<string, string>, today: Date = new Date()): FeatureFinding[] {
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
    const base = { feature: feature.id, policy: policyName(feature.id, "resource"), enforcement: appliedEnforcement(req, config), tier, requirement: req };
    const judge = judgeFor(base, config, today, "before-creation");
    return findings.map(f => judge(unseenAsSecret(f, secretsOnly)));
}

/**
 * A rule that threw, about the stack or one resource. A rule must never take the engine down, nor
 * let through what it could not judge: the feature counts as missing (mandatory when required)
 * until it is fixed or attested.
 */
function couldNotEvaluate(e: unknown, res?: StackResource): Finding {
    const why = e instanceof Error ? e.message : String(e);
    return {
        status: "fail", reason: "missing", ...(res ? { resource: res } : {}),
        found: `the rule could not evaluate this ${res ? "resource" : "stack"} (${cut(why, TEXT_LIMIT)})`,
        missing: "a verdict on this feature",
        fix: "Report this as a bug in the policy pack (with the message above); meanwhile review the feature by hand and attest it.",
    };
}

/** The enforcement applied to a feature: the user's, else mandatory where the tier requires it. */
export function appliedEnforcement(req: Requirement, config: Pick<FeatureConfig, "enforcement">): Enforcement {
    return config.enforcement ?? (req === "required" ? "mandatory" : "advisory");
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
    if (reasonOf(f) !== "unknown") {
        return f;
    }
    if (secretsOnly()) {
        return { ...f, reason: "secret", found: secretWording(f.found), ...(f.missing !== undefined ? { missing: secretWording(f.missing) } : {}) };
    }
    // Worded by whyUnknown as secret, and nothing in it unknown until apply.
    const onlySecretWords = f.found === secretWording(f.found) && f.found.includes(secretWording(UNTIL_APPLY));
    return onlySecretWords ? { ...f, reason: "secret" } : f;
}

/** What every finding of one feature's policy shares, and the enforcement that decides their levels. */
type JudgeBase = Pick<FeatureFinding, "feature" | "policy" | "tier" | "requirement"> & { enforcement: Enforcement };

/**
 * Judging one finding of a feature: its reason, the level at this tier (none for a pass), and what
 * covers it (an exemption of its resource, else an attestation where its reason allows one).
 */
function judgeFor({ enforcement, ...base }: JudgeBase, config: FeatureConfig, today: Date, stage: Stage): (f: Finding) => FeatureFinding {
    return f => {
        const reason = reasonOf(f);
        // Missing evidence reads as a failure; evidence outside the stack, unknown or secret as not verified.
        const status = reason === undefined ? f.status : reason === "wrong" || reason === "missing" ? "fail" : "unverified";
        // Every text a rule wrote is bounded here too, whatever it quoted.
        const judged: FeatureFinding = {
            ...f, ...base, stage, found: cut(f.found, FIELD_LIMIT),
            ...(f.missing !== undefined ? { missing: cut(f.missing, FIELD_LIMIT) } : {}),
            ...(f.fix !== undefined ? { fix: cut(f.fix, FIELD_LIMIT) } : {}),
            ...(reason ? { reason } : {}),
        };
        if (reason === undefined) {
            return f.status === "pass" ? judged : { ...judged, level: "advisory" };
        }
        const exemption = f.resource ? findExemption(config.exemptions, f.resource, today) : undefined;
        if (exemption) {
            return { ...judged, status: "exempted", level: "advisory", exemption };
        }
        const attestation = attestable(reason) ? findAttestation(config.attestations, f) : undefined;
        if (attestation) {
            return { ...judged, status: "attested", level: "advisory", attestation };
        }
        const expired = f.resource ? config.exemptions.find(e => matchesResource(e.resource, f.resource as StackResource)) : undefined;
        return { ...judged, status, level: levelOf(reason, enforcement, config), ...(expired ? { expiredExemption: expired } : {}) };
    };
}

/** The level of a not-passing finding that no attestation or exemption covers, under the feature's enforcement. */
export function levelOf(reason: Reason, enforcement: Enforcement, config: Pick<FeatureConfig, "requireEvidenceInStack">): Level {
    const blocks = reason === "wrong" || reason === "missing" || ((reason === "outside" || reason === "secret") && config.requireEvidenceInStack);
    return blocks && (enforcement === "mandatory" || enforcement === "remediate") ? "mandatory" : "advisory";
}

/** Notes on the feature's exemptions and attestations that name nothing in the stack. */
function unmatchedNotes({ enforcement: _, ...feature }: JudgeBase, model: StackModel, config: FeatureConfig): FeatureFinding[] {
    const base = { ...feature, status: "note" as const, level: "advisory" as const, stage: "after-update" as const };
    const notes: FeatureFinding[] = [];
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
