// The fast in-process seam: a recorded program's resources judged by the pack's one decision
// function, with settings layered exactly as the engine and the check command layer them. No
// process, no gRPC: for rule tests. The gRPC harness (engine.ts) stays the test of the engine path.

import { TierId } from "../policies/matrix";
import { configuredSettings, PackSettings } from "../policies/core/evaluation/settings";
import { message } from "../policies/core/evaluation/render";
import { decide, PackVerdict, reported } from "../policies/core/evaluation/verdicts";
import { FeatureFinding, identityOf, isFeatureFinding, Judged } from "../policies/core/rules/contract";
import { StackModel } from "../policies/core/model/stack";
import { FEATURES } from "../policies/features";
import { PackOptions, policyPackArgs } from "../policies/pack";
import { toResourceInputs } from "../cli/program/record";
import { RecordedStack, runProgram } from "./program";
import { Diagnostic } from "./engine";
import { PackConfigFile } from "../policies/core/evaluation/settings";

export interface DecideOptions {
    tier?: TierId;
    /** `--policy-pack-config` entries over the pack's initial configuration. */
    config?: PackConfigFile;
    tags?: Record<string, string>;
    preview?: boolean;
    /** The composed pack's options (default: the pack's own defaults). */
    pack?: PackOptions;
}

/** Settings as the engine would configure them for this pack, tier and file. */
export function settingsFor(opts: DecideOptions = {}): PackSettings {
    const { shape } = policyPackArgs(opts.pack);
    // A composed pack keeps its own tier unless one is asked for; the pack itself runs managed-security here.
    return configuredSettings(shape, opts.config ?? {}, opts.tier ?? (opts.pack !== undefined ? undefined : "managed-security"));
}

export class InProcessVerdict {
    readonly reported: Judged[];
    constructor(readonly stack: RecordedStack, readonly verdict: PackVerdict) {
        // Everything the engine reports in a run: per resource and for the stack.
        this.reported = reported(verdict, { includeBeforeCreation: true });
    }

    private of(level: "mandatory" | "advisory", policy?: string): Judged[] {
        // A feature's findings by its stack policy's name, those reported before creation included.
        return this.reported.filter(r => r.level === level && (policy === undefined || (r.feature ?? r.policy) === policy));
    }

    mandatory(policy?: string): Judged[] {
        return this.of("mandatory", policy);
    }

    advisory(policy?: string): Judged[] {
        return this.of("advisory", policy);
    }

    /**
     * Distinct findings (different words of what was found or is missing) that share an identity,
     * which report fingerprints hash: each must be its own alert.
     */
    sharedIdentities(): string[][] {
        const byIdentity = new Map<string, Judged>();
        const shared: string[][] = [];
        for (const o of this.reported.filter(isFeatureFinding)) {
            const id = identityOf(o).join(" | ");
            const seen = byIdentity.get(id);
            if (seen && (seen.found !== o.found || seen.missing !== o.missing)) {
                shared.push([id, seen.found, o.found]);
            }
            byIdentity.set(id, o);
        }
        return shared;
    }

    /** The findings of a feature reported at this level (all reported levels when omitted). */
    findings(feature: string, level?: "mandatory" | "advisory"): FeatureFinding[] {
        return this.reported.filter(isFeatureFinding).filter(r => r.feature === feature && (level === undefined || r.level === level));
    }

    /** The features (and pack-level policies) reported at this level, each once, sorted. */
    features(level: "mandatory" | "advisory"): string[] {
        return [...new Set(this.reported.filter(r => r.level === level).map(r => r.feature ?? r.policy))].sort();
    }

    /** Why the feature was not evaluated, as the engine reports it; undefined when it was. */
    notApplicable(feature: string): string | undefined {
        return this.verdict.features.find(f => f.feature === feature)?.notApplicable;
    }

    /** Every (policy, reason) the engine reports as not applicable (disabled policies are not reported). */
    notApplicableList(): { policyName: string; reason: string }[] {
        return this.verdict.features.filter(f => f.notApplicable !== undefined && f.enforcement !== "disabled").map(f => ({ policyName: f.policy, reason: f.notApplicable as string }));
    }

    /**
     * The diagnostics the engine reports in a run (policy, level, URN, message): a feature's
     * findings before creation from its resource policy, the rest from its stack policy.
     */
    diagnostics(): Pick<Diagnostic, "policyName" | "enforcementLevel" | "urn" | "message">[] {
        return this.reported.map(r => ({ policyName: r.policy, enforcementLevel: r.level ?? "advisory", urn: r.resource?.urn ?? "", message: message(r) }));
    }

    /** URN of the recorded resource with this logical name. */
    urn(name: string): string {
        const r = this.stack.resources.find(x => x.name === name);
        if (!r) {
            throw new Error(`no resource named ${name}`);
        }
        return r.urn;
    }

    /** Policy, level, URN and message of every diagnostic, in the engine's order. */
    lines(): string[] {
        return this.reported.map(r => `[${r.level}] ${r.feature ?? r.policy} ${r.resource?.urn ?? ""}\n${message(r)}`);
    }

    toString(): string {
        return this.lines().join("\n") || "(no diagnostics)";
    }
}

export function decideOnStack(stack: RecordedStack, opts: DecideOptions = {}): InProcessVerdict {
    const model = new StackModel(toResourceInputs(stack));
    return new InProcessVerdict(stack, decide(FEATURES, model, settingsFor(opts), new Map(Object.entries(opts.tags ?? {}))));
}

export async function decideOn(program: () => unknown, opts: DecideOptions = {}): Promise<InProcessVerdict> {
    return decideOnStack(await runProgram(program, { preview: opts.preview ?? false }), opts);
}
