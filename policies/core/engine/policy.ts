// Turns a feature module into Pulumi policies: a stack policy that judges the feature across the
// stack, and, where a safe automatic fix exists, a remediation policy.

import {
    EnforcementLevel, PolicyResource, ReportViolation, ResourceValidationPolicy, StackValidationPolicy,
} from "@pulumi/policy";
import { featureRow, MATRIX, requirement, TIER_TITLES, TIERS } from "../../matrix";
import { configSchema, FeatureConfig, parseFeatureConfig } from "../evaluation/config";
import { effectiveTier, Evaluation, evaluateFeature, Outcome } from "../evaluation/evaluate";
import { FeatureModule } from "../rules/contract";
import { modelFor, ResourceInput, StackModel } from "../model/stack";
import { plain } from "../model/values";

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
            const verdicts = stackVerdicts(feature, args.resources as readonly PolicyResource[], args.getConfig(), args.stackTags);
            for (const d of verdicts.diagnostics) {
                report(reportViolation, d);
            }
            if (verdicts.notApplicable !== undefined) {
                args.notApplicable(verdicts.notApplicable);
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

export interface StackVerdicts extends Evaluation {
    /** What the policy reports: mandatory failures without a level (the configured one applies), the rest advisory. */
    diagnostics: (Diagnostic & { outcome?: Outcome })[];
}

/** One feature's verdicts on a stack: what its stack policy reports, shared by every front end. */
export function stackVerdicts(feature: FeatureModule, stack: readonly ResourceInput[] | StackModel, rawConfig: unknown,
    stackTags: ReadonlyMap<string, string> | undefined): StackVerdicts {
    const config = parseFeatureConfig(rawConfig, feature.id);
    // Engine requests share one model per request (see modelFor); other callers pass their own.
    const model = stack instanceof StackModel ? stack : modelFor(stack);
    const evaluation = evaluateFeature(feature, model, config, stackTags);
    const diagnostics: StackVerdicts["diagnostics"] = [];
    // The tier-tag notice concerns the whole pack: the first feature of the matrix says it once.
    if (feature.id === MATRIX[0].id) {
        const note = effectiveTier(config.tier, stackTags).note;
        if (note) {
            diagnostics.push({ message: note, enforcementLevel: "advisory" });
        }
    }
    for (const o of evaluation.outcomes) {
        if (o.level !== "none") {
            // Mandatory failures keep the level the engine configured (so a user's "advisory" is
            // honoured); everything else is capped at advisory.
            diagnostics.push({ message: o.message, urn: o.urn, enforcementLevel: o.level === "mandatory" ? undefined : "advisory", outcome: o });
        }
    }
    return { ...evaluation, diagnostics };
}

function report(reportViolation: ReportViolation, { message, urn, enforcementLevel }: Diagnostic): void {
    // @pulumi/policy accepts a diagnostic object at run time (its typings only show strings); the
    // object form is what lets one policy report mandatory and advisory diagnostics side by side.
    (reportViolation as unknown as (d: Diagnostic) => void)({ message, urn, enforcementLevel });
}
