// How the Pulumi CLI configures the pack: a misspelled policy, a wrong level and a wrong tier in
// `--policy-pack-config` are refused as the README says; the stack tag raises the tier; and each
// per-tier pack of `npm run build:packs`, packed and installed as the engine installs a published
// pack, enforces its tier with no configuration at all.

import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TIERS } from "../../policies/matrix";
import { TIER_TAG } from "../../policies/core/evaluation/config";
import { Project, RealEngine, REPO } from "../../support/real-engine/cli";
import { buildPack, packSpecs } from "../../support/tier-packs";
import { runProgramDir } from "../../cli/program/program";
import { checkProgram, engineVerdicts, previewVerdicts, shown } from "./doors";

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

describe("real engine: configuration and the per-tier packs", () => {
    const engine = new RealEngine(path.join(REPO, "bin/real-engine/configuration"));
    const dir = path.join(REPO, "examples", "isolated-environment");
    let project: Project;

    before(async () => {
        engine.adopt((await runProgramDir({ dir, stack: "dev" })).known);
        project = await engine.project(dir, "dev");
    });

    function configFile(name: string, doc: unknown): string {
        const file = path.join(engine.root, name);
        fs.writeFileSync(file, JSON.stringify(doc));
        return file;
    }

    it("a misspelled policy is refused by the pack's Configure, naming the nearest policy", async () => {
        const op = await project.preview(["--policy-pack", REPO, "--policy-pack-config", configFile("typo.json", { "acount-ip-access-lists": "mandatory" })]);
        assert.notStrictEqual(op.status, 0, shown(op));
        assert.match(op.stdout + op.stderr, /"acount-ip-access-lists" is not a policy of this pack; did you mean "account-ip-access-lists"\?/, shown(op));
        assert.deepStrictEqual(op.policyEvents, [], "a refused configuration ran policies");
    });

    it("a level outside the enum is refused by the CLI before the pack starts judging", async () => {
        const op = await project.preview(["--policy-pack", REPO, "--policy-pack-config", configFile("level.json", { "external-firewall": "mandatroy" })]);
        assert.notStrictEqual(op.status, 0, shown(op));
        assert.match(op.stdout + op.stderr, /"mandatroy" is not a valid enforcement level/, shown(op));
        assert.deepStrictEqual(op.policyEvents, []);
    });

    it("a tier outside the three is refused by the CLI's validation against the policy's schema", async () => {
        const op = await project.preview(["--policy-pack", REPO, "--policy-pack-config", configFile("tier.json", { "all-features": { tier: "isolated-enviroment" } })]);
        assert.notStrictEqual(op.status, 0, shown(op));
        assert.match(op.stdout + op.stderr, /all-features: tier: tier must be one of the following: "managed-security", "hardened-connectivity", "isolated-environment"/, shown(op));
        assert.deepStrictEqual(op.policyEvents, []);
    });

    it(`the stack tag ${TIER_TAG} raises the tier of a run configured for a lower one`, async () => {
        // The managed-security program lacks what isolated-environment requires.
        const lower = path.join(REPO, "examples", "managed-security");
        const tagged = await engine.project(lower, "tagged", "managed-security-tagged");
        const set = await tagged.run(["stack", "tag", "set", TIER_TAG, "isolated-environment"]);
        assert.strictEqual(set.status, 0, `${set.stdout}${set.stderr}`);
        const op = await tagged.preview(["--policy-pack", REPO, "--policy-pack-config", path.join(REPO, "configs", "managed-security.json")]);
        // The command records one program at a time.
        const check = await checkProgram(lower, "dev", "managed-security", ["--stack-tag", `${TIER_TAG}=isolated-environment`]);
        const untagged = await checkProgram(lower, "dev", "managed-security");
        const rename = (v: string) => v.replace("urn:pulumi:tagged::", "urn:pulumi:dev::");
        assert.deepStrictEqual(engineVerdicts(op.policyEvents).map(rename), previewVerdicts(check), shown(op));
        // The tag changed the verdicts: isolated-environment requires what managed-security does not.
        assert.notDeepStrictEqual(previewVerdicts(check), previewVerdicts(untagged));
    });

    describe("the per-tier packs, packed and installed as the engine installs a published pack", () => {
        const installed = new Map<string, string>();

        before(function () {
            this.timeout(600_000);
            const out = path.join(engine.root, "packs");
            // Outside the repository, so that the pack resolves only what its own install put there.
            const home = fs.mkdtempSync(path.join(fs.existsSync("/dev/shm") ? "/dev/shm" : os.tmpdir(), "dbx-tier-packs-"));
            for (const spec of packSpecs()) {
                const built = buildPack(spec, out);
                const tarball = execFileSync(NPM, ["pack", "--silent", "--pack-destination", out], { cwd: built, encoding: "utf8" }).trim().split("\n").pop()!;
                const target = path.join(home, spec.tier);
                fs.mkdirSync(target);
                execFileSync("tar", ["-xzf", path.join(out, tarball), "-C", target]);
                // The engine runs `npm install` in the extracted `package/` folder; offline here, from
                // the cache this repository's install filled.
                const pkg = path.join(target, "package");
                execFileSync(NPM, ["install", "--offline", "--no-audit", "--no-fund"], { cwd: pkg, stdio: "ignore" });
                installed.set(spec.tier, pkg);
            }
        });

        for (const tier of TIERS) {
            it(`the ${tier} pack enforces ${tier} with no configuration`, async () => {
                const [op, check] = await Promise.all([
                    project.preview(["--policy-pack", installed.get(tier)!]),
                    checkProgram(dir, "dev", tier),
                ]);
                assert.ok(op.policyEvents.every(e => e.policyPackName === `azure-databricks-network-${tier}`), shown(op));
                assert.deepStrictEqual(engineVerdicts(op.policyEvents), previewVerdicts(check), shown(op));
            });
        }
    });
});
