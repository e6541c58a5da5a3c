// Public API of the package.

export * from "./matrix";
export { createPolicyPack, policyPackArgs, PackOptions, DEFAULT_PACK_NAME, TIER_TAG_POLICY, PACK_WIDE_POLICY } from "./pack";
export { Attestation, Exemption, FeatureConfig, ConfigError, TIER_TAG } from "./core/evaluation/config";
export { FEATURES } from "./features";
export { evaluateFeature, effectiveTier, Outcome, OutcomeStatus, Evaluation } from "./core/evaluation/evaluate";
export { decide, reported, PackVerdict, FeatureVerdict } from "./core/evaluation/verdicts";
export { message } from "./core/evaluation/render";
export { StackModel, ResourceInput } from "./core/model/stack";
export { FeatureModule, Finding } from "./core/rules/contract";
