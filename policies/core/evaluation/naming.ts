// The one place that names the pack's policies and maps a policy name back to its feature.

import { FeatureId, FEATURE_IDS } from "../../matrix";

/**
 * - `stack`: the feature's stack policy, named after the feature id;
 * - `remediation`: its automatic fix (`<id>-remediation`);
 * - `resource`: its checks of one resource's own inputs, run before the resource is created
 *   (`<id>-resource`).
 */
export type PolicyRole = "stack" | "remediation" | "resource";

const SUFFIX: Record<PolicyRole, string> = { stack: "", remediation: "-remediation", resource: "-resource" };

/** The pack-level policy that reports on the stack tag `databricks-network-tier`. */
export const TIER_TAG_POLICY = "tier-tag";

/**
 * The pack-wide entry: `tier`, `requireEvidenceInStack` and `workspaceStorageAccounts` for every
 * feature, so that a configuration file sets the tier once. A policy of the pack (it reports
 * nothing), so that the Pulumi CLI validates the entry against its schema and passes it on.
 */
export const PACK_WIDE_POLICY = "all-features";

/** The `--policy-pack-config` key with which the Pulumi CLI sets every policy's level. */
export const ALL_KEY = "all";

export function policyName(id: FeatureId, role: PolicyRole = "stack"): string {
    return `${id}${SUFFIX[role]}`;
}

export interface PolicyRef {
    feature: FeatureId;
    role: PolicyRole;
}

/** The feature and role a policy name stands for; undefined for the pack-level policy and unknown names. */
export function policyRef(name: string): PolicyRef | undefined {
    for (const role of ["remediation", "resource", "stack"] as const) {
        const suffix = SUFFIX[role];
        if (name.endsWith(suffix)) {
            const id = name.slice(0, name.length - suffix.length);
            if ((FEATURE_IDS as readonly string[]).includes(id)) {
                return { feature: id as FeatureId, role };
            }
        }
    }
    return undefined;
}
