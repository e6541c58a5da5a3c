// The shortest path from a Pulumi program to the pack's verdicts: run the program under mocks,
// configure the running pack for a tier, analyze the stack over gRPC, and read the diagnostics.

import { TierId } from "../../policies/matrix";
import { AnalyzeResult, Diagnostic, PackConfigFile } from "./engine";
import { thePack } from "./global";
import { RecordedStack, runProgram, RunOptions } from "./program";

export interface CheckOptions extends Partial<Omit<RunOptions, "config">> {
    tier?: TierId;
    /** Extra configuration in the `--policy-pack-config` format, merged per policy. */
    config?: PackConfigFile;
    tags?: Record<string, string>;
}

export class Verdicts {
    constructor(readonly stack: RecordedStack, readonly result: AnalyzeResult) {}

    get diagnostics(): Diagnostic[] {
        return this.result.diagnostics;
    }

    of(feature: string): Diagnostic[] {
        return this.diagnostics.filter(d => d.policyName === feature);
    }

    mandatory(feature?: string): Diagnostic[] {
        return this.diagnostics.filter(d => d.enforcementLevel === "mandatory" && (feature === undefined || d.policyName === feature));
    }

    advisory(feature?: string): Diagnostic[] {
        return this.diagnostics.filter(d => d.enforcementLevel === "advisory" && (feature === undefined || d.policyName === feature));
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

/** Per-policy configuration that sets the tier on every policy, plus `extra`. */
export function tierConfig(tier: TierId, extra: PackConfigFile, policyNames: string[]): PackConfigFile {
    const out: PackConfigFile = {};
    for (const name of policyNames) {
        const mine = extra[name];
        out[name] = typeof mine === "string" ? { enforcementLevel: mine, tier } : { tier, ...(mine ?? {}) };
    }
    if (extra.all !== undefined) {
        out.all = extra.all;
    }
    return out;
}

export async function analyzeStack(stack: RecordedStack, opts: CheckOptions = {}): Promise<Verdicts> {
    const pack = thePack();
    await pack.configureStack({ dryRun: stack.preview, tags: opts.tags ?? {} });
    const info = await pack.getAnalyzerInfo();
    await pack.configure(tierConfig(opts.tier ?? "managed-security", opts.config ?? {}, info.policies.map(p => p.name)), info);
    return new Verdicts(stack, await pack.analyzeStack(stack));
}

export async function check(program: () => unknown, opts: CheckOptions = {}): Promise<Verdicts> {
    const stack = await runProgram(program, { preview: opts.preview ?? false, project: opts.project, stack: opts.stack, outputs: opts.outputs });
    return analyzeStack(stack, opts);
}
