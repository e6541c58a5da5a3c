// The pack's settings, read one way from every source: the engine's Configure map, a
// `--policy-pack-config` file layered over a pack's initial configuration (as the engine layers
// them), and a composed pack's options (through its initial configuration). Every source is
// validated in full before anything is returned: a refused configuration changes nothing.

import { ConfigError, FeatureConfig, parseFeatureConfig } from "./config";
import { quote } from "../model/values";

/** The engine's enforcement levels, in the order of the Analyzer protocol's enum. */
export const LEVELS = ["advisory", "mandatory", "disabled", "remediate"] as const;
export type Level = (typeof LEVELS)[number];

export function isLevel(v: unknown): v is Level {
    return typeof v === "string" && (LEVELS as readonly string[]).includes(v);
}

/** One policy's configuration as the engine holds it: a level and free-form properties. */
export interface RawPolicyConfig {
    level: Level;
    properties: Record<string, unknown>;
}

/** One policy's validated settings. */
export interface PolicySetting extends RawPolicyConfig {
    config: FeatureConfig;
}

/** Settings by policy name. A policy absent from the map is not evaluated. */
export type PackSettings = ReadonlyMap<string, PolicySetting>;

const LEVEL_LIST = LEVELS.join(", ");

function isRecord(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * Validates raw per-policy configuration into settings. `known` tells the policies of the pack;
 * configuration of other policies is refused when `strictNames` is set (files a user wrote) and
 * ignored otherwise (the engine sends only the pack's own policies).
 */
export function readSettings(raw: ReadonlyMap<string, RawPolicyConfig>, known: readonly string[],
    options: { strictNames?: boolean } = {}): Map<string, PolicySetting> {
    const out = new Map<string, PolicySetting>();
    for (const [name, c] of raw) {
        if (!known.includes(name)) {
            if (options.strictNames) {
                throw new ConfigError(`${quote(name)} is not a policy of this pack (known: ${known.join(", ")})`);
            }
            continue;
        }
        if (!isLevel(c.level)) {
            throw new ConfigError(`${name}.enforcementLevel must be one of ${LEVEL_LIST}; got ${quote(c.level)}`);
        }
        out.set(name, { level: c.level, properties: c.properties, config: parseFeatureConfig(c.properties, name) });
    }
    return out;
}

/**
 * A `--policy-pack-config` document layered over `base` as the engine layers it: `all` sets every
 * level, a string sets one policy's level, an object sets its level and properties (property by
 * property over the base). Throws a ConfigError naming the field.
 */
export function layerConfigFile(base: ReadonlyMap<string, RawPolicyConfig>, doc: unknown, known: readonly string[]): Map<string, RawPolicyConfig> {
    const out = new Map<string, RawPolicyConfig>();
    for (const [k, v] of base) {
        out.set(k, { level: v.level, properties: { ...v.properties } });
    }
    if (doc === undefined) {
        return out;
    }
    if (!isRecord(doc)) {
        throw new ConfigError(`expected a policy pack configuration object, e.g. {"all": "mandatory", "vnet-injection": {"tier": "isolated-environment"}}`);
    }
    const all = doc.all;
    if (all !== undefined) {
        if (!isLevel(all)) {
            throw new ConfigError(`"all" must be one of ${LEVEL_LIST}`);
        }
        for (const c of out.values()) {
            c.level = all;
        }
    }
    for (const [name, value] of Object.entries(doc)) {
        if (name === "all") {
            continue;
        }
        const c = out.get(name);
        if (!c || !known.includes(name)) {
            throw new ConfigError(`${quote(name)} is not a policy of this pack (known: ${known.join(", ")})`);
        }
        if (typeof value === "string") {
            if (!isLevel(value)) {
                throw new ConfigError(`${name} must be an enforcement level (${LEVEL_LIST}) or an object`);
            }
            c.level = value;
            continue;
        }
        if (!isRecord(value)) {
            throw new ConfigError(`${name} must be an enforcement level or an object of properties`);
        }
        const { enforcementLevel, ...props } = value;
        if (enforcementLevel !== undefined) {
            if (!isLevel(enforcementLevel)) {
                throw new ConfigError(`${name}.enforcementLevel must be one of ${LEVEL_LIST}`);
            }
            c.level = enforcementLevel;
        }
        Object.assign(c.properties, props);
    }
    return out;
}

/** A pack's initial configuration (`{name: {enforcementLevel, ...properties}}`) in the raw form. */
export function fromInitialConfig(initial: Readonly<Record<string, unknown>>): Map<string, RawPolicyConfig> {
    const out = new Map<string, RawPolicyConfig>();
    for (const [name, v] of Object.entries(initial)) {
        if (typeof v === "string") {
            out.set(name, { level: v as Level, properties: {} });
        } else if (isRecord(v)) {
            const { enforcementLevel, ...properties } = v;
            out.set(name, { level: (enforcementLevel ?? "advisory") as Level, properties });
        }
    }
    return out;
}

/** The same settings with every policy's tier replaced (the command's `--tier`). */
export function withTier(settings: PackSettings, tier: string): Map<string, PolicySetting> {
    const out = new Map<string, PolicySetting>();
    for (const [name, s] of settings) {
        const properties = { ...s.properties, tier };
        out.set(name, { level: s.level, properties, config: parseFeatureConfig(properties, name) });
    }
    return out;
}
