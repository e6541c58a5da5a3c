// Runs every policy of the pack on a stack, with the same code and the same configuration format
// as the engine (`--policy-pack-config`), and collects a report.

import { EnforcementLevel } from "@pulumi/policy";
import { featureRow, GroupId, Requirement, TierId } from "../policies/matrix";
import { ConfigError, parseTier } from "../policies/core/evaluation/config";
import { configuredSettings, PackSettings, workspaceStorageAccounts } from "../policies/core/evaluation/settings";
import { decide, reported } from "../policies/core/evaluation/verdicts";
import { FeatureFinding, Judged } from "../policies/core/rules/contract";
import { FeatureVerdict } from "../policies/core/evaluation/evaluate";
import { combineReadiness, Readiness, readiness } from "../policies/core/evaluation/readiness";
import { ResourceInput, StackModel } from "../policies/core/model/stack";
import { FEATURES } from "../policies/features";
import { PackOptions, policyPackArgs } from "../policies/pack";
import { InputError, readJsonFile, SourceKind } from "./inputs/inputs";
import { buildEvidence, EvidencePicture } from "./picture/evidence";
import type { UnsetOutputReport } from "./program/unset-outputs";

/** A feature's line in the report: its requirement, its enforcement, how many findings at each level. */
export interface FeatureSummary {
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
    schemaVersion: 2;
    tool: { name: string; version: string };
    tier: TierId;
    /** The stack judged at every tier (README, "Readiness"): added to the verdicts of `tier`, never instead of them. */
    readiness: Readiness;
    /** The composed pack whose options were evaluated (`--pack`). */
    pack?: { name: string };
    source: { file: string; kind: SourceKind | "program"; resources: number };
    summary: { mandatory: number; advisory: number; passed: number; features: number; notApplicable: number };
    features: FeatureSummary[];
    /** Every reported finding, as judging left it (the formats write it). */
    findings: Judged[];
    /**
     * What the verdicts rest on, per workspace (the first few): drawn by the Markdown report and
     * `--explain`, left out of the JSON and SARIF reports.
     */
    evidence?: EvidencePicture;
    /** Program mode: outputs the program read that the mocks never set, and the verdicts resting on them. */
    unsetOutputs?: UnsetOutputReport[];
}

export interface CheckOptions {
    tier?: TierId;
    /** Parsed `--policy-pack-config` document. */
    config?: unknown;
    configFile?: string;
    stackTags?: ReadonlyMap<string, string>;
    /** A composed pack's options (`--pack`): its initial configuration is the base, as in the engine. */
    pack?: PackOptions;
    /** The composed pack's name, for the report. */
    packName?: string;
}

/**
 * The settings the engine would configure: the pack's initial configuration, the
 * `--policy-pack-config` document over it, then `--tier`. Validated like Configure.
 */
export function checkSettings(opts: CheckOptions): PackSettings {
    const file = opts.configFile ?? "configuration";
    let packArgs: ReturnType<typeof policyPackArgs>;
    try {
        packArgs = policyPackArgs(opts.pack);
    } catch (e) {
        throw new InputError(`the pack's options: ${(e as Error).message}`);
    }
    const shape = packArgs.shape;
    try {
        // The engine's merge (schema defaults, initial configuration, the file), then Configure's reading.
        return configuredSettings(shape, opts.config, opts.tier);
    } catch (e) {
        if (e instanceof ConfigError) {
            throw new InputError(`${file}: ${e.message}`);
        }
        throw e;
    }
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
    const model = new StackModel(resources);
    const settings = checkSettings(opts);
    const verdict = decide(FEATURES, model, settings, opts.stackTags);
    // The same model judged at each tier with the same configuration: no second reading of the stack.
    const ready = readiness(FEATURES, model, tier => checkSettings({ ...opts, tier }));
    const count = (v: FeatureVerdict, keep: (f: FeatureFinding) => boolean) => v.findings.filter(keep).length;
    const features: FeatureSummary[] = verdict.features.map(v => {
        const row = featureRow(v.feature);
        return {
            id: v.feature, group: row.group, title: row.title, requirement: v.requirement, enforcementLevel: v.enforcement, notApplicable: v.notApplicable,
            mandatory: count(v, f => f.level === "mandatory"), advisory: count(v, f => f.level === "advisory"), passed: count(v, f => f.status === "pass"),
        };
    });
    // Without the engine nothing is analyzed per resource: every finding is in the report, with the
    // stage at which the engine would refuse it.
    const findings = reported(verdict, { includeBeforeCreation: true });
    return {
        schemaVersion: 2,
        tool: { name: "databricks-network-check", version: packageVersion() },
        tier: verdict.tier,
        readiness: ready,
        ...(opts.packName !== undefined ? { pack: { name: opts.packName } } : {}),
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
        evidence: pictureOrNone(() => buildEvidence(model, findings, { workspaceStorageAccounts: workspaceStorageAccounts(settings) })),
    };
}

/**
 * The evidence picture, or none when it cannot be drawn: it explains the verdicts and never
 * decides one, so a stack it cannot draw is still checked.
 */
function pictureOrNone(build: () => EvidencePicture): EvidencePicture | undefined {
    try {
        return build();
    } catch {
        return undefined;
    }
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
    // The same finding in both runs: same feature, subject, level, status and wording of what was found.
    const key = (f: Judged) => [f.feature ?? f.policy, f.resource?.urn ?? "", f.level, f.status, f.found, f.missing ?? ""].join("\u0000");
    const inPreview = new Set(preview.findings.map(key));
    const inKnown = new Set(known.findings.map(key));
    const findings: Judged[] = [
        ...known.findings.map(f => ({ ...f, phase: inPreview.has(key(f)) ? "both" as const : "known" as const })),
        ...preview.findings.filter(f => !inKnown.has(key(f))).map(f => ({ ...f, phase: "preview" as const })),
    ];
    const features = known.features.map(f => {
        const own = findings.filter(x => x.feature === f.id);
        return { ...f, mandatory: own.filter(x => x.level === "mandatory").length, advisory: own.filter(x => x.level === "advisory").length };
    });
    return {
        ...known,
        // Met only where both runs meet it; the picture is the known-values run's (IDs known).
        readiness: combineReadiness(preview.readiness, known.readiness),
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
