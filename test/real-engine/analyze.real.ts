// `pulumi policy analyze --file` on a `pulumi stack export` of a deployed reference program gives
// the verdicts the check command gives on the same file, at every tier.

import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { TIERS } from "../../policies/matrix";
import { PolicyEvent, RealEngine, REPO } from "../../support/real-engine/cli";
import { runProgramDir } from "../../cli/program/program";
import { blocks, checkFile, engineVerdicts, reportVerdicts } from "./doors";

describe("real engine: pulumi policy analyze on a stack export", () => {
    const engine = new RealEngine(path.join(REPO, "bin/real-engine/analyze"));
    const dir = path.join(REPO, "examples", "hardened-connectivity");
    const state = path.join(engine.root, "state.json");

    before(async () => {
        engine.adopt((await runProgramDir({ dir, stack: "dev" })).known);
        const project = await engine.project(dir, "dev");
        const up = await project.up(["--skip-preview"]);
        assert.strictEqual(up.status, 0, `${up.stdout}\n${up.stderr}`);
        const exported = await project.run(["stack", "export", "--file", state]);
        assert.strictEqual(exported.status, 0, exported.stderr);
    });

    for (const tier of TIERS) {
        it(`at ${tier}: the check command's verdicts on the same file`, async () => {
            const r = await engine.run(["policy", "analyze", "--file", state, "--json", "--policy-pack", REPO,
                "--policy-pack-config", path.join(REPO, "configs", `${tier}.json`)], engine.root);
            // --json writes one apitype.EngineEvent per line (pkg/cmd/pulumi/policy/policy_analyze.go).
            const events = r.stdout.split("\n").filter(l => l.startsWith("{"))
                .map(l => JSON.parse(l) as { policyEvent?: PolicyEvent }).flatMap(e => (e.policyEvent ? [e.policyEvent] : []));
            const check = await checkFile(state, tier);
            const expected = reportVerdicts(check);
            assert.ok(fs.existsSync(state));
            assert.deepStrictEqual(engineVerdicts(events), expected, `${r.command} exited ${r.status}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
            assert.strictEqual(r.status !== 0, blocks(expected), `exit status ${r.status}:\n${r.stderr.slice(-2000)}`);
        });
    }
});
