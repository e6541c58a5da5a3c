// Turns feature modules into Pulumi policies: a stack policy per feature that judges it across the
// stack, a remediation policy where a safe automatic fix exists, and the pack-level policy that
// reports on the stack tag. Each stack policy's verdicts come from the one decision function.

import {
    EnforcementLevel, PolicyConfigSchema, PolicyResource, ReportViolation, ResourceValidationPolicy, StackValidationPolicy,
} from "@pulumi/policy";
import { featureRow, requirement, TIER_TITLES, TIERS } from "../../matrix";
import { FeatureConfig, parseFeatureConfig, TIER_TAG } from "../evaluation/config";
import { effectiveTier, evaluateResource } from "../evaluation/evaluate";
import { PACK_WIDE_POLICY, policyName, TIER_TAG_POLICY } from "../evaluation/naming";
import { message } from "../evaluation/render";
import { Enforcement, ownSetting, PackSettings, PolicySetting, tierEnforcement } from "../evaluation/settings";
import { decide, reported } from "../evaluation/verdicts";
import { FeatureModule } from "../rules/contract";
import { ResourceInput, StackModel, stackProps } from "../model/stack";
import { plain } from "../model/values";

export type PackPolicy = StackValidationPolicy | ResourceValidationPolicy;

// Where the engine adapter is not installed (a composed pack, the SDK's own loop), @pulumi/policy
// calls each stack policy in turn within one task, each with its own copy of the resources. The
// model of the stack is built once per request and dropped at the next macrotask; the URN
// fingerprint guards against any other interleaving.
let current: { fingerprint: string; model: StackModel } | undefined;

function requestModel(resources: readonly ResourceInput[]): StackModel {
    const fingerprint = `${resources.length}\u0000${resources.map(r => r.urn).join("\u0000")}`;
    if (current && current.fingerprint === fingerprint) {
        return current.model;
    }
    const model = new StackModel(resources);
    current = { fingerprint, model };
    setImmediate(() => {
        if (current?.model === model) {
            current = undefined;
        }
    });
    return model;
}

/** The SDK's resources of an AnalyzeStack as the model reads them (a preview's empty outputs unknown). */
function stackResources(resources: readonly PolicyResource[]): ResourceInput[] {
    return resources.map(r => ({ ...r, props: stackProps(r.type, r.props) }));
}

/**
 * The pack's configuration as the engine adapter last accepted it (engine/hooks.ts), shared with
 * the resource policies: they judge with their feature's settings (tier, evidence, level), so a
 * feature is configured once. Empty where the adapter is not installed.
 */
export interface SettingsCell {
    settings?: PackSettings;
}

/** The diagnostic object form that @pulumi/policy's reportViolation accepts at run time. */
interface Diagnostic {
    message: string;
    urn?: string;
    enforcementLevel?: EnforcementLevel;
}

const DOC_URL = "https://learn.microsoft.com/azure/databricks/security/network/";
const TIER_LIST = TIERS.map(t => `"${t}"`).join(", ");

export function policyTags(feature: FeatureModule): string[] {
    const row = featureRow(feature.id);
    const tierTags = TIERS.filter(t => row.tiers[t] !== "none").map(t => `tier:${t}:${row.tiers[t]}`);
    return [`feature:${feature.id}`, `group:${row.group}`, "azure", "databricks", "network", ...tierTags];
}

function framework(specification: string) {
    return { name: "Azure Databricks network reference architectures", version: "2026", reference: DOC_URL, specification };
}

function matrixSummary(feature: FeatureModule): string {
    const row = featureRow(feature.id);
    return TIERS.map(t => `${TIER_TITLES[t]}: ${row.tiers[t] === "none" ? "not checked" : row.tiers[t]}`).join("; ");
}

