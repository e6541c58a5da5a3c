// Runs every policy of the pack on a stack, with the same code and the same configuration format
// as the engine (`--policy-pack-config`), and collects a report.

import { EnforcementLevel } from "@pulumi/policy";
import { featureRow, GroupId, Requirement, requirement, TierId, TIERS } from "../policies/matrix";
import { ConfigError, parseFeatureConfig, parseTier } from "../policies/core/evaluation/config";
import { effectiveTier, OutcomeStatus } from "../policies/core/evaluation/evaluate";
import { stackVerdicts } from "../policies/core/engine/policy";
import { ResourceInput, StackModel } from "../policies/core/model/stack";
import { FEATURES } from "../policies/features";
import { InputError, readJsonFile, SourceKind } from "./inputs";

export interface ReportFinding {
    feature: string;
    group: GroupId;
    /** `tier-tag` for the notice about the stack tag. */
    status: OutcomeStatus | "tier-tag";
    level: "mandatory" | "advisory";
    urn?: string;
    resourceName?: string;
    resourceType?: string;
    message: string;
    /** Program mode: seen in the preview run, the known-values run, or both. */
    phase?: "preview" | "known" | "both";
}

export interface FeatureResult {
    id: string;
    group: GroupId;
    title: string;
    requirement: Requirement;
    enforcementLevel: EnforcementLevel;
    notApplicable?: string;
    mandatory: number;
    advisory: number;
    passed: number;
}

export interface Report {
    schemaVersion: 1;
    tool: { name: string; version: string };
    tier: TierId;
    source: { file: string; kind: SourceKind | "program"; resources: number };
    summary: { mandatory: number; advisory: number; passed: number; features: number; notApplicable: number };
    features: FeatureResult[];
    findings: ReportFinding[];
}

export interface CheckOptions {
    tier?: TierId;
    /** Parsed `--policy-pack-config` document. */
    config?: unknown;
    configFile?: string;
    stackTags?: ReadonlyMap<string, string>;
}

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

interface PolicySettings {
    level: EnforcementLevel;
    properties: Record<string, unknown>;
}

/** Per-policy settings from a `--policy-pack-config` document, validated like Configure. */
export function policySettings(doc: unknown, file: string, tier: TierId | undefined): Map<string, PolicySettings> {
    const known = new Set(FEATURES.flatMap(f => [f.id as string, `${f.id}-remediation`]));
    const out = new Map<string, PolicySettings>();
    for (const f of FEATURES) {
        out.set(f.id, { level: "mandatory", properties: {} });
    }
    if (doc === undefined) {
        return applyTier(out, tier);
    }
    if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
        throw new InputError(`${file}: expected a policy pack configuration object, e.g. {"all": "mandatory", "vnet-injection": {"tier": "isolated-environment"}}`);
    }
    const entries = Object.entries(doc as Record<string, unknown>);
    const all = (doc as Record<string, unknown>).all;
    if (all !== undefined) {
        if (typeof all !== "string" || !LEVELS.includes(all as EnforcementLevel)) {
            throw new InputError(`${file}: "all" must be one of ${LEVELS.join(", ")}`);
        }
        for (const s of out.values()) {
            s.level = all as EnforcementLevel;
        }
    }
    for (const [name, value] of entries) {
        if (name === "all") {
            continue;
        }
        if (!known.has(name)) {
            throw new InputError(`${file}: "${name}" is not a policy of this pack (known: ${FEATURES.map(f => f.id).join(", ")})`);
        }
        if (name.endsWith("-remediation")) {
            continue; // Remediation needs the engine; nothing to evaluate here.
        }
        const s = out.get(name) as PolicySettings;
        if (typeof value === "string") {
            if (!LEVELS.includes(value as EnforcementLevel)) {
                throw new InputError(`${file}: ${name} must be an enforcement level (${LEVELS.join(", ")}) or an object`);
            }
            s.level = value as EnforcementLevel;
            continue;
        }
        if (value === null || typeof value !== "object" || Array.isArray(value)) {
            throw new InputError(`${file}: ${name} must be an enforcement level or an object of properties`);
        }
        const { enforcementLevel, ...props } = value as Record<string, unknown>;
        if (enforcementLevel !== undefined) {
            if (!LEVELS.includes(enforcementLevel as EnforcementLevel)) {
                throw new InputError(`${file}: ${name}.enforcementLevel must be one of ${LEVELS.join(", ")}`);
            }
            s.level = enforcementLevel as EnforcementLevel;
        }
        try {
            parseFeatureConfig(props, name);
        } catch (e) {
            throw new InputError(`${file}: ${(e as Error).message}`);
        }
        s.properties = props;
    }
    return applyTier(out, tier);
}

