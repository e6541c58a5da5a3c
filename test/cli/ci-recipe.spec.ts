// The README's commands as written: its GitHub Actions workflow, run step by step with stand-ins for
// the Pulumi CLI and GitHub's API (the check command itself is the real one), and every
// `databricks-network-check` command line of its code blocks.

import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import YAML from "yaml";
import * as resources from "@pulumi/azure-native/resources";
import { previewJson, stackExport } from "../../support/documents";
import { PACK_DIR } from "../harness/global";
import { runProgram } from "../../support/program";
import { nativeWorkspace } from "../../fixtures/native";
import { COMMENT_MARKER } from "../../cli/formats/markdown";
import { runCommand } from "../harness/command";

const README = fs.readFileSync(path.join(PACK_DIR, "README.md"), "utf8");
const WORKFLOW_FILE = path.join(PACK_DIR, "docs", "ci", "databricks-network.yml");
const MAIN = path.join(PACK_DIR, "bin", "cli", "main.js");

interface Step {
    id?: string;
    name?: string;
    uses?: string;
    run?: string;
    if?: string;
    env?: Record<string, string>;
    with?: Record<string, string>;
    "working-directory"?: string;
}
interface Workflow {
    permissions: Record<string, string>;
    jobs: { check: { env: Record<string, string>; defaults: { run: { "working-directory": string } }; steps: Step[] } };
}

