// The library entry: a typed pack a platform team composes in a few lines, with the tier, the
// enforcement overrides and the evidence from outside the stack set once for every policy.

import type { EnforcementLevel, PolicyPack, PolicyPackArgs, PolicyPackConfig } from "@pulumi/policy";
import { DEFAULT_TIER, FeatureId, FEATURE_IDS, TierId } from "./matrix";
import { Attestation, ConfigError, Exemption, FeatureConfig, parseAttestations, parseExemption, parseStorageAccounts, parseStrictEvidence, parseTier } from "./core/evaluation/config";
import { PACK_WIDE_POLICY, policyName, policyRef, TIER_TAG_POLICY } from "./core/evaluation/naming";
import { CHECK_TAKES_FEATURE_LEVEL, packShape, PackShape, unknownPolicy } from "./core/evaluation/settings";
import { withEngineHooks } from "./core/engine/hooks";
import { featurePolicies, PackPolicy, packWidePolicy, SettingsCell, tierTagPolicy } from "./core/engine/policy";
import { FEATURES } from "./features";
import { cut } from "./core/model/values";

export interface PackOptions {
    /** The reference architecture to enforce (default `managed-security`). */
    tier?: TierId;
    /** Evidence per feature that it is enforced outside this stack. */
    attestations?: Partial<Record<FeatureId, Attestation[]>>;
    /** Resources exempted from features, each with a reason. */
    exemptions?: (Exemption & { features: FeatureId[] })[];
    /**
     * Enforcement level per policy name, e.g. `{ "external-firewall": "mandatory" }` (its failures
     * block although the tier makes it optional). A feature's level holds for its `-resource`
     * check too; that one takes only "disabled" (its checks then run in the stack policy).
     */
    enforcement?: Partial<Record<string, EnforcementLevel>>;
    /** Evidence that points outside the stack blocks like missing evidence until attested (default false). */
    requireEvidenceInStack?: boolean;
    /** Storage accounts (names or ARM IDs) the workspaces use though no resource of a stack links them. */
    workspaceStorageAccounts?: string[];
    description?: string;
}

export const DEFAULT_PACK_NAME = "azure-databricks-network";

/** An unknown feature id, with the nearest one. */
function unknownFeature(id: string): string {
    return unknownPolicy(id, FEATURE_IDS, "a feature id").message;
}

/** Validates the options; throws a ConfigError naming the field. */
function normalise(options: PackOptions): { tier: TierId; perFeature: Map<FeatureId, FeatureConfig>; packWide: FeatureConfig } {
    const tier = options.tier === undefined ? DEFAULT_TIER : parseTier(options.tier, "options.tier");
    const requireEvidenceInStack = parseStrictEvidence(options.requireEvidenceInStack, "options.requireEvidenceInStack");
    const workspaceStorageAccounts = parseStorageAccounts(options.workspaceStorageAccounts, "options.workspaceStorageAccounts");
    const perFeature = new Map<FeatureId, FeatureConfig>();
    for (const id of FEATURE_IDS) {
        perFeature.set(id, { tier, attestations: [], exemptions: [], requireEvidenceInStack, workspaceStorageAccounts });
    }
    for (const [id, list] of Object.entries(options.attestations ?? {})) {
        const cfg = perFeature.get(id as FeatureId);
        if (!cfg) {
            throw new ConfigError(`options.attestations.${cut(id)}: ${unknownFeature(id)}`);
        }
        cfg.attestations.push(...parseAttestations(list, `options.attestations.${id}`));
    }
    (options.exemptions ?? []).forEach((e, i) => {
        const field = `options.exemptions[${i}]`;
        if (!Array.isArray(e?.features) || e.features.length === 0) {
            throw new ConfigError(`${field}.features must list the feature ids the resource is exempted from`);
        }
        const { features, ...rest } = e;
        const parsed = parseExemption(rest, field);
        for (const id of features) {
            const cfg = perFeature.get(id);
            if (!cfg) {
                throw new ConfigError(`${field}.features: ${unknownFeature(id)}`);
            }
            cfg.exemptions.push(parsed);
        }
    });
    return { tier, perFeature, packWide: { tier, attestations: [], exemptions: [], requireEvidenceInStack, workspaceStorageAccounts } };
}

interface PackPlan {
    policies: { policy: PackPolicy; config: FeatureConfig }[];
}

