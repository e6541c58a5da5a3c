// The shortest path from a Pulumi program to the pack's verdicts: run the program under mocks,
// configure the running pack for a tier, analyze the stack over gRPC, and read the diagnostics.

import { TierId } from "../../policies/matrix";
import { policyRef } from "../../policies/core/evaluation/naming";
import { AnalyzeResult, Diagnostic, tierConfig } from "../../support/engine";
import { PackConfigFile } from "../../policies/core/evaluation/settings";

import { thePack } from "./global";
import { RecordedStack, runProgram, RunOptions } from "../../support/program";

export interface CheckOptions extends Partial<Omit<RunOptions, "config">> {
    tier?: TierId;
    /** Extra configuration in the `--policy-pack-config` format, merged per policy. */
    config?: PackConfigFile;
    tags?: Record<string, string>;
}

export class Verdicts {
    /** `perResource`: what the per-resource Analyze calls reported (also part of `diagnostics`). */
    constructor(readonly stack: RecordedStack, readonly result: AnalyzeResult, readonly perResource: Diagnostic[] = []) {}

    get diagnostics(): Diagnostic[] {
        return this.result.diagnostics;
    }

    /** The feature's diagnostics: its stack policy's and its resource policy's (`<id>-resource`). */
    of(feature: string): Diagnostic[] {
        return this.diagnostics.filter(d => ofFeature(d, feature));
    }

    mandatory(feature?: string): Diagnostic[] {
        return this.diagnostics.filter(d => d.enforcementLevel === "mandatory" && (feature === undefined || ofFeature(d, feature)));
    }

    advisory(feature?: string): Diagnostic[] {
        return this.diagnostics.filter(d => d.enforcementLevel === "advisory" && (feature === undefined || ofFeature(d, feature)));
    }

    notApplicable(feature: string): string | undefined {
        return this.result.notApplicable.find(n => n.policyName === feature)?.reason;
    }

    /** URN of the recorded resource with this logical name. */
    urn(name: string): string {
        const r = this.stack.resources.find(x => x.name === name);
        if (!r) {
            throw new Error(`no resource named ${name}`);
        }
        return r.urn;
    }

    /** A readable dump for assertion messages. */
    toString(): string {
        return this.diagnostics.map(d => `[${d.enforcementLevel}] ${d.policyName} ${d.urn}\n  ${d.message.replace(/\n/g, "\n  ")}`).join("\n") || "(no diagnostics)";
    }
}


/** The feature a diagnostic belongs to: its policy's feature id (the pack-level policy's own name). */
export function featureOf(d: Diagnostic): string {
    return policyRef(d.policyName)?.feature ?? d.policyName;
}

function ofFeature(d: Diagnostic, feature: string): boolean {
    return d.policyName === feature || d.policyName === `${feature}-resource`;
}

/**
 * A preview or an update as the engine runs the pack: `Analyze` for every resource (its inputs),
 * then one `AnalyzeStack`; the diagnostics of both, in that order.
 */
export async function analyzeStack(stack: RecordedStack, opts: CheckOptions = {}): Promise<Verdicts> {
    const pack = thePack();
    await pack.configureStack({ dryRun: stack.preview, tags: opts.tags ?? {} });
    const info = await pack.info();
    await pack.configure(tierConfig(opts.tier ?? "managed-security", opts.config ?? {}, info.policies.map(p => p.name)), info);
    const perResource: Diagnostic[] = [];
    for (const r of stack.resources) {
        perResource.push(...(await pack.analyze(r, stack.resources)).diagnostics);
    }
    const result = await pack.analyzeStack(stack);
    return new Verdicts(stack, { ...result, diagnostics: [...perResource, ...result.diagnostics] }, perResource);
}

export async function check(program: () => unknown, opts: CheckOptions = {}): Promise<Verdicts> {
    const stack = await runProgram(program, { preview: opts.preview ?? false, project: opts.project, stack: opts.stack, outputs: opts.outputs });
    return analyzeStack(stack, opts);
}
