// The commands each reference program's README gives, run as written: `pulumi preview
// --policy-pack <pack> --policy-pack-config <file>` (the pack driven over gRPC as the engine drives
// it, with that file's content and nothing else) and the offline `npm run check -- …` form. Each
// must check the program's own tier, and pass it.

import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { FEATURES } from "../../policies/features";
import { requirement, TierId } from "../../policies/matrix";
import { Diagnostic } from "../../support/engine";
import { PackConfigFile } from "../../policies/core/evaluation/settings";
import { thePack } from "../harness/global";
import { runCommand } from "../harness/command";
import { PROGRAMS, REPO_DIR } from "./programs";
import { recorded } from "./recordings";
import { decideOnStack } from "../../support/verdicts";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const Ajv = require("ajv");

/** The lines of the README's `sh` blocks. */
function shellLines(readme: string): string[] {
    return [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap(m => m[1].split("\n")).map(l => l.replace(/\s+#.*$/, "").trim()).filter(Boolean);
}

function exampleDir(tier: TierId): string {
    return path.join(REPO_DIR, "examples", tier);
}

describe("each example README's commands check and pass its tier", function () {
    this.timeout(300_000);

    after(async () => {
        // Leave the shared pack in a valid state for the next suite.
        await thePack().configure({});
    });

    for (const p of PROGRAMS) {
        const dir = exampleDir(p.tier);
        const lines = shellLines(fs.readFileSync(path.join(dir, "README.md"), "utf8"));

        it(`${p.tier}: pulumi preview --policy-pack … --policy-pack-config, as the engine runs it`, async () => {
            const preview = lines.find(l => l.startsWith("pulumi preview "));
            assert.ok(preview, `${p.tier}: the README gives no pulumi preview command`);
            const words = preview.split(/\s+/);
            const at = words.indexOf("--policy-pack-config");
            assert.ok(at > 0, `${p.tier}: ${preview} passes no --policy-pack-config`);
            // The file as the README names it, relative to the program's directory, sent as it is.
            const file = JSON.parse(fs.readFileSync(path.join(dir, words[at + 1]), "utf8")) as PackConfigFile;
            for (const preview of [false, true]) {
                const stack = await recorded(p, preview ? "preview" : "update");
                const pack = thePack();
                await pack.configureStack({ dryRun: preview });
                await pack.configure(file);
                const diagnostics: Diagnostic[] = [];
                for (const r of stack.resources) {
                    diagnostics.push(...(await pack.analyze(r, stack.resources)).diagnostics);
                }
                const result = await pack.analyzeStack(stack);
                diagnostics.push(...result.diagnostics);
                const dump = diagnostics.map(d => `[${d.enforcementLevel}] ${d.policyName}: ${d.message.split("\n")[0]}`).join("\n");
                assert.deepStrictEqual(diagnostics.filter(d => d.enforcementLevel === "mandatory"), [], dump);
                // Checked at its own tier: every message names it (a program may have nothing to
                // report: the tier the file sets is the verdict's), every feature the tier requires is judged.
                assert.ok(diagnostics.every(d => d.message.includes(`(tier ${p.tier})`)), dump);
                assert.strictEqual(decideOnStack(stack, { pack: {}, config: file }).verdict.tier, p.tier);
                for (const f of FEATURES.filter(x => requirement(x.id, p.tier) === "required")) {
                    assert.strictEqual(result.notApplicable.find(n => n.policyName === f.id), undefined, `${p.tier}: ${f.id} not judged`);
                }
            }
        });

        it(`${p.tier}: its configuration file passes the Pulumi CLI's validation against each policy's schema`, async () => {
            // As validatePolicyPackConfig in pulumi/pulumi pkg/resource/analyzer/config.go: every key
            // is a policy of the pack, its properties valid against {type: object, properties}.
            const file = JSON.parse(fs.readFileSync(path.join(dir, "policy-pack-config.json"), "utf8")) as Record<string, Record<string, unknown>>;
            const info = await thePack().info();
            const ajv = new Ajv({ allErrors: true });
            for (const [name, value] of Object.entries(file)) {
                const policy = info.policies.find(x => x.name === name);
                assert.ok(policy, `${name} is not a policy of the pack`);
                const { enforcementLevel: _level, ...props } = value;
                const valid = ajv.validate({ type: "object", properties: policy.configSchema?.properties ?? {} }, props) as boolean;
                assert.ok(valid, `${name}: ${ajv.errorsText()}`);
            }
        });

        it(`${p.tier}: the offline npm run check command`, async () => {
            const offline = lines.find(l => l.startsWith("npm run check -- "));
            assert.ok(offline, `${p.tier}: the README gives no offline check command`);
            // Run from the pack's directory, as the README says.
            const args = offline.slice("npm run check -- ".length).split(/\s+/).map(a => (a.startsWith("examples/") ? path.join(REPO_DIR, a) : a));
            const r = await runCommand([...args, "--format", "json"]);
            assert.strictEqual(r.code, 0, r.err || r.out);
            const report = JSON.parse(r.out) as { tier: string; summary: { mandatory: number }; features: { id: string; notApplicable?: string }[] };
            assert.strictEqual(report.tier, p.tier);
            assert.strictEqual(report.summary.mandatory, 0);
            for (const f of FEATURES.filter(x => requirement(x.id, p.tier) === "required")) {
                assert.strictEqual(report.features.find(x => x.id === f.id)?.notApplicable, undefined, `${p.tier}: ${f.id} not judged`);
            }
        });
    }
});
