// Per-policy configuration: the tier, attestations of evidence held outside the stack, and
// exemptions of named resources. Validated here with messages that name the field, both for the
// engine's Configure call and for the library options.

import { DEFAULT_TIER, isTier, TIERS, TierId } from "../../matrix";
import { cut, isRecord, quote } from "../model/values";

/** The engine's enforcement levels, in the order of the Analyzer protocol's enum. */
export const ENFORCEMENTS = ["advisory", "mandatory", "disabled", "remediate"] as const;
export type Enforcement = (typeof ENFORCEMENTS)[number];

export interface Attestation {
    /** Why the feature is satisfied outside this stack (required). */
    reason: string;
    /** Workspaces it covers: logical names, URNs, Azure names or ARM IDs. Omitted: every workspace. */
    workspaces?: string[];
    /** Where the evidence lives, e.g. a stack name, a ticket, a document. */
    reference?: string;
}

export interface Exemption {
    /** The resource: logical name, URN, Azure name or ARM ID. */
    resource: string;
    /** Why the risk is accepted (required). */
    reason: string;
    /** ISO date (YYYY-MM-DD) after which the exemption no longer applies. */
    expires?: string;
}

export interface FeatureConfig {
    tier: TierId;
    attestations: Attestation[];
    exemptions: Exemption[];
    /**
     * Evidence must be declared in this stack: a reference to something outside it (a policy ID,
     * a next hop, a subnet of another stack) blocks like missing evidence until attested.
     */
    requireEvidenceInStack: boolean;
    /**
     * Storage accounts (Azure names or ARM IDs) the workspaces use though no resource of the stack
     * links them (e.g. granted in another stack): judged like linked storage.
     */
    workspaceStorageAccounts: string[];
    /**
     * The level the user gave the feature (configuration, `all`, or the library's `enforcement`);
     * absent, the tier decides: mandatory where the feature is required, advisory where optional.
     */
    enforcement?: Enforcement;
}

export class ConfigError extends Error {}

const TIER_LIST = TIERS.map(t => `"${t}"`).join(", ");

function nonEmptyString(v: unknown): v is string {
    return typeof v === "string" && v.trim().length > 0;
}

function stringList(v: unknown, field: string): string[] {
    if (!Array.isArray(v) || !v.every(nonEmptyString)) {
        throw new ConfigError(`${field} must be a list of non-empty strings`);
    }
    return v;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Whether `s` is a calendar date written YYYY-MM-DD: a month 01 to 12 and a day that month has
 * (29 February in leap years only). `Date.parse` is no test: it rolls 2027-02-30 over to 2 March.
 */
export function isCalendarDate(s: string): boolean {
    const m = ISO_DATE.exec(s);
    if (!m) {
        return false;
    }
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
    return days !== undefined && day >= 1 && day <= days;
}

export function parseTier(v: unknown, field: string): TierId {
    if (!isTier(v)) {
        throw new ConfigError(`${field} must be one of ${TIER_LIST}; got ${quote(v)}`);
    }
    return v;
}

export function parseStrictEvidence(v: unknown, field: string): boolean {
    if (v === undefined) {
        return false;
    }
    if (typeof v !== "boolean") {
        throw new ConfigError(`${field} must be true or false; got ${quote(v)}`);
    }
    return v;
}

export function parseStorageAccounts(v: unknown, field: string): string[] {
    return v === undefined ? [] : stringList(v, field);
}

export function parseAttestations(v: unknown, field: string): Attestation[] {
    if (v === undefined) {
        return [];
    }
    if (!Array.isArray(v)) {
        throw new ConfigError(`${field} must be a list of {reason, workspaces?, reference?} objects`);
    }
    return v.map((a, i) => {
        const f = `${field}[${i}]`;
        if (!isRecord(a)) {
            throw new ConfigError(`${f} must be an object with a "reason"`);
        }
        for (const k of Object.keys(a)) {
            if (!["reason", "workspaces", "reference"].includes(k)) {
                throw new ConfigError(`${f}.${cut(k)} is not a known field (reason, workspaces, reference)`);
            }
        }
        if (!nonEmptyString(a.reason)) {
            throw new ConfigError(`${f}.reason is required: say why the feature is satisfied outside this stack`);
        }
        const out: Attestation = { reason: a.reason };
        if (a.workspaces !== undefined) {
            out.workspaces = stringList(a.workspaces, `${f}.workspaces`);
        }
        if (a.reference !== undefined) {
            if (!nonEmptyString(a.reference)) {
                throw new ConfigError(`${f}.reference must be a non-empty string`);
            }
            out.reference = a.reference;
        }
        return out;
    });
}

export function parseExemptions(v: unknown, field: string): Exemption[] {
    if (v === undefined) {
        return [];
    }
    if (!Array.isArray(v)) {
        throw new ConfigError(`${field} must be a list of {resource, reason, expires?} objects`);
    }
    return v.map((e, i) => parseExemption(e, `${field}[${i}]`));
}

/** One exemption; `f` names it in messages (e.g. `vnet-injection.exemptions[0]`). */
export function parseExemption(e: unknown, f: string): Exemption {
    if (!isRecord(e)) {
        throw new ConfigError(`${f} must be an object with "resource" and "reason"`);
    }
    for (const k of Object.keys(e)) {
        if (!["resource", "reason", "expires"].includes(k)) {
            throw new ConfigError(`${f}.${cut(k)} is not a known field (resource, reason, expires)`);
        }
    }
    if (!nonEmptyString(e.resource)) {
        throw new ConfigError(`${f}.resource is required: a logical name, URN, Azure name or ARM ID`);
    }
    if (!nonEmptyString(e.reason)) {
        throw new ConfigError(`${f}.reason is required: say why the risk is accepted`);
    }
    const out: Exemption = { resource: e.resource, reason: e.reason };
    if (e.expires !== undefined) {
        if (typeof e.expires !== "string" || !isCalendarDate(e.expires)) {
            throw new ConfigError(`${f}.expires must be a calendar date in the form YYYY-MM-DD; got ${quote(e.expires)}`);
        }
        out.expires = e.expires;
    }
    return out;
}

/** Every property a policy's configuration may hold. */
const POLICY_PROPERTIES = ["tier", "attestations", "exemptions", "requireEvidenceInStack", "workspaceStorageAccounts", "enforcementLevel"] as const;

/** Validates one policy's configuration properties (enforcementLevel may still be among them). */
export function parseFeatureConfig(raw: unknown, policyName: string): FeatureConfig {
    const props = raw === undefined || raw === null ? {} : raw;
    if (!isRecord(props)) {
        throw new ConfigError(`${policyName}: configuration must be an object`);
    }
    for (const k of Object.keys(props)) {
        if (!(POLICY_PROPERTIES as readonly string[]).includes(k)) {
            throw new ConfigError(`${policyName}.${cut(k)} is not a known property (${POLICY_PROPERTIES.join(", ")})`);
        }
    }
    return {
        tier: props.tier === undefined ? DEFAULT_TIER : parseTier(props.tier, `${policyName}.tier`),
        attestations: parseAttestations(props.attestations, `${policyName}.attestations`),
        exemptions: parseExemptions(props.exemptions, `${policyName}.exemptions`),
        requireEvidenceInStack: parseStrictEvidence(props.requireEvidenceInStack, `${policyName}.requireEvidenceInStack`),
        workspaceStorageAccounts: parseStorageAccounts(props.workspaceStorageAccounts, `${policyName}.workspaceStorageAccounts`),
    };
}

/** The stack tag with which a stack asks for a stricter tier. */
export const TIER_TAG = "databricks-network-tier";