function plan(options: PackOptions, cell: SettingsCell = {}): { tier: TierId; plan: PackPlan } {
    const { tier, perFeature, packWide } = normalise(options);
    const policies: PackPlan["policies"] = [{ policy: packWidePolicy(packWide), config: packWide }, { policy: tierTagPolicy(packWide, cell), config: packWide }];
    for (const f of FEATURES) {
        const config = perFeature.get(f.id) as FeatureConfig;
        // A level set for the feature holds for its check before creation too, unless set apart.
        for (const p of featurePolicies(f, config, options.enforcement?.[policyName(f.id)], cell)) {
            policies.push({ policy: p, config });
        }
    }
    const known = policies.map(p => p.policy.name);
    for (const [name, level] of Object.entries(options.enforcement ?? {})) {
        if (!known.includes(name)) {
            throw new ConfigError(`options.enforcement.${cut(name)}: ${unknownPolicy(name, known).message}`);
        }
        const ref = policyRef(name);
        if (ref?.role === "resource" && level !== "disabled") {
            throw new ConfigError(`options.enforcement.${name}: ${CHECK_TAKES_FEATURE_LEVEL}: set enforcement["${policyName(ref.feature)}"] (or "disabled" here to leave the check to the stack policy)`);
        }
        if (name === PACK_WIDE_POLICY) {
            throw new ConfigError(`options.enforcement.${name}: ${name} holds settings for every feature and takes no enforcement level`);
        }
        const entry = policies.find(p => p.policy.name === name);
        if (entry && level) {
            entry.policy = { ...entry.policy, enforcementLevel: level };
        }
    }
    return { tier, plan: { policies } };
}

/** The pack's policies and initial configuration, for `new PolicyPack(name, args, initialConfig)`. */
export function policyPackArgs(options: PackOptions = {}, cell?: SettingsCell): { args: PolicyPackArgs; initialConfig: PolicyPackConfig; shape: PackShape } {
    const { tier, plan: p } = plan(options, cell);
    const initialConfig: PolicyPackConfig = {};
    for (const { policy, config } of p.policies) {
        // The engine reads an initial config without a level as "advisory": always send the level.
        initialConfig[policy.name] = {
            enforcementLevel: policy.enforcementLevel ?? "advisory",
            tier: config.tier,
            // The pack-wide entry holds no evidence: attestations and exemptions are per feature.
            ...(policy.name === PACK_WIDE_POLICY ? {} : { attestations: config.attestations, exemptions: config.exemptions }),
            requireEvidenceInStack: config.requireEvidenceInStack,
            ...(config.workspaceStorageAccounts.length > 0 ? { workspaceStorageAccounts: config.workspaceStorageAccounts } : {}),
        };
    }
    const policies = p.policies.map(x => x.policy);
    return {
        shape: packShape(policies, initialConfig, tier),
        args: {
            description: options.description
                ?? `Azure Databricks network reference architectures (default tier ${tier}): classic compute, inbound and outbound controls.`,
            displayName: "Azure Databricks network architectures",
            provider: "azure",
            tags: ["azure", "databricks", "network", `tier:${tier}`],
            policies,
        },
        initialConfig,
    };
}

/**
 * Where a composed pack's `createPolicyPack` call is captured instead of served: the check command
 * loads a team's pack module with a capture set, and evaluates exactly its options. A global
 * symbol, so that the copy of this library the team's pack depends on finds it too.
 */
export const CAPTURE = Symbol.for("azure-databricks-network-policies.capture");

export interface CapturedPack {
    name: string;
    options: PackOptions;
}

type CaptureSlot = { packs: CapturedPack[] };

/** Creates and serves the policy pack (one per process, as the engine expects). */
export function createPolicyPack(name: string = DEFAULT_PACK_NAME, options: PackOptions = {}): PolicyPack {
    const cell: SettingsCell = {};
    const { args, initialConfig, shape } = policyPackArgs(options, cell);
    const capture = (globalThis as { [CAPTURE]?: CaptureSlot })[CAPTURE];
    if (capture) {
        capture.packs.push({ name, options });
        return undefined as unknown as PolicyPack;
    }
    const stackPolicies = new Map<string, { enforcementLevel?: EnforcementLevel; description: string; severity?: PackPolicy["severity"] }>();
    for (const p of args.policies) {
        if ("validateStack" in p) {
            stackPolicies.set(p.name, { enforcementLevel: p.enforcementLevel, description: p.description, severity: p.severity });
        }
    }
    const hooks = {
        features: FEATURES,
        shape,
        stackPolicies,
        packName: name,
        cell,
    };
    // Loaded here, not at the top: @pulumi/policy loads the Pulumi SDK (about a second), which only a
    // served pack needs; the check command and a composed pack's capture judge without it.
    const policy = require("@pulumi/policy") as typeof import("@pulumi/policy");
    return withEngineHooks(hooks, () => new policy.PolicyPack(name, args, initialConfig));
}

/** The pack-level policies' names, for tools that list the pack's policies. */
export { TIER_TAG_POLICY, PACK_WIDE_POLICY };
