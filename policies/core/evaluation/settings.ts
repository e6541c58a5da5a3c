// The pack's settings, read one way from every source: the engine's Configure map, a
// `--policy-pack-config` file layered over a pack's initial configuration (as the engine layers
// them), and a composed pack's options (through its initial configuration). Every source is
// validated in full before anything is returned: a refused configuration changes nothing.
//
// The engine sends every policy with its schema defaults and the pack's initial configuration
// merged in, so what a user wrote is told from the pack's own defaults by comparison with them
// (the pack's "baseline"): a value equal to the pack's own counts as not set.

import { FeatureId, requirement, TierId } from "../../matrix";
import { ConfigError, FeatureConfig, Enforcement, ENFORCEMENTS, parseFeatureConfig } from "./config";

/** The `--policy-pack-config` file format: per policy name, an enforcement or an enforcement and properties. */
export type PackConfigFile = Record<string, Enforcement | ({ enforcementLevel?: Enforcement } & Record<string, unknown>)>;

export { Enforcement, ENFORCEMENTS };
import { ALL_KEY, PACK_WIDE_POLICY, policyName, policyRef } from "./naming";
import { cut, isRecord, quote } from "../model/values";


export function isEnforcement(v: unknown): v is Enforcement {
    return typeof v === "string" && (ENFORCEMENTS as readonly string[]).includes(v);
}

/** One policy's configuration as the engine holds it: an enforcement and free-form properties. */
export interface RawPolicyConfig {
    enforcement: Enforcement;
    properties: Record<string, unknown>;
}

/** An entry of a layered configuration file: a key the file adds without an enforcement has none. */
export interface LayeredPolicyConfig {
    enforcement?: Enforcement;
    properties: Record<string, unknown>;
}

/** One policy's validated settings. */
export interface PolicySetting extends RawPolicyConfig {
    /** For a feature's policies, the feature's settings; for the others, the pack-wide ones. */
    config: FeatureConfig;
}

/** Settings by policy name. A policy absent from the map is not evaluated. */
export type PackSettings = ReadonlyMap<string, PolicySetting>;

/** What the engine sends for each policy of a pack when the user configures nothing. */
export interface PackShape {
    /** Every policy of the pack, in the order GetAnalyzerInfo lists them. */
    names: readonly string[];
    /** Each policy's enforcement and properties: schema defaults under the pack's initial configuration. */
    baseline: ReadonlyMap<string, RawPolicyConfig>;
    /** The pack's own tier (the pack-wide entry's default). */
    tier: TierId;
}

/** The parts of a policy the shape is read from (a `@pulumi/policy` policy fits). */
export interface ShapePolicy {
    name: string;
    enforcementLevel?: Enforcement;
    configSchema?: { properties?: Record<string, { default?: unknown }> };
}

const LEVEL_LIST = ENFORCEMENTS.join(", ");
/** Why a resource policy takes no enforcement of its own, in the file's and the library's errors. */
export const CHECK_TAKES_FEATURE_LEVEL = "the check before creation takes the level of its feature";
const FEATURE_KEYS = ["tier", "attestations", "exemptions", "requireEvidenceInStack", "workspaceStorageAccounts"] as const;
const PACK_WIDE_KEYS = ["tier", "requireEvidenceInStack", "workspaceStorageAccounts"] as const;

/** The shape the engine sees of a pack: its policies' levels and schema defaults, then its initial configuration. */
export function packShape(policies: readonly ShapePolicy[], initialConfig: Readonly<Record<string, unknown>>, tier: TierId): PackShape {
    const initial = fromInitialConfig(initialConfig);
    const baseline = new Map<string, RawPolicyConfig>();
    for (const p of policies) {
        const defaults: Record<string, unknown> = {};
        for (const [k, s] of Object.entries(p.configSchema?.properties ?? {})) {
            if (s.default !== undefined) {
                defaults[k] = s.default;
            }
        }
        const i = initial.get(p.name);
        baseline.set(p.name, { enforcement: i?.enforcement ?? p.enforcementLevel ?? "advisory", properties: { ...defaults, ...i?.properties } });
    }
    return { names: policies.map(p => p.name), baseline, tier };
}

/** The enforcement a feature's policy has when the user gives none: what the tier requires of it. */
export function tierEnforcement(feature: FeatureId, tier: TierId): Enforcement {
    // A feature outside the tier is required wherever it appears: "mandatory" keeps a user's
    // explicit "advisory" distinguishable when the tier is raised by configuration.
    return requirement(feature, tier) === "optional" ? "advisory" : "mandatory";
}

