// The library entry: a typed pack a platform team composes in a few lines, with the tier, the
// enforcement overrides and the evidence from outside the stack set once for every policy.

import { EnforcementLevel, PolicyPack, PolicyPackArgs, PolicyPackConfig, Severity } from "@pulumi/policy";
import { DEFAULT_TIER, FeatureId, FEATURE_IDS, TierId } from "./matrix";
import { Attestation, ConfigError, Exemption, FeatureConfig, parseAttestations, parseExemptions, parseFeatureConfig, parseTier } from "./core/evaluation/config";
import { withEngineHooks } from "./core/engine/hooks";
import { FeatureModule } from "./core/rules/contract";
import { featurePolicies } from "./core/engine/policy";
import { FEATURES } from "./features";

export interface PackOptions {
    /** The reference architecture to enforce (default `managed-security`). */
    tier?: TierId;
    /** Evidence per feature that it is enforced outside this stack. */
    attestations?: Partial<Record<FeatureId, Attestation[]>>;
    /** Resources exempted from features, each with a reason. */
    exemptions?: (Exemption & { features: FeatureId[] })[];
    /** Enforcement level per policy name, e.g. `{ "external-firewall": "mandatory" }`. */
    enforcement?: Partial<Record<string, EnforcementLevel>>;
    description?: string;
}

export const DEFAULT_PACK_NAME = "azure-databricks-network";

/** Validates the options; throws a ConfigError naming the field. */
function normalise(options: PackOptions): { tier: TierId; perFeature: Map<FeatureId, FeatureConfig> } {
    const tier = options.tier === undefined ? DEFAULT_TIER : parseTier(options.tier, "options.tier");
    const perFeature = new Map<FeatureId, FeatureConfig>();
    for (const id of FEATURE_IDS) {
        perFeature.set(id, { tier, attestations: [], exemptions: [] });
    }
    for (const [id, list] of Object.entries(options.attestations ?? {})) {
        const cfg = perFeature.get(id as FeatureId);
        if (!cfg) {
            throw new ConfigError(`options.attestations.${id}: unknown feature id (known: ${FEATURE_IDS.join(", ")})`);
        }
        cfg.attestations.push(...parseAttestations(list, `options.attestations.${id}`));
    }
    (options.exemptions ?? []).forEach((e, i) => {
        const field = `options.exemptions[${i}]`;
        if (!Array.isArray(e?.features) || e.features.length === 0) {
            throw new ConfigError(`${field}.features must list the feature ids the resource is exempted from`);
        }
        const { features, ...rest } = e;
        const [parsed] = parseExemptions([rest], field);
        for (const id of features) {
            const cfg = perFeature.get(id);
            if (!cfg) {
                throw new ConfigError(`${field}.features: unknown feature id "${id}"`);
            }
            cfg.exemptions.push(parsed);
        }
    });
    const known = new Set(FEATURES.flatMap(f => [f.id as string, `${f.id}-remediation`]));
    for (const name of Object.keys(options.enforcement ?? {})) {
        if (!known.has(name)) {
            throw new ConfigError(`options.enforcement.${name}: no policy of that name`);
        }
    }
    return { tier, perFeature };
}

/** The pack's policies and initial configuration, for `new PolicyPack(name, args, initialConfig)`. */
export function policyPackArgs(options: PackOptions = {}): { args: PolicyPackArgs; initialConfig: PolicyPackConfig } {
    const { tier, perFeature } = normalise(options);
    const policies = FEATURES.flatMap(f => {
        const defaults = perFeature.get(f.id) as FeatureConfig;
        return featurePolicies(f, defaults, options.enforcement?.[f.id]).map(p => {
            const level = options.enforcement?.[p.name];
            return level ? { ...p, enforcementLevel: level } : p;
        });
    });
    const initialConfig: PolicyPackConfig = {};
    for (const p of policies) {
        const feature = FEATURES.find(f => p.name === f.id || p.name === `${f.id}-remediation`) as { id: FeatureId };
        const cfg = perFeature.get(feature.id) as FeatureConfig;
        // The engine reads an initial config without a level as "advisory": always send the level.
        initialConfig[p.name] = {
            enforcementLevel: p.enforcementLevel ?? "advisory",
            tier: cfg.tier, attestations: cfg.attestations, exemptions: cfg.exemptions,
        };
    }
    return {
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

/** Validates one policy's Configure properties: known policies only, fields named in errors. */
export function validatePolicyConfig(policyName: string, props: unknown): void {
    const known = FEATURES.some(f => policyName === f.id || policyName === `${f.id}-remediation`);
    if (known) {
        parseFeatureConfig(props, policyName);
    }
}

/** Creates and serves the policy pack (one per process, as the engine expects). */
export function createPolicyPack(name: string = DEFAULT_PACK_NAME, options: PackOptions = {}): PolicyPack {
    const { args, initialConfig } = policyPackArgs(options);
    const features = new Map<string, { feature: FeatureModule; enforcementLevel?: EnforcementLevel; description: string; severity?: Severity }>();
    for (const p of args.policies) {
        const feature = FEATURES.find(f => f.id === p.name);
        if (feature && "validateStack" in p) {
            features.set(p.name, { feature, enforcementLevel: p.enforcementLevel, description: p.description, severity: p.severity });
        }
    }
    const hooks = { validate: validatePolicyConfig, features, packName: name, packEnforcementLevel: args.enforcementLevel ?? "advisory" as EnforcementLevel };
    return withEngineHooks(hooks, () => new PolicyPack(name, args, initialConfig));
}
