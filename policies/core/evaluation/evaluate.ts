// Runs a feature rule against a stack for a tier and turns its findings into outcomes:
// attestations and exemptions applied, enforcement level chosen, message written. Shared by the
// policies and anything else that needs the same verdicts.

import { FeatureId, featureRow, requirement, Requirement, tierRank, TIER_TITLES, TierId, isTier } from "../../matrix";
import { Attestation, Exemption, FeatureConfig, TIER_TAG } from "./config";
import { FeatureModule, Finding, isNotApplicable } from "../rules/contract";
import { idKeys, StackModel, StackResource } from "../model/stack";
import { matchesWorkspace, workspaces } from "../azure/workspace";

export type OutcomeStatus = "pass" | "fail" | "unverified" | "attested" | "exempted" | "note";

export interface Outcome {
    feature: FeatureId;
    tier: TierId;
    requirement: Requirement;
    status: OutcomeStatus;
    /** `mandatory` only for failures of required features; everything reported otherwise is advisory. */
    level: "mandatory" | "advisory" | "none";
    urn?: string;
    resourceName?: string;
    message: string;
}

export interface Evaluation {
    tier: TierId;
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
            note: `Stack tag ${TIER_TAG}=${JSON.stringify(tag)} names no tier (use managed-security, hardened-connectivity or isolated-environment); enforcing the configured tier ${configured}.`,
        };
    }
    if (tierRank(tag) > tierRank(configured)) {
        return { tier: tag };
    }
    if (tierRank(tag) < tierRank(configured)) {
        return {
            tier: configured,
            note: `Stack tag ${TIER_TAG}=${tag} asks for a weaker tier than the configured ${configured}; a tag can only raise enforcement, so ${configured} is enforced. Remove the tag or change the pack configuration.`,
        };
    }
    return { tier: configured };
}

export function evaluateFeature(feature: FeatureModule, model: StackModel, config: FeatureConfig,
    stackTags?: ReadonlyMap<string, string>, today: Date = new Date()): Evaluation {
    const choice = effectiveTier(config.tier, stackTags);
    const tier = choice.tier;
    const req = requirement(feature.id, tier);
    if (req === "none") {
        return { tier, notApplicable: `${feature.id} is not part of the ${TIER_TITLES[tier]} architecture (tier ${tier})`, outcomes: [] };
    }
    const ctx = { model, tier, requirement: req, workspaces: workspaces(model) };
    let result: Finding[] | { notApplicable: string };
    try {
        result = feature.evaluate(ctx);
    } catch (e) {
        // A rule must never take the engine down, nor pass what it could not judge.
        result = [{
            status: "unverified",
            found: `the rule could not evaluate this stack (${e instanceof Error ? e.message : String(e)})`,
            fix: "Report this as a bug in the policy pack; until then attest the feature or review it by hand.",
        }];
    }
    if (isNotApplicable(result)) {
        return { tier, notApplicable: result.notApplicable, outcomes: [] };
    }
    const outcomes = result.map(f => toOutcome(feature, tier, req, f, config, today));
    return { tier, outcomes };
}

function toOutcome(feature: FeatureModule, tier: TierId, req: Requirement, f: Finding, config: FeatureConfig, today: Date): Outcome {
    const base = { feature: feature.id, tier, requirement: req, urn: f.resource?.urn, resourceName: f.resource?.name };
    const head = header(feature.id, tier, req, f.resource);
    if (f.status === "fail" || f.status === "unverified") {
        const exemption = f.resource ? findExemption(config.exemptions, f.resource, today) : undefined;
        if (exemption) {
            return {
                ...base, status: "exempted", level: "advisory",
                message: `${head}\nExempted: ${exemption.reason}${exemption.expires ? ` (until ${exemption.expires})` : ""}.\nFound: ${f.found}.${f.missing ? `\nMissing: ${f.missing}.` : ""}`,
            };
        }
        const attestation = (f.status === "unverified" || f.attestable) ? findAttestation(config.attestations, f) : undefined;
        if (attestation) {
            return {
                ...base, status: "attested", level: "advisory",
                message: `${head}\nAttested outside this stack: ${attestation.reason}${attestation.reference ? ` (reference: ${attestation.reference})` : ""}.\nIn this stack: ${f.found}.`,
            };
        }
    }
    const lines = [head];
    switch (f.status) {
        case "fail":
            lines.push(`Found: ${f.found}.`);
            if (f.missing) {
                lines.push(`Missing: ${f.missing}.`);
            }
            break;
        case "unverified":
            lines.push(`Not verified: ${f.found}.`);
            if (f.missing) {
                lines.push(`To be checked: ${f.missing}.`);
            }
            break;
        default:
            lines.push(`${f.status === "pass" ? "Passed" : "Note"}: ${f.found}.`);
    }
    if (f.fix && f.status !== "pass") {
        lines.push(`Fix: ${f.fix}`);
    }
    if (f.status === "unverified" || (f.status === "fail" && f.attestable)) {
        lines.push(`If this is satisfied outside the stack, attest it: set "${feature.id}": {"attestations": [{"reason": "…"}]} in the policy pack configuration.`);
    }
    const level = f.status === "pass" ? "none"
        : f.status === "fail" && req === "required" ? "mandatory"
            : "advisory";
    return { ...base, status: f.status, level, message: lines.join("\n") };
}

function header(id: FeatureId, tier: TierId, req: Requirement, res: StackResource | undefined): string {
    const subject = res ? `${res.type} "${res.name}"` : "this stack";
    return `${featureRow(id).title} (${id}) is ${req} in ${TIER_TITLES[tier]} (tier ${tier}): ${subject}.`;
}

function matchesResource(ident: string, res: StackResource): boolean {
    if (ident === res.urn || ident.toLowerCase() === res.name.toLowerCase()) {
        return true;
    }
    return idKeys(ident).some(k => res.keys.includes(k));
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