export function featurePolicies(feature: FeatureModule, defaults: FeatureConfig, enforcement?: EnforcementLevel, cell: SettingsCell = {}): PackPolicy[] {
    const row = featureRow(feature.id);
    const common = {
        severity: feature.severity,
        tags: policyTags(feature),
        remediationSteps: feature.remediationSteps,
        url: feature.url,
        framework: framework(row.title),
        configSchema: configSchema(defaults),
    };
    const name = policyName(feature.id);
    // Unless the user sets one, the level the pack's tier gives the feature (what GetAnalyzerInfo shows).
    const level = enforcement ?? tierEnforcement(feature.id, defaults.tier);
    const main: StackValidationPolicy = {
        name,
        displayName: row.title,
        description: `${feature.description} (${matrixSummary(feature)}.)`,
        enforcementLevel: level,
        ...common,
        validateStack: (args, reportViolation) => {
            // The adapter's settings where it holds them; else this policy's own.
            const settings = cell.settings ?? ownSettings(name, "mandatory", args.getConfig<Record<string, unknown>>());
            const verdict = decide([feature], requestModel(stackResources(args.resources)), settings, args.stackTags);
            for (const r of reported(verdict).filter(x => x.policy === name)) {
                // With the adapter's settings the finding's level is the feature's; else the SDK applies this policy's.
                const level = r.level === "advisory" ? "advisory" : cell.settings ? "mandatory" : undefined;
                report(reportViolation, { message: message(r), urn: r.resource?.urn, enforcementLevel: level });
            }
            const na = verdict.features[0]?.notApplicable;
            if (na !== undefined) {
                args.notApplicable(na);
            }
        },
    };
    const policies: PackPolicy[] = [main];
    const check = feature.resourceCheck;
    if (check) {
        const resourceName = policyName(feature.id, "resource");
        policies.push({
            name: resourceName,
            displayName: `${row.title}: before creation`,
            description: `${check.summary} Judged on the resource's own inputs when the engine analyzes it, before it is created or updated.`,
            enforcementLevel: level,
            ...common,
            validateResource: (args, reportViolation) => {
                if (cell.settings?.get(resourceName)?.enforcement === "disabled") {
                    return;
                }
                // The feature's settings where the adapter holds them; else this policy's own.
                const setting: PolicySetting = cell.settings?.get(name) ?? ownSetting(resourceName, "mandatory", args.getConfig<Record<string, unknown>>());
                if (setting.enforcement === "disabled") {
                    return;
                }
                const p = args.provider;
                const provider = p ? { urn: p.urn, type: p.type, name: p.name, props: p.props } : undefined;
                const model = new StackModel([{ urn: args.urn, type: args.type, name: args.name, props: args.props, dependencies: [], propertyDependencies: {}, provider }]);
                const res = model.resources[0];
                for (const o of evaluateResource(feature, res, setting.config, args.stackTags)) {
                    if (o.level === undefined) {
                        continue;
                    }
                    // The finding carries the feature's applied level; without the adapter the SDK applies this policy's.
                    report(reportViolation, { message: message(o), urn: args.urn, enforcementLevel: o.level === "advisory" ? "advisory" : cell.settings ? "mandatory" : undefined });
                }
            },
        });
    }
    const fix = feature.remediation;
    if (fix) {
        const remediationName = policyName(feature.id, "remediation");
        policies.push({
            name: remediationName,
            displayName: `${row.title}: automatic fix`,
            description: `Applies the safe automatic fix for ${feature.id} when this policy's enforcement level is "remediate"; inert otherwise.`,
            enforcementLevel: "disabled",
            ...common,
            remediateResource: args => {
                // The feature's tier where the adapter holds it; else this policy's own.
                const config = cell.settings?.get(name)?.config ?? parseFeatureConfig(args.getConfig(), remediationName);
                const tier = effectiveTier(config.tier, args.stackTags).tier;
                if (requirement(feature.id, tier) === "none") {
                    return undefined;
                }
                const props = plain(args.props);
                if (props === null || typeof props !== "object") {
                    return undefined;
                }
                return fix.apply(args.type, props as Record<string, unknown>);
            },
        });
    }
    return policies;
}

/** The pack-level policy: reports a stack tag that names no tier or a weaker one. */
export function tierTagPolicy(defaults: FeatureConfig, cell: SettingsCell = {}): StackValidationPolicy {
    return {
        name: TIER_TAG_POLICY,
        displayName: "Stack tier tag",
        description: `Reports a stack tag ${TIER_TAG} that names no tier or a weaker tier than the configured one (a tag can only raise enforcement).`,
        enforcementLevel: "advisory",
        severity: "low",
        tags: ["pack", "azure", "databricks", "network"],
        remediationSteps: `Set the tag to a tier at least as strict as the configured one (\`pulumi stack tag set ${TIER_TAG} isolated-environment\`), or remove it.`,
        url: DOC_URL,
        framework: framework("Tier selection"),
        configSchema: configSchema(defaults),
        validateStack: (args, reportViolation) => {
            const settings = cell.settings ?? ownSettings(TIER_TAG_POLICY, "advisory", args.getConfig<Record<string, unknown>>());
            for (const r of reported(decide([], new StackModel([]), settings, args.stackTags))) {
                report(reportViolation, { message: message(r), enforcementLevel: r.level === "mandatory" ? undefined : "advisory" });
            }
        },
    };
}

