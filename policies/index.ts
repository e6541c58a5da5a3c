// Public API of the package.

export * from "./matrix";
export { createPolicyPack, policyPackArgs, PackOptions, DEFAULT_PACK_NAME, TIER_TAG_POLICY, PACK_WIDE_POLICY } from "./pack";
export { Attestation, Exemption, FeatureConfig, ConfigError, TIER_TAG } from "./core/evaluation/config";
export { FEATURES } from "./features";
export { evaluateFeature, effectiveTier, FeatureVerdict } from "./core/evaluation/evaluate";
export { decide, reported, PackVerdict } from "./core/evaluation/verdicts";
export { message } from "./core/evaluation/render";
export { StackModel, ResourceInput } from "./core/model/stack";
export { FeatureModule, Finding, Judged, FeatureFinding, Status, Reason, Level, Stage, identityOf } from "./core/rules/contract";
