// Public API of the package.

export * from "./matrix";
export { createPolicyPack, policyPackArgs, validatePolicyConfig, PackOptions, DEFAULT_PACK_NAME } from "./pack";
export { Attestation, Exemption, FeatureConfig, ConfigError, TIER_TAG } from "./core/evaluation/config";
export { FEATURES } from "./features";
export { evaluateFeature, effectiveTier, Outcome, OutcomeStatus, Evaluation } from "./core/evaluation/evaluate";
export { StackModel, ResourceInput } from "./core/model/stack";
export { FeatureModule, Finding } from "./core/rules/contract";
