// Turns a feature module into Pulumi policies: a stack policy that judges the feature across the
// stack, and, where a safe automatic fix exists, a remediation policy.

import {
    EnforcementLevel, PolicyResource, ReportViolation, ResourceValidationPolicy, StackValidationPolicy,
} from "@pulumi/policy";
import { featureRow, MATRIX, TIER_TITLES, TIERS } from "../matrix";
import { configSchema, FeatureConfig, parseFeatureConfig } from "./config";
import { effectiveTier, evaluateFeature } from "./evaluate";
import { FeatureModule } from "./feature";
import { modelFor } from "./stack";
import { plain } from "./values";
import { requirement } from "../matrix";

/** The diagnostic object form that @pulumi/policy's reportViolation accepts at run time. */
interface Diagnostic {
    message: string;
    urn?: string;
    enforcementLevel?: EnforcementLevel;
}

const DOC_URL = "https://learn.microsoft.com/azure/databricks/security/network/";

export function policyTags(feature: FeatureModule): string[] {
    const row = featureRow(feature.id);
    const tierTags = TIERS.filter(t => row.tiers[t] !== "none").map(t => `tier:${t}:${row.tiers[t]}`);
    return [`feature:${feature.id}`, `group:${row.group}`, "azure", "databricks", "network", ...tierTags];
}

function framework(feature: FeatureModule) {
    return {
        name: "Azure Databricks network reference architectures",
        version: "2026",
        reference: DOC_URL,
        specification: featureRow(feature.id).title,
    };
}

function matrixSummary(feature: FeatureModule): string {
    const row = featureRow(feature.id);
    return TIERS.map(t => `${TIER_TITLES[t]}: ${row.tiers[t] === "none" ? "not checked" : row.tiers[t]}`).join("; ");
}

export function featurePolicies(feature: FeatureModule, defaults: FeatureConfig, enforcement?: EnforcementLevel): (StackValidationPolicy | ResourceValidationPolicy)[] {
    const row = featureRow(feature.id);
    const common = {
        severity: feature.severity,
        tags: policyTags(feature),
        remediationSteps: feature.remediationSteps,
        url: feature.url,
        framework: framework(feature),
        configSchema: configSchema(defaults),
    };
    const main: StackValidationPolicy = {
        name: feature.id,
        displayName: row.title,
        description: `${feature.description} (${matrixSummary(feature)}.)`,
        enforcementLevel: enforcement ?? "mandatory",
        ...common,
        validateStack: (args, reportViolation) => {
            const config = parseFeatureConfig(args.getConfig(), feature.id);
            const model = modelFor(args.resources as readonly PolicyResource[]);
            const evaluation = evaluateFeature(feature, model, config, args.stackTags);
            // The tier-tag notice concerns the whole pack: the first feature of the matrix says it once.
            if (feature.id === MATRIX[0].id) {
                const note = effectiveTier(config.tier, args.stackTags).note;
                if (note) {
                    report(reportViolation, { message: note, enforcementLevel: "advisory" });
                }
            }
            if (evaluation.notApplicable !== undefined) {
                args.notApplicable(evaluation.notApplicable);
            }
            for (const o of evaluation.outcomes) {
                if (o.level === "none") {
                    continue;
                }
                // Mandatory failures keep the level the engine configured (so a user's "advisory"
                // is honoured); everything else is capped at advisory.
                report(reportViolation, { message: o.message, urn: o.urn, enforcementLevel: o.level === "mandatory" ? undefined : "advisory" });
            }
        },
    };
    const policies: (StackValidationPolicy | ResourceValidationPolicy)[] = [main];
    const fix = feature.remediation;
    if (fix) {
        policies.push({
            name: `${feature.id}-remediation`,
            displayName: `${row.title}: automatic fix`,
            description: `Applies the safe automatic fix for ${feature.id} when this policy's enforcement level is "remediate"; inert otherwise.`,
            enforcementLevel: "disabled",
            ...common,
            remediateResource: args => {
                const config = parseFeatureConfig(args.getConfig(), `${feature.id}-remediation`);
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

function report(reportViolation: ReportViolation, d: Diagnostic): void {
    // @pulumi/policy accepts a diagnostic object at run time (its typings only show strings); the
    // object form is what lets one policy report mandatory and advisory diagnostics side by side.
    (reportViolation as unknown as (d: Diagnostic) => void)(d);
}
