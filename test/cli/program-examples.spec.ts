// The reference programs checked offline (`databricks-network-check --program examples/<tier>`):
// the same verdicts as the engine-faithful suite gives them, for the programs and their mutations.

import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { checkStack, combineRuns, Report } from "../../cli/check";
import { loadProject, ProgramRuns, runProgramDir } from "../../cli/program/program";
import { ProgramRun } from "../../cli/program/run";
import { RecordedStack, toResourceInputs } from "../../cli/program/record";
import { MATRIX, TIERS, TierId, FeatureId } from "../../policies";
import { MUTATIONS } from "../e2e/mutations";
import { PROGRAMS, REPO_DIR } from "../e2e/programs";
import { PackConfigFile } from "../../policies/core/evaluation/settings";
import { applyTransforms } from "../../support/program";

/** The prefix the examples' Pulumi.dev.yaml sets. */
const PREFIX = "dev";

function exampleDir(tier: TierId): string {
    return path.join(REPO_DIR, "examples", tier);
}

/** The command's report on both runs of a program, checked at a tier. */
function programReport(dir: string, runs: Pick<ProgramRuns, "preview" | "known">, checkedAt: TierId, config: PackConfigFile): Report {
    const opts = { tier: checkedAt, config, configFile: "policy-pack-config.json" };
    const source = { file: dir, kind: "preview" as const };
    return combineRuns(checkStack(toResourceInputs(runs.preview), source, opts), checkStack(toResourceInputs(runs.known), { ...source, kind: "export" }, opts),
        { file: dir, resources: runs.known.resources.length });
}

/** The known-values run of the example directory, as `--program` runs it, with stack transforms installed first. */
async function knownRun(dir: string, beforeRun: () => void): Promise<RecordedStack> {
    const loaded = loadProject({ dir });
    // These runs finish: no failure needs the program's lines, so the SDK's stack trace of every
    // promise it makes (for its leak report) is not taken.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return await new ProgramRun({ dir, entry: loaded.entry, preview: false, project: loaded.project, stack: loaded.stack, config: loaded.config, displayBase: process.cwd() }).run(beforeRun);
    } finally {
        Error.stackTraceLimit = limit;
    }
}

function mandatoryFeatures(r: Report): string[] {
    return [...new Set(r.findings.filter(f => f.level === "mandatory").map(f => f.feature ?? f.policy))].sort();
}

function packConfig(tier: TierId): PackConfigFile {
    const file = path.join(exampleDir(tier), "policy-pack-config.json");
    return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) as PackConfigFile : {};
}

describe("reference programs checked offline (--program)", function () {
    this.timeout(300_000);

    for (const p of PROGRAMS) {
        const config = packConfig(p.tier);
        const dir = exampleDir(p.tier);
        it(`${p.tier}: passes its tier; the next tier fails exactly the features it adds`, async () => {
            // One run of the program (preview and known values), checked at both tiers.
            const runs = await runProgramDir({ dir, inProcess: true });
            const own = programReport(dir, runs, p.tier, config);
            assert.deepStrictEqual(mandatoryFeatures(own), [], JSON.stringify(own.findings, null, 1));
            const next = TIERS[TIERS.indexOf(p.tier) + 1];
            if (next) {
                const adds = MATRIX.filter(r => r.tiers[next] === "required" && r.tiers[p.tier] !== "required").map(r => r.id as FeatureId);
                const stricter = programReport(dir, runs, next, config);
                assert.deepStrictEqual(mandatoryFeatures(stricter), [...adds].sort());
            }
        });

        it(`${p.tier}: each transform mutation of the engine suite is reported as exactly its feature, naming the resource`, async () => {
            // The known-values run of each mutation; each mutation's preview is judged in
            // test/e2e/suite.ts (the same recorder and the same transforms).
            const mutations = MUTATIONS.filter(m => m.transform && !m.remove && m.subject
                && (m.programs === undefined ? MATRIX.find(r => r.id === m.feature)?.tiers[p.tier] === "required" : m.programs.includes(p.tier)));
            assert.ok(mutations.length > 0);
            for (const m of mutations) {
                const transform = (m.transform as NonNullable<typeof m.transform>)(PREFIX);
                const known = await knownRun(dir, () => applyTransforms([transform]));
                const opts = { tier: p.tier, config: m.config ? m.config(config) : config, configFile: "policy-pack-config.json" };
                const r = checkStack(toResourceInputs(known), { file: dir, kind: "export" }, opts);
                assert.deepStrictEqual(mandatoryFeatures(r), [m.feature], `${m.id}: ${JSON.stringify(r.findings.filter(f => f.level === "mandatory"), null, 1)}`);
                if (m.subject) {
                    const name = m.subject(PREFIX);
                    const urn = known.resources.find(x => x.name === name)?.urn;
                    assert.ok(urn, `${m.id}: no resource ${name}`);
                    assert.ok(r.findings.some(f => f.level === "mandatory" && f.feature === m.feature && f.resource?.urn === urn), `${m.id}: no mandatory finding names ${name}`);
                }
            }
        });
    }
});
