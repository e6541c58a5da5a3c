// The Hardened connectivity program in Python (examples/hardened-connectivity/python) through the
// Pulumi CLI and the Python language host: `pulumi preview --policy-pack . --policy-pack-config
// configs/<tier>.json` gives the verdicts and exit status of the TypeScript program previewed the
// same way. The pack judges what the engine sends, so the program's language must not matter, with
// one difference the SDKs make: the Node.js azure-native SDK fills an object's defaults with
// `pulumi.output(value).apply(...)`, so at preview an object holding any unknown value reaches the
// engine wholly unknown (the Workspace's `parameters`, which holds subnet names), while the Python SDK
// sends the object with only that value unknown. A verdict the TypeScript program gets because a
// value "is unknown until apply" may therefore be settled in Python; every other verdict is the same.
// Once both stacks are deployed they hold the same resources with the same inputs, and every verdict
// is the same.

import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { TierId } from "../../policies/matrix";
import { PolicyEvent, Project, RealEngine, REPO } from "../../support/real-engine/cli";
import { ensureVenv } from "../../support/real-engine/python";
import { runProgramDir } from "../../cli/program/program";
import { blocks, engineVerdicts, shown } from "./doors";

const TS_DIR = path.join(REPO, "examples", "hardened-connectivity");
const PY_DIR = path.join(TS_DIR, "python");
const TIERS: TierId[] = ["hardened-connectivity", "isolated-environment"];

/** Points the copied project at the virtualenv, as a user names theirs in Pulumi.yaml. */
function useVirtualenv(dir: string, venv: string): void {
    const file = path.join(dir, "Pulumi.yaml");
    const project = YAML.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    project.runtime = { name: "python", options: { virtualenv: venv } };
    fs.writeFileSync(file, YAML.stringify(project));
}

/** The verdicts of a run that say only that a value is unknown until apply. */
function unknownUntilApply(events: readonly PolicyEvent[]): Set<string> {
    const settled = new Set(engineVerdicts(events.filter(e => !/ is unknown until apply/.test(e.message))));
    return new Set(engineVerdicts(events.filter(e => / is unknown until apply/.test(e.message))).filter(v => !settled.has(v)));
}

/** What a program declared, per URN, from `pulumi stack export` (provider references without their IDs, which each stack draws anew). */
async function exported(project: Project): Promise<Map<string, unknown>> {
    const file = path.join(project.engine.root, "state.json");
    const r = await project.run(["stack", "export", "--file", file]);
    assert.strictEqual(r.status, 0, r.stderr);
    const resources = (JSON.parse(fs.readFileSync(file, "utf8")) as { deployment: { resources: Record<string, unknown>[] } }).deployment.resources;
    const provider = (ref: unknown) => (typeof ref === "string" ? ref.slice(0, ref.lastIndexOf("::")) : ref);
    // Dependencies are sets; each SDK lists them in its own order.
    const sorted = (urns: unknown) => (Array.isArray(urns) ? [...urns as string[]].sort() : urns);
    const sortedEach = (deps: unknown) => (deps && typeof deps === "object"
        ? Object.fromEntries(Object.entries(deps).map(([k, v]) => [k, sorted(v)])) : deps);
    return new Map(resources.map(r => [r.urn as string, {
        type: r.type, inputs: r.inputs, parent: r.parent, provider: provider(r.provider), importID: r.importID,
        dependencies: sorted(r.dependencies), propertyDependencies: sortedEach(r.propertyDependencies),
    }]));
}

function packArgs(tier: TierId): string[] {
    return ["--policy-pack", REPO, "--policy-pack-config", path.join(REPO, "configs", `${tier}.json`)];
}

describe("real engine: the Hardened connectivity program in Python", () => {
    // One engine (state, provider world) each: both programs are stack `dev` of the same project,
    // so that their URNs are the same.
    const tsEngine = new RealEngine(path.join(REPO, "bin/real-engine/python-ts"));
    const pyEngine = new RealEngine(path.join(REPO, "bin/real-engine/python-py"));
    let ts: Project;
    let py: Project;

    before(async () => {
        const venv = await ensureVenv(path.join(PY_DIR, "requirements.txt"));
        // What the program adopts with `import` exists as the TypeScript program declares it.
        const known = (await runProgramDir({ dir: TS_DIR, stack: "dev" })).known;
        tsEngine.adopt(known);
        pyEngine.adopt(known);
        ts = await tsEngine.project(TS_DIR, "dev", "typescript");
        py = await pyEngine.project(PY_DIR, "dev", "python");
        useVirtualenv(py.dir, venv);
    });

    for (const tier of TIERS) {
        it(`pulumi preview at ${tier} gives the TypeScript program's verdicts and exit status`, async () => {
            const [tsOp, pyOp] = await Promise.all([ts.preview(packArgs(tier)), py.preview(packArgs(tier))]);
            const got = engineVerdicts(pyOp.policyEvents);
            const open = unknownUntilApply(tsOp.policyEvents);
            const expected = engineVerdicts(tsOp.policyEvents).filter(v => !open.has(v) || got.includes(v));
            assert.ok(/azure-native:databricks:Workspace/.test(pyOp.stdout), `the Python program declared no workspace:\n${shown(pyOp)}`);
            assert.ok(pyOp.policyEvents.length > 0 || expected.length === 0, `the pack reported nothing on the Python program:\n${shown(pyOp)}`);
            assert.deepStrictEqual(got, expected, `the Python and TypeScript programs' verdicts differ at ${tier}:\n${shown(pyOp)}`);
            assert.strictEqual(pyOp.status, tsOp.status, `exit status ${pyOp.status} of the Python program, ${tsOp.status} of the TypeScript program:\n${shown(pyOp)}`);
            assert.strictEqual(pyOp.status !== 0, blocks(got), `exit status ${pyOp.status} while the verdicts ${blocks(got) ? "block" : "pass"}:\n${shown(pyOp)}`);
        });
    }

    describe("deployed (every value known)", () => {
        before(async () => {
            for (const op of await Promise.all([ts.up(), py.up()])) {
                assert.strictEqual(op.status, 0, `pulumi up failed:\n${shown(op)}`);
            }
        });

        it("the Python program's stack holds the TypeScript program's resources, inputs, parents, providers and dependencies", async () => {
            const [tsState, pyState] = await Promise.all([exported(ts), exported(py)]);
            assert.ok(tsState.size > 0);
            assert.deepStrictEqual([...pyState.keys()].sort(), [...tsState.keys()].sort(), "the programs declare different resources");
            for (const [urn, resource] of tsState) {
                assert.deepStrictEqual(pyState.get(urn), resource, `${urn} differs`);
            }
        });

        for (const tier of TIERS) {
            it(`pulumi preview at ${tier} gives exactly the TypeScript program's verdicts and exit status`, async () => {
                const [tsOp, pyOp] = await Promise.all([ts.preview(packArgs(tier)), py.preview(packArgs(tier))]);
                const expected = engineVerdicts(tsOp.policyEvents);
                assert.ok(expected.length > 0, `the pack reported nothing on the TypeScript program:\n${shown(tsOp)}`);
                assert.deepStrictEqual(engineVerdicts(pyOp.policyEvents), expected, `the Python and TypeScript programs' verdicts differ at ${tier}:\n${shown(pyOp)}`);
                assert.strictEqual(pyOp.status, tsOp.status, `exit status ${pyOp.status} of the Python program, ${tsOp.status} of the TypeScript program:\n${shown(pyOp)}`);
            });
        }
    });
});