/**
 * The pack-wide entry: settings for every feature (tier, requireEvidenceInStack,
 * workspaceStorageAccounts), so that a configuration file names the tier once. It reports nothing.
 */
export function packWidePolicy(defaults: FeatureConfig): StackValidationPolicy {
    const schema = configSchema(defaults);
    const { tier, requireEvidenceInStack, workspaceStorageAccounts } = schema.properties;
    return {
        name: PACK_WIDE_POLICY,
        displayName: "Settings for every feature",
        description: "Pack-wide settings: the tier every feature is checked at, requireEvidenceInStack and workspaceStorageAccounts, set once for every feature (a feature's own entry may set the last two for itself). Reports nothing itself.",
        enforcementLevel: "advisory",
        severity: "low",
        tags: ["pack", "azure", "databricks", "network"],
        url: DOC_URL,
        framework: framework("Tier selection"),
        configSchema: { properties: { tier, requireEvidenceInStack, workspaceStorageAccounts } },
        validateStack: () => undefined,
    };
}

/**
 * One policy's settings from the SDK's per-policy configuration. The SDK applies the configured
 * level to a diagnostic without one, so `level` stands for whatever the engine configured.
 */
function ownSettings(name: string, level: Enforcement, properties: Record<string, unknown>): PackSettings {
    return new Map([[name, ownSetting(name, level, properties)]]);
}

function report(reportViolation: ReportViolation, { message, urn, enforcementLevel }: Diagnostic): void {
    // Reach: @pulumi/policy (read from 1.21.0, server.js makeReportViolationFun) accepts a diagnostic
    // object at run time (its typings only show strings); the object form is what lets one policy
    // report mandatory and advisory diagnostics side by side, with the message as written.
    (reportViolation as unknown as (d: Diagnostic) => void)({ message, urn, enforcementLevel });
}

/** The JSON schema the engine validates configuration against before it calls Configure. */
export function configSchema(defaults: FeatureConfig): PolicyConfigSchema {
    return {
        properties: {
            tier: {
                type: "string",
                enum: [...TIERS],
                default: defaults.tier,
                description: `Reference architecture to enforce: ${TIER_LIST}. A stack tag ${TIER_TAG} may ask for a stricter one.`,
            },
            requireEvidenceInStack: {
                type: "boolean",
                default: defaults.requireEvidenceInStack,
                description: "When true, evidence that points outside this stack (a policy ID, a next hop, a subnet declared elsewhere) blocks like missing evidence until it is attested.",
            },
            workspaceStorageAccounts: {
                type: "array",
                default: defaults.workspaceStorageAccounts,
                items: { type: "string", minLength: 1 },
                description: "Storage accounts (Azure names or ARM IDs) the workspaces use though no resource of this stack links them; the storage features judge them.",
            },
            attestations: {
                type: "array",
                default: defaults.attestations,
                description: "Evidence that this feature is enforced outside the stack (e.g. a hub firewall in another stack).",
                items: {
                    type: "object",
                    additionalProperties: false,
                    required: ["reason"],
                    properties: {
                        reason: { type: "string", minLength: 1 },
                        workspaces: { type: "array", items: { type: "string", minLength: 1 } },
                        reference: { type: "string", minLength: 1 },
                    },
                },
            },
            exemptions: {
                type: "array",
                default: defaults.exemptions,
                description: "Resources exempted from this feature, each with a reason and an optional expiry date.",
                items: {
                    type: "object",
                    additionalProperties: false,
                    required: ["resource", "reason"],
                    properties: {
                        resource: { type: "string", minLength: 1 },
                        reason: { type: "string", minLength: 1 },
                        expires: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" },
                    },
                },
            },
        },
    };
}
