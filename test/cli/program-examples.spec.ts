// The reference programs checked offline (`databricks-network-check --program examples/<tier>`):
// the same verdicts as the engine-faithful suite gives them, for the programs and their mutations.

import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { checkStack, combineRuns, Report } from "../../cli/check";
import { runProgramDir } from "../../cli/program";
import { toResourceInputs } from "../../cli/record";
import { MATRIX, TIERS, TierId, FeatureId } from "../../policies";
import { MUTATIONS } from "../e2e/mutations";
import { PROGRAMS, REPO_DIR } from "../e2e/programs";
import { PackConfigFile } from "../harness/engine";
import { applyTransforms } from "../harness/program";

/** The prefix the examples' Pulumi.dev.yaml sets. */
const PREFIX = "dev";

async function programReport(tier: TierId, checkedAt: TierId, config: PackConfigFile, beforeRun?: () => void): Promise<Report> {
    const dir = path.join(REPO_DIR, "examples", tier);
    const runs = await runProgramDir({ dir, beforeRun });
    const opts = { tier: checkedAt, config, configFile: "policy-pack-config.json" };
    const source = { file: dir, kind: "preview" as const };
    return combineRuns(checkStack(toResourceInputs(runs.preview), source, opts), checkStack(toResourceInputs(runs.known), { ...source, kind: "export" }, opts),
        { file: dir, resources: runs.known.resources.length });
}

function mandatoryFeatures(r: Report): string[] {
    return [...new Set(r.findings.filter(f => f.level === "mandatory").map(f => f.feature))].sort();
}

function packConfig(tier: TierId): PackConfigFile {
    const file = path.join(REPO_DIR, "examples", tier, "policy-pack-config.json");
    return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) as PackConfigFile : {};
}

describe("reference programs checked offline (--program)", function () {
    this.timeout(300_000);

    for (const p of PROGRAMS) {
        const config = packConfig(p.tier);
        it(`${p.tier}: passes its tier; the next tier fails exactly the features it adds`, async () => {
            const own = await programReport(p.tier, p.tier, config);
            assert.deepStrictEqual(mandatoryFeatures(own), [], JSON.stringify(own.findings, null, 1));
            const next = TIERS[TIERS.indexOf(p.tier) + 1];
            if (next) {
                const adds = MATRIX.filter(r => r.tiers[next] === "required" && r.tiers[p.tier] !== "required").map(r => r.id as FeatureId);
                const stricter = await programReport(p.tier, next, config);
                assert.deepStrictEqual(mandatoryFeatures(stricter), [...adds].sort());
            }
        });

        it(`${p.tier}: each transform mutation of the engine suite is reported as exactly its feature, naming the resource`, async () => {
            const mutations = MUTATIONS.filter(m => m.transform && !m.remove && m.subject
                && (m.programs === undefined ? MATRIX.find(r => r.id === m.feature)?.tiers[p.tier] === "required" : m.programs.includes(p.tier)));
            assert.ok(mutations.length > 0);
            for (const m of mutations) {
                const transform = (m.transform as NonNullable<typeof m.transform>)(PREFIX);
                const r = await programReport(p.tier, p.tier, m.config ? m.config(config) : config, () => applyTransforms([transform]));
                assert.deepStrictEqual(mandatoryFeatures(r), [m.feature], `${m.id}: ${JSON.stringify(r.findings.filter(f => f.level === "mandatory"), null, 1)}`);
                if (m.subject) {
                    const name = m.subject(PREFIX);
                    assert.ok(r.findings.some(f => f.level === "mandatory" && f.message.includes(`"${name}"`)), `${m.id}: no mandatory finding names ${name}`);
                }
            }
        });
    }
});
