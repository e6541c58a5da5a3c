// One realistic break of every feature (a stack transform from the feature's mutations.ts) through
// the Pulumi CLI, on the Isolated environment reference program, which requires every feature:
// `pulumi up --skip-preview` fails with the verdict the check command gives on the same change, and
// a violation the resource policy refuses stops the resource before the provider is asked to
// create it (the stand-in providers' log shows it never was).

import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { FEATURES } from "../../policies/features";
import { Mutation } from "../../fixtures/mutations";
import { RealEngine, REPO } from "../../support/real-engine/cli";
import { applyTransforms } from "../../support/program";
import { decideOnStack } from "../../support/verdicts";
import { runProgramDir } from "../../cli/program/program";
import { PackConfigFile } from "../../policies/core/evaluation/settings";
import { MUTATIONS } from "../e2e/mutations";
import { shown } from "./doors";

const PROGRAM = "isolated-environment";
const DIR = path.join(REPO, "examples", PROGRAM);
const CONFIG = path.join(REPO, "configs", `${PROGRAM}.json`);
/** The example's stack configuration names its resources with this prefix. */
const PREFIX = "dev";

/** Each feature's first mutation that a stack transform makes and that applies to this program. */
function chosen(): Mutation[] {
    return FEATURES.map(f => {
        const m = MUTATIONS.find(x => x.feature === f.id && x.transform !== undefined && x.config === undefined
            && (x.programs === undefined || x.programs.includes(PROGRAM)));
        if (!m) {
            throw new Error(`${f.id} has no mutation made by a stack transform that applies to ${PROGRAM}: add one to its mutations.ts`);
        }
        return m;
    });
}

/** A copy of the program whose entry installs the mutation's transform, then runs the program. */
function mutatedEntry(dir: string, m: Mutation): void {
    const group = fs.readdirSync(path.join(REPO, "policies")).find(g => fs.existsSync(path.join(REPO, "policies", g, m.feature, "mutations.ts")));
    const module = path.join(REPO, "bin/policies", group ?? "", m.feature, "mutations.js");
    fs.writeFileSync(path.join(dir, "mutated.ts"), [
        `import * as pulumi from "@pulumi/pulumi";`,
        `const { mutations } = require(${JSON.stringify(module)});`,
        `const m = mutations.find((x: { id: string }) => x.id === ${JSON.stringify(m.id)});`,
        `pulumi.runtime.registerResourceTransform(m.transform(${JSON.stringify(PREFIX)}));`,
        `require("./index");`,
        "",
    ].join("\n"));
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as Record<string, unknown>;
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ ...pkg, main: "mutated.ts" }, null, 2));
}

describe("real engine: one break of every feature, deployed with pulumi up --skip-preview", () => {
    const engine = new RealEngine(path.join(REPO, "bin/real-engine/mutations"));
    const config = JSON.parse(fs.readFileSync(CONFIG, "utf8")) as PackConfigFile;

    before(async () => {
        engine.adopt((await runProgramDir({ dir: DIR, stack: "dev" })).known);
    });

    for (const m of chosen()) {
        it(`${m.feature}: ${m.id}`, async () => {
            // The check command's verdict on the same change: the program with the transform, known values.
            const runs = await runProgramDir({ dir: DIR, stack: "dev", inProcess: true, beforeRun: () => applyTransforms([m.transform!(PREFIX)]) });
            const expected = decideOnStack(runs.known, { tier: PROGRAM, config }).diagnostics()
                .filter(d => d.enforcementLevel === "mandatory" && d.policyName.startsWith(m.feature));
            const subject = m.subject ? runs.known.resources.find(r => r.name === m.subject!(PREFIX))?.urn : "";
            const verdict = expected.find(d => d.urn === subject);
            assert.ok(verdict, `the check command does not report ${m.feature} as mandatory on ${subject}: ${JSON.stringify(expected)}`);

            const project = await engine.project(DIR, `m-${m.id}`.slice(0, 60), `mutation-${m.id}`);
            mutatedEntry(project.dir, m);
            const before = engine.providerCalls().length;
            const op = await project.up(["--skip-preview", "--policy-pack", REPO, "--policy-pack-config", CONFIG]);
            assert.notStrictEqual(op.status, 0, `the update did not fail:\n${shown(op)}`);
            const stackUrn = (urn: string) => urn.replace(/^urn:pulumi:dev::/, `urn:pulumi:${project.stack}::`);
            const seen = op.policyEvents.find(e => e.enforcementLevel === "mandatory" && e.policyName === verdict.policyName
                && (verdict.urn === "" ? e.resourceUrn?.includes("::pulumi:pulumi:Stack::") : e.resourceUrn === stackUrn(verdict.urn)));
            assert.ok(seen, `no mandatory ${verdict.policyName} on ${verdict.urn || "the stack"}:\n${shown(op)}`);
            if (verdict.policyName.endsWith("-resource")) {
                const created = engine.providerCalls().slice(before).filter(c => c.op === "create").map(c => c.urn);
                assert.ok(!created.includes(stackUrn(verdict.urn)), `${verdict.urn} was created although its resource policy refused it`);
                assert.ok(created.length > 0, "nothing was created before the refused resource: the update never ran");
            }
        });
    }
});