function applyTier(settings: Map<string, PolicySettings>, tier: TierId | undefined): Map<string, PolicySettings> {
    if (tier !== undefined) {
        for (const s of settings.values()) {
            s.properties = { ...s.properties, tier };
        }
    }
    return settings;
}

export function parseTierOption(v: string): TierId {
    try {
        return parseTier(v, "--tier");
    } catch (e) {
        throw new InputError((e as ConfigError).message);
    }
}

export function loadConfig(file: string | undefined): unknown {
    return file === undefined ? undefined : readJsonFile(file, "policy pack configuration (the --policy-pack-config format)");
}

export function checkStack(resources: readonly ResourceInput[], source: { file: string; kind: SourceKind }, opts: CheckOptions = {}): Report {
    const settings = policySettings(opts.config, opts.configFile ?? "configuration", opts.tier);
    const features: FeatureResult[] = [];
    const findings: ReportFinding[] = [];
    let reportTier: TierId | undefined;
    const byUrn = new Map(resources.map(r => [r.urn, r]));
    const model = new StackModel(resources);
    for (const f of FEATURES) {
        const s = settings.get(f.id) as PolicySettings;
        const row = featureRow(f.id);
        const tierOfPolicy = parseFeatureConfig(s.properties, f.id).tier;
        const tier = effectiveTier(tierOfPolicy, opts.stackTags).tier;
        reportTier = reportTier ?? tier;
        const result: FeatureResult = {
            id: f.id, group: row.group, title: row.title, requirement: requirement(f.id, tier),
            enforcementLevel: s.level, mandatory: 0, advisory: 0, passed: 0,
        };
        features.push(result);
        if (s.level === "disabled") {
            result.notApplicable = "disabled by configuration";
            continue;
        }
        const verdicts = stackVerdicts(f, model, s.properties, opts.stackTags);
        if (verdicts.notApplicable !== undefined) {
            result.notApplicable = verdicts.notApplicable;
        }
        result.passed = verdicts.outcomes.filter(o => o.status === "pass").length;
        for (const d of verdicts.diagnostics) {
            const level = d.enforcementLevel ?? (s.level === "advisory" ? "advisory" : "mandatory");
            const res = d.urn ? byUrn.get(d.urn) : undefined;
            findings.push({
                feature: f.id,
                group: row.group,
                status: d.outcome?.status ?? "tier-tag",
                level: level === "mandatory" ? "mandatory" : "advisory",
                urn: d.urn,
                resourceName: res?.name,
                resourceType: res?.type,
                message: d.message,
            });
            if (level === "mandatory") {
                result.mandatory++;
            } else {
                result.advisory++;
            }
        }
    }
    return {
        schemaVersion: 1,
        tool: { name: "databricks-network-check", version: packageVersion() },
        tier: reportTier ?? TIERS[0],
        source: { ...source, resources: resources.length },
        summary: {
            mandatory: findings.filter(x => x.level === "mandatory").length,
            advisory: findings.filter(x => x.level === "advisory").length,
            passed: features.reduce((n, x) => n + x.passed, 0),
            features: features.length,
            notApplicable: features.filter(x => x.notApplicable !== undefined).length,
        },
        features,
        findings,
    };
}

function packageVersion(): string {
    try {
        return (require("../../package.json") as { version: string }).version;
    } catch {
        return "0.0.0";
    }
}

/**
 * Program mode: one report from the preview run and the known-values run. A finding seen in both
 * runs is marked `both`; one seen only with known values is marked `known` (it needs values that a
 * first preview cannot see); one seen only at preview (e.g. "not verified") is marked `preview`.
 */
export function combineRuns(preview: Report, known: Report, source: { file: string; resources: number }): Report {
    const key = (f: ReportFinding) => `${f.feature}\u0000${f.urn ?? ""}\u0000${f.level}\u0000${f.message}`;
    const inPreview = new Set(preview.findings.map(key));
    const inKnown = new Set(known.findings.map(key));
    const findings: ReportFinding[] = [
        ...known.findings.map(f => ({ ...f, phase: inPreview.has(key(f)) ? "both" as const : "known" as const })),
        ...preview.findings.filter(f => !inKnown.has(key(f))).map(f => ({ ...f, phase: "preview" as const })),
    ];
    const features = known.features.map(f => {
        const own = findings.filter(x => x.feature === f.id);
        return { ...f, mandatory: own.filter(x => x.level === "mandatory").length, advisory: own.filter(x => x.level === "advisory").length };
    });
    return {
        ...known,
        source: { file: source.file, kind: "program", resources: source.resources },
        summary: {
            ...known.summary,
            mandatory: findings.filter(x => x.level === "mandatory").length,
            advisory: findings.filter(x => x.level === "advisory").length,
        },
        features,
        findings,
    };
}