/** The fenced code blocks of a Markdown text, with their language. */
function fences(md: string): { lang: string; body: string }[] {
    return [...md.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map(m => ({ lang: m[1], body: m[2] }));
}

/** Command lines of the indented and fenced shell blocks, continuation lines joined. */
function commandLines(md: string): string[] {
    const out: string[] = [];
    const lines = md.split("\n");
    let inFence = false;
    for (let i = 0; i < lines.length; i++) {
        if (lines[i].startsWith("```")) {
            inFence = !inFence;
            continue;
        }
        if (inFence || !/^ {4}\S/.test(lines[i]) || (i > 0 && lines[i - 1].trim() !== "" && !/^ {4}/.test(lines[i - 1]))) {
            continue;
        }
        for (let j = i; j < lines.length && /^ {4}/.test(lines[j]); j++) {
            let line = lines[j].slice(4);
            while (line.endsWith("\\") && j + 1 < lines.length) {
                line = line.slice(0, -1) + lines[++j].trim();
            }
            out.push(line.replace(/\s+#.*$/, "").trim());
            i = j;
        }
    }
    return out;
}

/** A minimal shell word splitter: the README's commands quote nothing but plain strings. */
function words(line: string): string[] {
    return [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map(m => m[1] ?? m[2] ?? m[3]);
}

describe("the README's commands, run as written", function () {
    this.timeout(300_000);
    let tmp: string;
    let failingPlan: string;
    let passingPlan: string;

    before(async () => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dbx-recipe-"));
        failingPlan = path.join(tmp, "failing-plan.json");
        fs.writeFileSync(failingPlan, JSON.stringify(previewJson(await runProgram(() => nativeWorkspace({ backend: "none", noPublicIp: false }), { preview: true }))));
        passingPlan = path.join(tmp, "passing-plan.json");
        fs.writeFileSync(passingPlan, JSON.stringify(previewJson(await runProgram(() => new resources.ResourceGroup("rg", { location: "westeurope" }), { preview: true }))));
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    describe("the GitHub Actions workflow", () => {
        const block = fences(README).find(f => f.lang === "yaml" && f.body.includes("databricks-network-check"));
        const workflow = YAML.parse(fs.readFileSync(WORKFLOW_FILE, "utf8")) as Workflow;
        const job = workflow.jobs.check;

        it("is the file docs/ci/databricks-network.yml, word for word", () => {
            assert.ok(block, "no workflow in the README");
            assert.strictEqual(block.body, fs.readFileSync(WORKFLOW_FILE, "utf8"));
        });

        it("spells out the identity the Azure providers and Pulumi Cloud need", () => {
            assert.strictEqual(workflow.permissions["id-token"], "write");
            assert.strictEqual(workflow.permissions["pull-requests"], "write");
            assert.strictEqual(workflow.permissions["security-events"], "write");
            assert.strictEqual(job.env.ARM_USE_OIDC, "true");
            for (const v of ["ARM_CLIENT_ID", "ARM_TENANT_ID", "ARM_SUBSCRIPTION_ID", "PULUMI_ACCESS_TOKEN"]) {
                assert.match(job.env[v] ?? "", /^\$\{\{ (secrets|vars)\.[A-Z_]+ \}\}$/, v);
            }
        });

        it("runs the check command once, for every format", () => {
            const checks = job.steps.filter(s => s.run?.includes("npx databricks-network-check"));
            assert.strictEqual(checks.length, 1);
            assert.strictEqual((checks[0].run?.match(/npx databricks-network-check/g) ?? []).length, 1);
            assert.deepStrictEqual([...(checks[0].run ?? "").matchAll(/--output (\w+)=/g)].map(m => m[1]).sort(), ["json", "markdown", "sarif"]);
        });

        /** The pull request the job runs on, and how its stand-ins behave. */
        interface PullRequest {
            /** What the stand-in `pulumi preview` writes, and its exit status. */
            plan: string;
            pulumiStatus: number;
            /** The stand-in GitHub's comments, kept across runs of the job. */
            state: string;
            /** From a fork: no secrets, a read-only token. */
            fork?: boolean;
            /** Exit status of `npm ci`. */
            npmStatus?: number;
        }

        /** GitHub's expressions this workflow uses, with fixed values for the context. */
        function expand(text: string, outputs: Map<string, Map<string, string>>, pr: PullRequest, workspace: string): string {
            return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_m, expr: string) => {
                const step = /^steps\.(\w+)\.outputs\.(\w+)$/.exec(expr);
                if (step) {
                    return outputs.get(step[1])?.get(step[2]) ?? "";
                }
                const fixed: Record<string, string> = {
                    "github.token": "ghs_test", "github.event.pull_request.number": "7", "github.workspace": workspace,
                    "github.event.pull_request.head.repo.fork": String(pr.fork === true),
                };
                if (expr in fixed) {
                    return fixed[expr];
                }
                // A run for a fork gets an empty string for every secret.
                if (/^(secrets|vars)\.\w+$/.test(expr)) {
                    return pr.fork && expr.startsWith("secrets.") ? "" : `value-of-${expr}`;
                }
                throw new Error(`unexpected expression ${expr}`);
            });
        }

        /**
         * Whether a step runs: no condition (every earlier step succeeded), or always() joined by &&
         * with hashFiles() tests and the fork flag.
         */
        function runs(step: Step, workspace: string, failed: boolean, pr: PullRequest): boolean {
            if (step.if === undefined) {
                return !failed;
            }
            assert.match(step.if, /^always\(\)/, `step "${step.name ?? step.uses}" must run after a failure`);
            return step.if.split(" && ").every(term => {
                const file = /^hashFiles\('([^']+)'\) != ''$/.exec(term);
                if (file) {
                    return fs.existsSync(path.join(workspace, file[1]));
                }
                const fork = /^(!?)github\.event\.pull_request\.head\.repo\.fork$/.exec(term);
                if (fork) {
                    return (pr.fork === true) !== (fork[1] === "!");
                }
                assert.strictEqual(term, "always()", `unexpected condition ${term}`);
                return true;
            });
        }

        interface JobResult { failed: boolean; log: string[]; output: Map<string, string>; comments: Map<string, string>; calls: string[] }

        /** Runs the job on a pull request: run steps in bash with stand-ins for pulumi, npm, npx and gh. */
        function runJob(pr: PullRequest): JobResult {
            const workspace = fs.mkdtempSync(path.join(tmp, "ws-"));
            const dir = path.join(workspace, job.defaults.run["working-directory"]);
            fs.mkdirSync(dir);
            const bin = path.join(tmp, "bin");
            if (!fs.existsSync(bin)) {
                fs.mkdirSync(bin);
                // Without an access token the Pulumi CLI cannot log in, as in a run for a fork.
                fs.writeFileSync(path.join(bin, "pulumi"), `#!/bin/sh\necho "pulumi $*" >> "$CALLS"
[ -n "$PULUMI_ACCESS_TOKEN" ] || { echo "error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions" >&2; exit 255; }
cat "$FAKE_PLAN"\nexit "$FAKE_PULUMI_STATUS"\n`, { mode: 0o755 });
                fs.writeFileSync(path.join(bin, "npm"), `#!/bin/sh\necho "npm $*" >> "$CALLS"\nexit "$FAKE_NPM_STATUS"\n`, { mode: 0o755 });
                fs.writeFileSync(path.join(bin, "npx"), `#!/bin/sh\n[ "$1" = databricks-network-check ] || exit 127\nshift\nexec "${process.execPath}" "${MAIN}" "$@"\n`, { mode: 0o755 });
                // GitHub's comments API, kept in a JSON file: list (with the workflow's jq filter), create, edit.
                fs.writeFileSync(path.join(bin, "gh"), `#!${process.execPath}
const fs = require("fs");
const args = process.argv.slice(2);
fs.appendFileSync(process.env.CALLS, "gh " + args.join(" ") + "\\n");
const db = fs.existsSync(process.env.GH_STATE) ? JSON.parse(fs.readFileSync(process.env.GH_STATE, "utf8")) : { next: 100, comments: {} };
const method = args.includes("--method") ? args[args.indexOf("--method") + 1] : "GET";
const url = args.find(a => a.startsWith("repos/"));
const body = () => fs.readFileSync(args[args.indexOf("-F") + 1].replace(/^body=@/, ""), "utf8");
if (!process.env.GH_TOKEN) { console.error("gh: not logged in"); process.exit(4); }
if (method !== "GET" && process.env.GH_READ_ONLY) { console.error("gh: HTTP 403: Resource not accessible by integration"); process.exit(1); }
if (method === "GET") {
    if (!/--jq/.test(args.join(" ")) || !args.includes("--paginate")) process.exit(3);
    for (const [id, b] of Object.entries(db.comments)) if (b.includes("${COMMENT_MARKER}")) console.log(id);
} else if (method === "POST" && /issues\\/7\\/comments$/.test(url)) {
    db.comments[String(db.next++)] = body();
} else if (method === "PATCH" && /issues\\/comments\\/(\\d+)$/.test(url) && url.split("/").pop() in db.comments) {
    db.comments[url.split("/").pop()] = body();
} else { console.error("gh: unexpected " + args.join(" ")); process.exit(1); }
fs.writeFileSync(process.env.GH_STATE, JSON.stringify(db));
`, { mode: 0o755 });
            }
            const calls = path.join(workspace, "calls.log");
            fs.writeFileSync(calls, "");
            const outputs = new Map<string, Map<string, string>>();
            const log: string[] = [];
            const output = new Map<string, string>();
            let failed = false;
            for (const step of job.steps) {
                if (!runs(step, workspace, failed, pr)) {
                    continue;
                }
                if (step.uses !== undefined) {
                    const w = step.with ?? {};
                    if (step.uses.startsWith("github/codeql-action/upload-sarif")) {
                        assert.ok(!pr.fork, "a run for a fork has a read-only token: the upload would be refused");
                        const sarif = JSON.parse(fs.readFileSync(path.join(workspace, w.sarif_file), "utf8")) as { version: string };
                        assert.strictEqual(sarif.version, "2.1.0");
                    } else if (step.uses.startsWith("actions/upload-artifact")) {
                        for (const p of w.path.trim().split("\n")) {
                            assert.ok(fs.existsSync(path.join(workspace, p.trim())), `artifact ${p} missing`);
                        }
                    }
                    log.push(`uses ${step.uses}`);
                    continue;
                }
                const outFile = path.join(workspace, `output-${log.length}`);
                fs.writeFileSync(outFile, "");
                const env: NodeJS.ProcessEnv = {
                    PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`, HOME: process.env.HOME,
                    GITHUB_OUTPUT: outFile, GITHUB_WORKSPACE: workspace, GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "acme/infra", GITHUB_RUN_ID: "42",
                    CALLS: calls, GH_STATE: pr.state, FAKE_PLAN: pr.plan, FAKE_PULUMI_STATUS: String(pr.pulumiStatus), FAKE_NPM_STATUS: String(pr.npmStatus ?? 0),
                    ...(pr.fork ? { GH_READ_ONLY: "1" } : {}),
                };
                for (const [k, v] of Object.entries({ ...job.env, ...(step.env ?? {}) })) {
                    env[k] = expand(String(v), outputs, pr, workspace);
                }
                // GitHub runs a step's script as `bash --noprofile --norc -eo pipefail {0}`.
                const script = path.join(workspace, `step-${log.length}.sh`);
                fs.writeFileSync(script, expand(step.run ?? "", outputs, pr, workspace));
                const cwd = step["working-directory"] === undefined ? dir : path.resolve(workspace, expand(step["working-directory"], outputs, pr, workspace));
                const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], { cwd, env, encoding: "utf8" });
                log.push(`${step.name ?? step.run}: exit ${r.status}${r.stderr ? ` (${r.stderr.trim().split("\n").pop()})` : ""}`);
                output.set(step.name ?? step.run ?? "", r.stdout + r.stderr);
                if (step.id) {
                    outputs.set(step.id, new Map(fs.readFileSync(outFile, "utf8").split("\n").filter(Boolean).map(l => l.split("=") as [string, string])));
                }
                failed = failed || r.status !== 0;
            }
            const db = fs.existsSync(pr.state) ? JSON.parse(fs.readFileSync(pr.state, "utf8")) as { comments: Record<string, string> } : { comments: {} };
            return { failed, log, output, comments: new Map(Object.entries(db.comments)), calls: fs.readFileSync(calls, "utf8").trim().split("\n") };
        }

        const LAST = "Fail on a failed step, plan or check, saying which";
        /** What the last step wrote, as GitHub shows its annotations. */
        const verdict = (r: JobResult) => r.output.get(LAST) ?? "";

        it("on a pull request whose plan fails on a mandatory policy: reports, comments once, updates that comment, fails at the end", () => {
            const state = path.join(tmp, "gh-failing.json");
            // Pulumi Cloud's enforcement of the pack makes `pulumi preview` exit 255 after writing the plan.
            const first = runJob({ plan: failingPlan, pulumiStatus: 255, state });
            assert.ok(first.failed, first.log.join("\n"));
            assert.match(first.log[first.log.length - 1], new RegExp(`^${LAST}: exit 1`), first.log.join("\n"));
            assert.strictEqual(verdict(first), "::error::pulumi preview failed (status 255); the step \"Plan\" shows why\n::error::The plan has mandatory policy violations (the check's report lists them)\n");
            assert.ok(first.log.includes("uses github/codeql-action/upload-sarif@v3"), first.log.join("\n"));
            assert.ok(first.log.includes("uses actions/upload-artifact@v4"), first.log.join("\n"));
            assert.deepStrictEqual([...first.comments.keys()], ["100"]);
            const comment = first.comments.get("100") ?? "";
            assert.match(comment, /^### Azure Databricks network check: ❌ failed/);
            assert.ok(comment.length < 65_536);
            assert.ok(first.calls.includes("pulumi preview --stack acme/prod --json --show-sames"), first.calls.join("\n"));
            assert.ok(first.calls.some(c => c.startsWith("gh api --method POST repos/acme/infra/issues/7/comments")), first.calls.join("\n"));
            // The next push edits the same comment.
            const second = runJob({ plan: failingPlan, pulumiStatus: 255, state });
            assert.ok(second.failed);
            assert.deepStrictEqual([...second.comments.keys()], ["100"]);
            assert.ok(second.calls.some(c => c.startsWith("gh api --method PATCH repos/acme/infra/issues/comments/100")), second.calls.join("\n"));
        });

        it("on a pull request whose plan passes: the job passes and the comment says so", () => {
            const r = runJob({ plan: passingPlan, pulumiStatus: 0, state: path.join(tmp, "gh-passing.json") });
            assert.ok(!r.failed, r.log.join("\n"));
            assert.strictEqual(verdict(r), "");
            assert.match(r.comments.get("100") ?? "", /^### Azure Databricks network check: ✅ passed/);
        });

        it("when the check cannot run (status 2), the comment says so instead of keeping the last push's verdict", () => {
            const state = path.join(tmp, "gh-error.json");
            assert.ok(!runJob({ plan: passingPlan, pulumiStatus: 0, state }).failed);
            const empty = path.join(tmp, "empty-plan.json");
            fs.writeFileSync(empty, "");
            const r = runJob({ plan: empty, pulumiStatus: 255, state });
            assert.ok(r.failed);
            assert.match(r.log.find(l => l.startsWith("Check the plan")) ?? "", /exit 0/);
            assert.match(r.log[r.log.length - 1], new RegExp(`^${LAST}: exit 1`));
            assert.strictEqual(verdict(r), "::error::pulumi preview failed (status 255); the step \"Plan\" shows why\n::error::The check could not run (status 2); the step \"Check the plan\" shows why\n");
            assert.deepStrictEqual([...r.comments.keys()], ["100"]);
            const comment = r.comments.get("100") ?? "";
            assert.match(comment, /^### Azure Databricks network check: ⚠️ could not run\n\nThe check of this push stopped with status 2, so it gives no verdict:\n\n> databricks-network-check: plan\.json: the file is empty/);
            assert.ok(comment.includes("https://github.com/acme/infra/actions/runs/42"), comment);
            assert.ok(comment.trimEnd().endsWith(COMMENT_MARKER), comment);
            assert.doesNotMatch(comment, /passed/);
        });

        it("when a step before the plan fails (npm ci), says so rather than blaming the plan", () => {
            const r = runJob({ plan: passingPlan, pulumiStatus: 0, state: path.join(tmp, "gh-npm.json"), npmStatus: 1 });
            assert.ok(r.failed);
            assert.ok(!r.calls.some(c => c.startsWith("pulumi")), r.calls.join("\n"));
            assert.match(r.log[r.log.length - 1], new RegExp(`^${LAST}: exit 1$`), r.log.join("\n"));
            assert.strictEqual(verdict(r), "::error::No plan was made: a step before it failed (checkout, setup or npm ci); its log says why\n");
        });

        it("on a pull request from a fork (no secrets, read-only token): skips comment and upload with a notice, and names the failed plan", () => {
            const r = runJob({ plan: failingPlan, pulumiStatus: 0, state: path.join(tmp, "gh-fork.json"), fork: true });
            assert.ok(r.failed);
            assert.ok(!r.log.includes("uses github/codeql-action/upload-sarif@v3"), r.log.join("\n"));
            assert.ok(!r.log.some(l => l.startsWith("Comment on the pull request")), r.log.join("\n"));
            assert.ok(!r.calls.some(c => c.startsWith("gh ")), r.calls.join("\n"));
            assert.match(r.output.get("Plan") ?? "", /PULUMI_ACCESS_TOKEN must be set/);
            assert.strictEqual(verdict(r), [
                "::notice::This pull request comes from a fork: GitHub gives its run no secrets and a read-only token, so the plan has no Pulumi or Azure credentials and the comment and code-scanning upload are skipped",
                "::error::pulumi preview failed (status 255); the step \"Plan\" shows why",
                "::error::The check could not run (status 2); the step \"Check the plan\" shows why",
                "",
            ].join("\n"));
        });

        it("writes the report's own comment marker in the comment of a check that could not run", () => {
            const check = job.steps.find(st => st.id === "check")?.run ?? "";
            assert.ok(check.includes(`"${COMMENT_MARKER}"`), check);
        });
    });

    describe("the command lines of its code blocks", () => {
        const lines = [...new Set(commandLines(README).filter(l => /^(npx databricks-network-check|npm run check --) /.test(l)))];

        it("are found", () => {
            assert.ok(lines.length >= 6, lines.join("\n"));
        });

        it("install the tarball `npm pack` writes for this version", () => {
            const pkg = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")) as { name: string; version: string };
            const installs = commandLines(README).filter(l => l.startsWith("npm install --save-dev "));
            assert.ok(installs.length > 0);
            for (const l of installs) {
                assert.ok(l.endsWith(`/${pkg.name}-${pkg.version}.tgz`), l);
            }
        });

        /** A user's project: the Hardened connectivity program, a plan and a state file of a failing stack. */
        function project(): string {
            const dir = path.join(tmp, "my-infra");
            if (!fs.existsSync(dir)) {
                fs.cpSync(path.join(PACK_DIR, "examples", "hardened-connectivity"), dir, { recursive: true });
                fs.copyFileSync(path.join(dir, "Pulumi.dev.yaml"), path.join(dir, "Pulumi.prod.yaml"));
                fs.symlinkSync(path.join(PACK_DIR, "node_modules"), path.join(dir, "node_modules"), "dir");
                fs.copyFileSync(failingPlan, path.join(dir, "plan.json"));
            }
            return dir;
        }

        before(async () => {
            const dir = project();
            fs.writeFileSync(path.join(dir, "state.json"), JSON.stringify(stackExport(await runProgram(() => nativeWorkspace({ backend: "none" }), { preview: false }))));
        });

        // One line runs as the installed command (`node bin/cli/main.js` in a process of its own); the
        // others run the same command in this process, in the same directory, their programs too
        // (test/cli/program-failures.spec.ts and program-typecheck.spec.ts run programs in processes of their own).
        const spawned = lines.find(l => l.startsWith("npx ") && !l.includes("--program"));

        for (const line of lines) {
            it(line, async () => {
                // `npm run check --` is the package's own script, run in the pack's directory; `npx` runs the installed command in the project.
                const [cwd, args] = line.startsWith("npm run check -- ") ? [PACK_DIR, words(line).slice(4)] : [project(), words(line).slice(2)];
                // Pulumi's default: a TypeScript program is type-checked first (so the reference program's line shows one passes).
                const env = { ...process.env };
                delete env.PULUMI_NODEJS_TRANSPILE_ONLY;
                let r: { status: number | null; stdout: string; stderr: string };
                if (line === spawned) {
                    r = spawnSync(process.execPath, [MAIN, ...args], { cwd, encoding: "utf8", env });
                } else {
                    const was = process.cwd();
                    process.chdir(cwd);
                    try {
                        const c = await runCommand(args, env);
                        r = { status: c.code, stdout: c.out, stderr: c.err };
                    } finally {
                        process.chdir(was);
                    }
                }
                // The Hardened program run in its own project meets its tier (exit 0); the plan and state
                // fixtures, and the program judged at a stricter tier, fail a mandatory feature (exit 1).
                const meetsItsTier = args.includes("--program") && args.includes("hardened-connectivity") && cwd !== PACK_DIR;
                assert.strictEqual(r.status, meetsItsTier ? 0 : 1, `${r.stderr}\n${r.stdout.slice(-500)}`);
                assert.ok(r.stdout.length > 0 || args.includes("--output") || args.some(a => a.startsWith("--output")), r.stderr);
            });
        }

        it("include a line run as the installed command", () => {
            assert.ok(spawned, lines.join("\n"));
        });
    });
});
