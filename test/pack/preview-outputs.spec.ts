// At preview the engine gives AnalyzeStack no properties at all for a resource whose provider is
// configured from values not known yet (Databricks workspace resources of a new workspace): the
// pack reads it as the inputs the same run's Analyze saw, and without them as unknown, never as a
// resource with nothing set.

import * as assert from "assert";
import { thePack } from "../harness/global";
import { analyzeStackRequest, PackProcess, tierConfig } from "../../support/engine";
import { RecordedStack } from "../../support/program";
import { decideOnStack } from "../../support/verdicts";
import { recorded } from "../e2e/recordings";
import { PROGRAMS } from "../e2e/programs";

const program = PROGRAMS.find(p => p.tier === "hardened-connectivity")!;
const FEATURE = "workspace-ip-access-lists";

/** The program's preview recording, and the pack configured for a new preview run of it. */
async function newPreviewRun(): Promise<[RecordedStack, PackProcess]> {
    const stack = await recorded(program, "preview");
    const pack = thePack();
    const info = await pack.info();
    await pack.configureStack({ dryRun: true });
    await pack.configure(tierConfig(program.tier, {}, info.policies.map(p => p.name)), info);
    return [stack, pack];
}

describe("a preview's resources whose provider configuration is unknown", () => {
    it("reach AnalyzeStack with no properties, as the engine sends them", async () => {
        const stack = await recorded(program, "preview");
        const req = analyzeStackRequest(stack) as { getResourcesList(): { getName(): string; getProperties(): { toJavaScript(): object } }[] };
        const props = (name: string) => req.getResourcesList().find(r => r.getName() === name)?.getProperties().toJavaScript();
        // The workspace conf and allow list use a provider configured from the new workspace's URL.
        assert.deepStrictEqual(props(`${program.prefix}-conf`), {});
        assert.deepStrictEqual(props(`${program.prefix}-allowed`), {});
        // The workspace's own provider is the default one, configured from the stack: its inputs arrive.
        assert.notDeepStrictEqual(props(`${program.prefix}-ws`), {});
    });

    it("are judged by the inputs Analyze saw in the same run: no verdict differs from the preview's inputs", async () => {
        const [stack, pack] = await newPreviewRun();
        for (const r of stack.resources) {
            await pack.analyze(r, stack.resources);
        }
        const result = await pack.analyzeStack(stack);
        const inProcess = decideOnStack(stack, { tier: program.tier, preview: true }).diagnostics().filter(d => d.policyName === FEATURE);
        const engine = result.diagnostics.filter(d => d.policyName === FEATURE);
        assert.deepStrictEqual(engine.map(d => [d.enforcementLevel, d.message]), inProcess.map(d => [d.enforcementLevel, d.message]));
        assert.ok(engine.every(d => d.enforcementLevel !== "mandatory"), JSON.stringify(engine));
    });

    it("without the run's Analyze are unknown until apply: advisory, never a mandatory 'nothing enables it'", async () => {
        // A new run: what an earlier run's Analyze saw does not count.
        const [stack, pack] = await newPreviewRun();
        const result = await pack.analyzeStack(stack);
        const found = result.diagnostics.filter(d => d.policyName === FEATURE);
        assert.ok(found.length > 0, "the feature reported nothing about resources it could not see");
        assert.ok(found.every(d => d.enforcementLevel === "advisory" && /unknown until apply/.test(d.message)), found.map(d => `${d.enforcementLevel}: ${d.message}`).join("\n"));
    });
});