/** The edit distance of two names (for "did you mean"). */
function distance(a: string, b: string): number {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const row = [i];
        for (let j = 1; j <= b.length; j++) {
            row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        prev = row;
    }
    return prev[b.length];
}

/** The refusal of a name that is not one of `known` (policies of the pack by default), with the nearest one. */
export function unknownPolicy(name: string, known: readonly string[], what = "a policy of this pack"): ConfigError {
    // A name far longer than every policy name is no misspelling of one: no suggestion, and no
    // edit distance over a value of any size (a megabyte name must be refused at once).
    const longest = known.reduce((n, k) => Math.max(n, k.length), 0);
    const scored = name.length > 2 * longest ? [] : known.map(k => ({ k, d: distance(name, k) }));
    const nearest = scored.sort((x, y) => x.d - y.d)[0]?.k;
    return new ConfigError(`${quote(name)} is not ${what}${nearest ? `; did you mean "${nearest}"?` : ""}`);
}

/** JSON with object keys sorted: a protobuf Struct does not keep the order keys were written in. */
function canonical(v: unknown): string {
    if (Array.isArray(v)) {
        return `[${v.map(canonical).join(",")}]`;
    }
    if (isRecord(v)) {
        return `{${Object.keys(v).sort().map(k => `${JSON.stringify(k)}:${canonical(v[k])}`).join(",")}}`;
    }
    return JSON.stringify(v ?? null);
}

function sameValue(a: unknown, b: unknown): boolean {
    return canonical(a) === canonical(b);
}

/** Whether the user wrote `key` for `name`: its value differs from the pack's own. */
function userSet(shape: PackShape, name: string, properties: Record<string, unknown>, key: string): boolean {
    return properties[key] !== undefined && !sameValue(properties[key], shape.baseline.get(name)?.properties[key]);
}

/**
 * Validates raw per-policy configuration into settings, the same way for the engine's Configure
 * and for the command's `--config`:
 * - names that are no policy of the pack are refused, with the nearest name (the Pulumi CLI passes
 *   every key of a `--policy-pack-config` file on to Configure, unknown ones included: see
 *   `applyConfig` in pulumi/pulumi `pkg/resource/analyzer/config.go`);
 * - `all` (sent on by the CLI too) sets levels only;
 * - a feature is configured under its own name; what is written under its `-resource` or
 *   `-remediation` policy or under `tier-tag` is refused naming where it goes;
 * - one tier per run: `all-features` sets it; a policy that names another is refused;
 * - a feature's enforcement is the user's (given under its name or by `all`) or, absent, the tier's.
 */
