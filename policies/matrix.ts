// The tier matrix of the Azure Databricks network reference architectures, written once.
// Everything else (policy enforcement per tier, ready-made configuration files, the README table)
// is derived from this data.

export const TIERS = ["managed-security", "hardened-connectivity", "isolated-environment"] as const;
export type TierId = (typeof TIERS)[number];

export const TIER_TITLES: Record<TierId, string> = {
    "managed-security": "Managed security",
    "hardened-connectivity": "Hardened connectivity",
    "isolated-environment": "Isolated environment",
};

export const DEFAULT_TIER: TierId = "managed-security";

export const GROUPS = ["classic-compute", "inbound", "outbound"] as const;
export type GroupId = (typeof GROUPS)[number];

export const GROUP_TITLES: Record<GroupId, string> = {
    "classic-compute": "Classic compute",
    inbound: "Inbound",
    outbound: "Outbound",
};

/** required → mandatory policy, optional → advisory policy, none → not evaluated in that tier. */
export type Requirement = "required" | "optional" | "none";

export interface FeatureRow {
    id: string;
    group: GroupId;
    /** The feature's name as the Databricks document words it. */
    title: string;
    tiers: Record<TierId, Requirement>;
    /** Set when the document describes the feature in prose only, not in its feature matrix. */
    proseOnly?: string;
}

const R = "required", O = "optional", N = "none";
const row = (id: string, group: GroupId, title: string, m: Requirement, h: Requirement, i: Requirement,
    proseOnly?: string): FeatureRow =>
    ({ id, group, title, tiers: { "managed-security": m, "hardened-connectivity": h, "isolated-environment": i }, proseOnly });

export const MATRIX = [
    row("secure-cluster-connectivity", "classic-compute", "Secure Cluster Connectivity (SCC)", R, R, R),
    row("vnet-injection", "classic-compute", "VNet injection", R, R, R),
    row("classic-compute-private-link", "classic-compute", "Classic compute plane Private Link", R, R, R),
    row("workspace-inbound-private-link", "inbound", "Workspace inbound Private Link", N, N, R),
    row("performance-services-private-link", "inbound", "Inbound Private Link for performance-intensive services", N, N, R),
    row("workspace-ip-access-lists", "inbound", "Workspace IP access lists", N, R, R),
    row("account-ip-access-lists", "inbound", "Account-level IP access lists", N, R, R),
    row("delta-sharing-ip-access-lists", "inbound", "Delta Sharing IP access lists", N, R, R),
    row("serverless-egress-control", "outbound", "Serverless egress control", N, R, R),
    row("serverless-private-link", "outbound", "Serverless Private Link (NCC private endpoints)", N, R, R),
    row("serverless-stable-ips", "outbound", "Serverless stable IPs", R, R, R),
    row("external-firewall", "outbound", "External firewall", O, O, R),
    row("cloud-service-private-access", "outbound", "Private endpoints for cloud service access", N, R, R,
        "The Hardened connectivity description adds \"VPC endpoints for cloud service access\"; the feature matrix has no row for it."),
] as const satisfies readonly FeatureRow[];

export type FeatureId = (typeof MATRIX)[number]["id"];

export const FEATURE_IDS: readonly FeatureId[] = MATRIX.map(r => r.id);

export function featureRow(id: FeatureId): FeatureRow {
    const found = MATRIX.find(r => r.id === id);
    if (!found) {
        throw new Error(`unknown feature id "${id}"`);
    }
    return found;
}

export function requirement(id: FeatureId, tier: TierId): Requirement {
    return featureRow(id).tiers[tier];
}

export function isTier(value: unknown): value is TierId {
    return typeof value === "string" && (TIERS as readonly string[]).includes(value);
}

/** Position in the progression: a higher rank is a stricter architecture. */
export function tierRank(tier: TierId): number {
    return TIERS.indexOf(tier);
}

/** How the reference architectures' source table words a requirement cell (shown beside the pack's own words). */
export const SOURCE_WORDING: Record<Requirement, string> = { required: "Yes", optional: "Optional", none: "No" };
