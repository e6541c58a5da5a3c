// The fast in-process seam: a recorded program's resources judged by the pack's one decision
// function, with settings layered exactly as the engine and the check command layer them. No
// process, no gRPC: for rule tests. The gRPC harness (engine.ts) stays the test of the engine path.

import { TierId } from "../../policies/matrix";
import { layerConfigFile, readSettings, PackSettings } from "../../policies/core/evaluation/settings";
import { message } from "../../policies/core/evaluation/render";
import { decide, PackVerdict, reported, Reported } from "../../policies/core/evaluation/verdicts";
import { StackModel } from "../../policies/core/model/stack";
import { FEATURES } from "../../policies/features";
import { PackOptions, policyPackArgs } from "../../policies/pack";
import { toResourceInputs } from "../../cli/record";
import { RecordedStack, runProgram } from "./program";
import { PackConfigFile } from "./engine";
import { tierConfig } from "./check";

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
    const file = opts.tier === undefined && opts.pack !== undefined ? opts.config ?? {} : tierConfig(opts.tier ?? "managed-security", opts.config ?? {}, [...shape.names]);
    return readSettings(layerConfigFile(shape.baseline, file), shape);
}

export class InProcessVerdict {
    readonly reported: Reported[];
    constructor(readonly stack: RecordedStack, readonly verdict: PackVerdict) {
        // Everything the engine reports in a run: per resource and for the stack.
        this.reported = reported(verdict, { includeLocal: true });
    }

    private of(level: "mandatory" | "advisory", policy?: string): Reported[] {
        return this.reported.filter(r => r.level === level && (policy === undefined || r.policy === policy));
    }

    mandatory(policy?: string): Reported[] {
        return this.of("mandatory", policy);
    }

    advisory(policy?: string): Reported[] {
        return this.of("advisory", policy);
    }

    /** Policy, level, URN and message of every diagnostic, in the engine's order. */
    lines(): string[] {
        return this.reported.map(r => `[${r.level}] ${r.policy} ${r.outcome?.subject?.urn ?? ""}\n${r.outcome ? message(r.outcome) : r.message ?? ""}`);
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
