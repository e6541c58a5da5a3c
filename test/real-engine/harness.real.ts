// The engine harness (support/engine.ts) answers to the real engine: what the Pulumi CLI sends the
// pack in a preview and in an update of a reference program (recorded by the pack itself with
// DATABRICKS_NETWORK_TRACE) is what the harness builds from the program's recordings: the stack
// context, the configuration, every Analyze (inputs, provider, parent) and AnalyzeStack (outputs,
// parent, dependencies, property dependencies, provider). The fast suite can then trust the harness.
//
// Not played, because the pack reads none of it: resource options other than the parent (the SDK
// marks a provider's secret settings as additional secret outputs), the stack's own outputs (the
// program's exports), the stack configuration that ConfigureStack also carries, and the order of a
// resource's dependencies.

import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { RealEngine, REPO } from "../../support/real-engine/cli";
import { analyzeStackRequest, configureRequest, PackProcess, resourceRequest } from "../../support/engine";
import { PACK_DIR } from "../harness/global";
import { runProgramDir, ProgramRuns } from "../../cli/program/program";
import { RecordedStack } from "../../cli/program/record";
import { PackConfigFile } from "../../policies/core/evaluation/settings";
import { TRACE_ENV } from "../../policies/core/engine/trace";
import { shown } from "./doors";

type Obj = Record<string, unknown>;
interface Traced { method: string; request: Obj }

const PROGRAM = "hardened-connectivity";
const CONFIG = path.join(REPO, "configs", `${PROGRAM}.json`);

/** A request's parts the pack reads, in a comparable form. */
function comparable(r: Obj): Obj {
    const deps = (r.propertydependenciesMap as [string, { urnsList: string[] }][] | undefined)
        ?.filter(([, d]) => d.urnsList.length > 0).map(([k, d]) => [k, [...d.urnsList].sort()]).sort();
    const options = r.options as { parent?: string } | undefined;
    return {
        type: r.type, name: r.name, properties: r.properties, provider: r.provider,
        parent: r.parent ?? options?.parent ?? "",
        ...(r.dependenciesList ? { dependencies: [...(r.dependenciesList as string[])].sort() } : {}),
        ...(deps ? { propertyDependencies: deps } : {}),
    };
}

/** Differences between the engine's and the harness's resources, by URN. */
function differences(what: string, real: Obj[], harness: Obj[]): string[] {
    // The root stack resource's properties are the program's exports, which the pack does not read.
    const byUrn = (list: Obj[]) => new Map(list.filter(r => r.type !== "pulumi:pulumi:Stack").map(r => [r.urn as string, comparable(r)]));
    const [r, h] = [byUrn(real), byUrn(harness)];
    const out: string[] = [];
    for (const urn of new Set([...r.keys(), ...h.keys()])) {
        const [a, b] = [r.get(urn), h.get(urn)];
        if (!a || !b) {
            out.push(`${what}: ${urn} only ${a ? "in the engine's request" : "in the harness's"}`);
            continue;
        }
        for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
            if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) {
                out.push(`${what}: ${urn} ${k}\n  engine:  ${JSON.stringify(a[k]).slice(0, 500)}\n  harness: ${JSON.stringify(b[k]).slice(0, 500)}`);
            }
        }
    }
    return out;
}

describe("real engine: the harness plays what the engine sends", () => {
    // One backend per mode: each run starts from a stack that was never deployed.
    const engines = { preview: new RealEngine(path.join(REPO, "bin/real-engine/harness-preview")), update: new RealEngine(path.join(REPO, "bin/real-engine/harness-update")) };
    const dir = path.join(REPO, "examples", PROGRAM);
    let runs: ProgramRuns;
    let pack: PackProcess;

    before(async () => {
        runs = await runProgramDir({ dir, stack: "dev" });
        Object.values(engines).forEach(e => e.adopt(runs.known));
        pack = await PackProcess.start(PACK_DIR);
    });

    after(() => pack?.kill());

    for (const mode of ["preview", "update"] as const) {
        it(`in ${mode === "preview" ? "pulumi preview" : "pulumi up"}: the same requests, resource by resource`, async () => {
            const engine = engines[mode];
            const project = await engine.project(dir, "dev");
            const trace = path.join(engine.root, `${mode}.jsonl`);
            const op = await engine.operation(mode === "preview"
                ? ["preview", "--stack", "dev", "--policy-pack", REPO, "--policy-pack-config", CONFIG]
                : ["up", "--yes", "--skip-preview", "--stack", "dev", "--policy-pack", REPO, "--policy-pack-config", CONFIG],
            project.dir, { [TRACE_ENV]: trace });
            assert.strictEqual(op.status, 0, shown(op));
            const traced = fs.readFileSync(trace, "utf8").split("\n").filter(l => l !== "").map(l => JSON.parse(l) as Traced);
            const of = (method: string) => traced.filter(t => t.method === method).map(t => t.request);
            const stack: RecordedStack = mode === "preview" ? runs.preview : runs.known;

            // ConfigureStack: the run's mode and (here, none) stack tags, once, before any Analyze.
            assert.deepStrictEqual(of("configureStack").map(r => [r.dryRun, r.tagsMap]), [[mode === "preview", []]]);
            assert.ok(traced.findIndex(t => t.method === "configureStack") < traced.findIndex(t => t.method === "analyze"));
            // Configure: every policy, as the harness layers schema defaults, initial config and the file.
            const user = JSON.parse(fs.readFileSync(CONFIG, "utf8")) as PackConfigFile;
            const expected = (configureRequest(user, await pack.info()) as unknown as { toObject(): Obj }).toObject();
            const sorted = (r: Obj) => [...(r.policyconfigMap as [string, unknown][])].sort(([a], [b]) => a.localeCompare(b));
            const configured = of("configure").map(sorted);
            assert.strictEqual(configured.length, 1, "Configure was not sent exactly once");
            const policies = (entries: [string, unknown][]) => new Map(entries.map(([k, v]) => [k, JSON.stringify(v)]));
            const [got, want] = [policies(configured[0]), policies(sorted(expected))];
            assert.deepStrictEqual([...got.keys()], [...want.keys()]);
            assert.deepStrictEqual([...got].filter(([k, v]) => want.get(k) !== v).map(([k, v]) => `${k}\n  engine:  ${v}\n  harness: ${want.get(k)}`), []);
            // Analyze of every resource (the engine also analyzes the root stack resource).
            const analyzed = of("analyze");
            const built = stack.resources.map(r => (resourceRequest(r, stack.resources) as { toObject(): Obj }).toObject());
            const diffs = differences("Analyze", analyzed, built);
            // AnalyzeStack once, after every Analyze.
            const [whole, ...more] = of("analyzeStack");
            assert.ok(whole && more.length === 0, "AnalyzeStack was not sent exactly once");
            assert.strictEqual(traced.filter(t => t.method === "analyze").length, stack.resources.length + 1);
            const harness = (analyzeStackRequest(stack) as { toObject(): { resourcesList: Obj[] } }).toObject().resourcesList;
            const roots = (list: Obj[]) => list.filter(r => r.type === "pulumi:pulumi:Stack").map(r => r.urn);
            assert.deepStrictEqual(roots(harness), roots(whole.resourcesList as Obj[]));
            diffs.push(...differences("AnalyzeStack", whole.resourcesList as Obj[], harness));
            assert.deepStrictEqual(diffs, []);
        });
    }
});
