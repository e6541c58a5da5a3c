// Each reference program at each tier, through the Pulumi CLI itself: `pulumi preview --policy-pack .
// --policy-pack-config configs/<tier>.json` gives the exit status and the verdicts the check command
// gives on the same program at that tier (its preview run: what a first preview can see).

import * as assert from "assert";
import * as path from "path";
import { TIERS } from "../../policies/matrix";
import { Project, RealEngine, REPO } from "../../support/real-engine/cli";
import { runProgramDir } from "../../cli/program/program";
import { blocks, checkProgram, engineVerdicts, previewVerdicts, shown } from "./doors";

const PROGRAMS = ["managed-security", "hardened-connectivity", "isolated-environment"] as const;

describe("real engine: the reference programs at every tier", () => {
    const engine = new RealEngine(path.join(REPO, "bin/real-engine/reference"));

    for (const program of PROGRAMS) {
        describe(program, () => {
            const dir = path.join(REPO, "examples", program);
            let project: Project;

            before(async () => {
                // What the program adopts with `import` exists as it declares it.
                engine.adopt((await runProgramDir({ dir, stack: "dev" })).known);
                project = await engine.project(dir, "dev");
            });

            for (const tier of TIERS) {
                it(`pulumi preview at ${tier} gives the check command's verdicts and exit status`, async () => {
                    const [op, check] = await Promise.all([
                        project.preview(["--policy-pack", REPO, "--policy-pack-config", path.join(REPO, "configs", `${tier}.json`)]),
                        checkProgram(dir, "dev", tier),
                    ]);
                    const expected = previewVerdicts(check);
                    const got = engineVerdicts(op.policyEvents);
                    assert.ok(op.policyEvents.length > 0 || expected.length === 0, `the pack reported nothing:\n${shown(op)}`);
                    assert.deepStrictEqual(got, expected, `pulumi preview and the check command differ at ${tier}:\n${shown(op)}`);
                    assert.strictEqual(op.status !== 0, blocks(expected), `exit status ${op.status} while the check command's preview verdicts ${blocks(expected) ? "block" : "pass"}:\n${shown(op)}`);
                });
            }
        });
    }
});
