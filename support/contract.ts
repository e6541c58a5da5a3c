// The contract between the two ways the pack is run: the engine (the pack process over gRPC) must
// report exactly the diagnostics, levels and not-applicable reasons that the one decision function
// gives in process for the same stack, tier and configuration.

import { TierId } from "../policies/matrix";
import { Diagnostic, PackProcess, tierConfig } from "./engine";
import { PackConfigFile } from "../policies/core/evaluation/settings";
import { RecordedStack } from "./program";
import { decideOnStack } from "./verdicts";

export interface ContractRun {
    stack: RecordedStack;
    tier: TierId;
    config?: PackConfigFile;
    tags?: Record<string, string>;
    /** Named in a difference. */
    title: string;
}

type Line = Pick<Diagnostic, "policyName" | "enforcementLevel" | "urn" | "message">;
const line = (d: Line) => `[${d.enforcementLevel}] ${d.policyName} ${d.urn}\n${d.message}`;

/**
 * A run as the engine does it: `Analyze` for every resource (the engine analyzes resources as their
 * steps run, concurrently), then one `AnalyzeStack`; the diagnostics of both.
 */
export async function engineRun(pack: PackProcess, stack: RecordedStack): Promise<{ diagnostics: Diagnostic[]; notApplicable: { policyName: string; reason: string }[] }> {
    const perResource = await Promise.all(stack.resources.map(r => pack.analyze(r, stack.resources)));
    const result = await pack.analyzeStack(stack);
    return { diagnostics: [...perResource.flatMap(r => r.diagnostics), ...result.diagnostics], notApplicable: result.notApplicable };
}

/**
 * Runs every stack through the engine and in process; returns the differences (none when the two
 * agree). The engine configures a pack once per run, so runs that share mode, tier, tags and
 * configuration share one Configure.
 */
export async function contractDifferences(pack: PackProcess, runs: readonly ContractRun[]): Promise<string[]> {
    const info = await pack.info();
    const names = info.policies.map(x => x.name);
    const groups = new Map<string, ContractRun[]>();
    for (const r of runs) {
        const key = JSON.stringify([r.stack.preview, r.tier, r.config ?? {}, r.tags ?? {}]);
        groups.set(key, [...groups.get(key) ?? [], r]);
    }
    const differ: string[] = [];
    for (const group of groups.values()) {
        const { stack, tier, config, tags } = group[0];
        await pack.configureStack({ dryRun: stack.preview, tags: tags ?? {} });
        await pack.configure(tierConfig(tier, config ?? {}, names), info);
        for (const run of group) {
            const engine = await engineRun(pack, run.stack);
            const here = decideOnStack(run.stack, { tier: run.tier, config: run.config, tags: run.tags, preview: run.stack.preview });
            const diagnostics = [here.diagnostics().map(line).sort(), engine.diagnostics.map(line).sort()];
            const notApplicable = [here.notApplicableList(), engine.notApplicable].map(l => l.map(n => `${n.policyName}: ${n.reason}`).sort());
            if (JSON.stringify(diagnostics[0]) !== JSON.stringify(diagnostics[1]) || JSON.stringify(notApplicable[0]) !== JSON.stringify(notApplicable[1])) {
                differ.push(`${run.title}:\n  in process: ${JSON.stringify(diagnostics[0])} ${JSON.stringify(notApplicable[0])}\n  engine:     ${JSON.stringify(diagnostics[1])} ${JSON.stringify(notApplicable[1])}`);
            }
        }
    }
    return differ;
}