export function readSettings(raw: ReadonlyMap<string, LayeredPolicyConfig>, shape: PackShape): Map<string, PolicySetting> {
    const all = raw.get(ALL_KEY);
    if (all !== undefined) {
        if (Object.keys(all.properties).length > 0) {
            throw new ConfigError(`"${ALL_KEY}" sets every policy's enforcement level and takes no properties; put settings for every feature under "${PACK_WIDE_POLICY}", e.g. {"${PACK_WIDE_POLICY}": {"tier": "hardened-connectivity"}}`);
        }
        if (!isEnforcement(all.enforcement)) {
            throw new ConfigError(`"${ALL_KEY}" must be one of ${LEVEL_LIST}; got ${quote(all.enforcement)}`);
        }
    }
    const parsed = new Map<string, { enforcement: Enforcement; properties: Record<string, unknown>; config: FeatureConfig }>();
    for (const [name, c] of raw) {
        if (name === ALL_KEY) {
            continue;
        }
        if (!shape.names.includes(name)) {
            throw unknownPolicy(name, shape.names);
        }
        if (!isEnforcement(c.enforcement)) {
            throw new ConfigError(`${name}.enforcementLevel must be one of ${LEVEL_LIST}; got ${quote(c.enforcement)}`);
        }
        parsed.set(name, { enforcement: c.enforcement, properties: c.properties, config: parseFeatureConfig(c.properties, name) });
    }
    const byAll = (enforcement: Enforcement) => all !== undefined && all.enforcement === enforcement;
    // What may be written where.
    for (const [name, p] of parsed) {
        const ref = policyRef(name);
        if (ref?.role === "stack") {
            continue;
        }
        const keys = name === PACK_WIDE_POLICY ? PACK_WIDE_KEYS : ["tier"];
        for (const key of FEATURE_KEYS) {
            if ((keys as readonly string[]).includes(key) || !userSet(shape, name, p.properties, key)) {
                continue;
            }
            const perFeature = key === "attestations" || key === "exemptions";
            const where = ref ? `"${policyName(ref.feature)}"` : perFeature ? "the feature it is for (e.g. \"account-ip-access-lists\")" : `"${PACK_WIDE_POLICY}"`;
            const also = ref && !perFeature ? ` (or under "${PACK_WIDE_POLICY}" for every feature)` : "";
            throw new ConfigError(`${name}.${key}: configure this under ${where}${also}; ${ref ? `the feature's settings apply to ${name} too` : `${name} takes no ${key}`}`);
        }
        const enforcement = p.enforcement;
        const own = shape.baseline.get(name)?.enforcement;
        if (ref?.role === "resource" && enforcement !== "disabled" && enforcement !== own && !byAll(enforcement)) {
            throw new ConfigError(`${name}.enforcementLevel: ${CHECK_TAKES_FEATURE_LEVEL}: set "${policyName(ref.feature)}": "${enforcement}" (or "${name}": "disabled" to leave the check to the stack policy)`);
        }
        if (name === PACK_WIDE_POLICY && enforcement !== own && !byAll(enforcement)) {
            throw new ConfigError(`${name} holds settings for every feature and reports nothing, so it takes no enforcement level; set a level under each feature's name, or every policy's with "${ALL_KEY}"`);
        }
    }
    // One tier per run: the pack-wide entry's, which every policy that names a tier must repeat.
    const packWide = parsed.get(PACK_WIDE_POLICY);
    const tier = packWide?.config.tier ?? shape.tier;
    const others = new Map<TierId, string[]>();
    for (const [name, p] of parsed) {
        if (name !== PACK_WIDE_POLICY && userSet(shape, name, p.properties, "tier") && p.config.tier !== tier) {
            others.set(p.config.tier, [...others.get(p.config.tier) ?? [], name]);
        }
    }
    if (others.size > 0) {
        const listed = [...others].map(([t, names]) => `${cut(names.join(", "))}: ${t}`).join("; ");
        throw new ConfigError(`one tier per run, but policies are configured with different tiers: ${PACK_WIDE_POLICY}: ${tier}; ${listed}. Set the tier once, for every feature: {"${PACK_WIDE_POLICY}": {"tier": "…"}}`);
    }
    // A feature's own requireEvidenceInStack and workspaceStorageAccounts, where given, over the pack-wide ones.
    const wide = (name: string, p: { properties: Record<string, unknown>; config: FeatureConfig }) => ({
        requireEvidenceInStack: userSet(shape, name, p.properties, "requireEvidenceInStack") ? p.config.requireEvidenceInStack : packWide?.config.requireEvidenceInStack ?? false,
        workspaceStorageAccounts: userSet(shape, name, p.properties, "workspaceStorageAccounts") ? p.config.workspaceStorageAccounts : packWide?.config.workspaceStorageAccounts ?? [],
    });
    const features = new Map<FeatureId, FeatureConfig>();
    for (const [name, p] of parsed) {
        const ref = policyRef(name);
        if (ref?.role === "stack") {
            // The user's enforcement: written under the feature's name, by `all`, or by the library.
            const enforcement = all !== undefined || p.enforcement !== tierEnforcement(ref.feature, shape.tier) ? p.enforcement : undefined;
            features.set(ref.feature, { ...p.config, tier, ...wide(name, p), ...(enforcement !== undefined ? { enforcement } : {}) });
        }
    }
    const packConfig: FeatureConfig = {
        tier, attestations: [], exemptions: [],
        requireEvidenceInStack: packWide?.config.requireEvidenceInStack ?? false, workspaceStorageAccounts: packWide?.config.workspaceStorageAccounts ?? [],
    };
    const out = new Map<string, PolicySetting>();
    for (const [name, p] of parsed) {
        const ref = policyRef(name);
        const feature = ref ? features.get(ref.feature) : undefined;
        // A feature's settings hold for all its policies; its enforcement is read from its own policy.
        const config = ref?.role === "stack" && feature ? feature : feature ? withoutEnforcement(feature) : ref ? { ...p.config, tier } : packConfig;
        out.set(name, { enforcement: p.enforcement, properties: p.properties, config });
    }
    return out;
}

function withoutEnforcement(c: FeatureConfig): FeatureConfig {
    const { enforcement: _enforcement, ...rest } = c;
    return rest;
}

/**
 * The storage accounts the configuration says the workspaces use (`workspaceStorageAccounts`), as
 * every feature's settings give them: their union, in the order of the settings, each name once.
 */
export function workspaceStorageAccounts(settings: PackSettings): string[] {
    const out = new Set<string>();
    for (const [name, s] of settings) {
        if (policyRef(name) !== undefined) {
            s.config.workspaceStorageAccounts.forEach(a => out.add(a));
        }
    }
    return [...out];
}

/** One policy's settings read on its own (the SDK's per-policy path, where nothing else is known). */
export function ownSetting(name: string, enforcement: Enforcement, properties: Record<string, unknown>): PolicySetting {
    return { enforcement, properties, config: parseFeatureConfig(properties, name) };
}

/**
 * A `--policy-pack-config` document layered over `base` as the Pulumi CLI layers it (`applyConfig`
 * in pulumi/pulumi `pkg/resource/analyzer/config.go`): `all` sets every enforcement, then every key of
 * the document, `all` and unknown names included, sets its enforcement and properties (property by
 * property over the base). Names are judged by `readSettings`. Throws a ConfigError naming the field.
 */
export function layerConfigFile(base: ReadonlyMap<string, LayeredPolicyConfig>, doc: unknown): Map<string, LayeredPolicyConfig> {
    const out = new Map<string, LayeredPolicyConfig>();
    for (const [k, v] of base) {
        out.set(k, { enforcement: v.enforcement, properties: { ...v.properties } });
    }
    if (doc === undefined) {
        return out;
    }
    if (!isRecord(doc)) {
        throw new ConfigError(`expected a policy pack configuration object, e.g. {"${PACK_WIDE_POLICY}": {"tier": "isolated-environment"}, "external-firewall": "mandatory"}`);
    }
    const entries: [string, LayeredPolicyConfig][] = Object.entries(doc).map(([name, value]) => {
        if (typeof value === "string") {
            if (!isEnforcement(value)) {
                throw new ConfigError(`${cut(name)} must be an enforcement level (${LEVEL_LIST}) or an object; got ${quote(value)}`);
            }
            return [name, { enforcement: value, properties: {} }];
        }
        if (!isRecord(value)) {
            throw new ConfigError(`${cut(name)} must be an enforcement level or an object of properties; got ${quote(value)}`);
        }
        const { enforcementLevel, ...properties } = value;
        if (enforcementLevel !== undefined && !isEnforcement(enforcementLevel)) {
            throw new ConfigError(`${cut(name)}.enforcementLevel must be one of ${LEVEL_LIST}; got ${quote(enforcementLevel)}`);
        }
        return [name, { enforcement: enforcementLevel, properties }];
    });
    const all = entries.find(([name]) => name === ALL_KEY)?.[1].enforcement;
    if (all !== undefined) {
        for (const c of out.values()) {
            c.enforcement = all;
        }
    }
    for (const [name, given] of entries) {
        const c = out.get(name) ?? { properties: {} };
        out.set(name, { enforcement: given.enforcement ?? c.enforcement, properties: { ...c.properties, ...given.properties } });
    }
    return out;
}

/** A pack's initial configuration (`{name: {enforcementLevel, ...properties}}`) in the raw form. */
export function fromInitialConfig(initial: Readonly<Record<string, unknown>>): Map<string, RawPolicyConfig> {
    const out = new Map<string, RawPolicyConfig>();
    for (const [name, v] of Object.entries(initial)) {
        if (typeof v === "string") {
            out.set(name, { enforcement: v as Enforcement, properties: {} });
        } else if (isRecord(v)) {
            const { enforcementLevel, ...properties } = v;
            out.set(name, { enforcement: (enforcementLevel ?? "advisory") as Enforcement, properties });
        }
    }
    return out;
}

/** The same raw configuration with every tier replaced (the command's `--tier`). */
function withTier(raw: ReadonlyMap<string, LayeredPolicyConfig>, tier: TierId): Map<string, LayeredPolicyConfig> {
    const out = new Map<string, LayeredPolicyConfig>();
    for (const [name, c] of raw) {
        const named = name === PACK_WIDE_POLICY || c.properties.tier !== undefined;
        out.set(name, { enforcement: c.enforcement, properties: named ? { ...c.properties, tier } : c.properties });
    }
    return out;
}

/**
 * The settings a run without the engine configures as the engine would: the pack's initial
 * configuration, a `--policy-pack-config` document over it, then `tier` (`--tier`) when given.
 * Throws a ConfigError naming the field.
 */
export function configuredSettings(shape: PackShape, doc: unknown, tier?: TierId): PackSettings {
    const layered = layerConfigFile(shape.baseline, doc);
    return readSettings(tier === undefined ? layered : withTier(layered, tier), shape);
}
