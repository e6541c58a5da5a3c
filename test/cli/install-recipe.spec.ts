// The Quick start's install as a CI runner repeats it: the README's lines run as written in a new
// project (the pack's tarball from `npm pack`, the plan from a stand-in `pulumi`), then `npm ci` on a
// copy of what the project commits, with an empty npm cache, and the command on that copy.

import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { previewJson } from "../../support/documents";
import { runProgram } from "../../support/program";
import { nativeWorkspace } from "../../fixtures/native";
import { PACK_DIR } from "../harness/global";

const README = fs.readFileSync(path.join(PACK_DIR, "README.md"), "utf8");

/** The indented command block of the Quick start's third use, the check command. */
function quickStartLines(): string[] {
    const block = /\*\*3\. The check command\*\*[^\n]*\n(?:[^\n]+\n)*\n((?: {4}[^\n]*\n)+)/.exec(README);
    assert.ok(block, "no command block under the Quick start's check command");
    return block[1].split("\n").filter(Boolean).map(l => l.slice(4));
}

/** A command line in bash, in `cwd`: its status and output. */
function sh(line: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ status: number | null; out: string }> {
    return new Promise(resolve => {
        const child = spawn("bash", ["-c", line], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        child.stdout.on("data", (b: Buffer) => (out += b.toString("utf8")));
        child.stderr.on("data", (b: Buffer) => (out += b.toString("utf8")));
        child.on("close", status => resolve({ status, out }));
    });
}

describe("the Quick start's install, repeated by `npm ci` on a fresh runner", function () {
    this.timeout(300_000);
    let tmp: string;
    let env: NodeJS.ProcessEnv;
    const lines = quickStartLines();
    const install = lines.find(l => l.startsWith("npm install "));

    before(async () => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dbx-install-"));
        // The clone of the Quick start, holding the tarball `npm pack` writes (--ignore-scripts: the suite has just compiled bin/).
        const clone = path.join(tmp, "databricks-network-policies");
        fs.mkdirSync(clone);
        const packed = await sh(`npm pack --ignore-scripts --pack-destination "${clone}"`, PACK_DIR, process.env);
        assert.strictEqual(packed.status, 0, packed.out);
        // `pulumi preview --json` stands in as a plan of a stack that lacks the back-end endpoint.
        const bin = path.join(tmp, "bin");
        fs.mkdirSync(bin);
        const plan = path.join(tmp, "plan-of-the-stack.json");
        fs.writeFileSync(plan, JSON.stringify(previewJson(await runProgram(() => nativeWorkspace({ backend: "none" }), { preview: true }))));
        fs.writeFileSync(path.join(bin, "pulumi"), `#!/bin/sh\ncat "${plan}"\n`, { mode: 0o755 });
        // A developer's machine: what the npm cache holds is not fetched again (the runner's cache is empty).
        env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`, npm_config_prefer_offline: "true", npm_config_audit: "false", npm_config_fund: "false" };
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    /** A new project in `tmp/<name>`, with these of the README's lines run in it. */
    async function project(name: string, run: readonly string[]): Promise<string> {
        const dir = path.join(tmp, name);
        fs.mkdirSync(dir);
        assert.strictEqual((await sh("npm init -y", dir, env)).status, 0);
        for (const line of run) {
            const r = await sh(line, dir, env);
            assert.strictEqual(r.status, 0, `${line}\n${r.out}`);
        }
        return dir;
    }

    /** A runner's checkout of `files` of the project (nothing beside it), installed by `npm ci` with an empty npm cache. */
    async function runner(from: string, files: readonly string[]): Promise<{ dir: string; status: number | null; out: string }> {
        const dir = path.join(tmp, "runners", path.basename(from));
        fs.mkdirSync(dir, { recursive: true });
        for (const f of files) {
            fs.cpSync(path.join(from, f), path.join(dir, f), { recursive: true });
        }
        const cache = fs.mkdtempSync(path.join(tmp, "empty-cache-"));
        const r = await sh("npm ci", dir, { ...env, npm_config_cache: cache, npm_config_prefer_offline: "false" });
        return { dir, ...r };
    }

    // The lines before the command; `--program` needs the program's own provider SDKs (run in ci-recipe.spec.ts).
    const setup = lines.filter(l => !l.startsWith("npx "));
    const check = lines.find(l => l.startsWith("npx databricks-network-check") && !l.includes("--program"));
    /** Both projects are installed side by side: most of the time is npm's. */
    let asWritten: Promise<{ dir: string; ci: Awaited<ReturnType<typeof runner>> }>;
    let outside: Promise<Awaited<ReturnType<typeof runner>>>;
    before(() => {
        assert.ok(install, lines.join("\n"));
        // What the README says to commit, and the plan the runner's own `pulumi preview` would write.
        asWritten = project("infra", setup).then(async dir => ({ dir, ci: await runner(dir, ["vendor", "package.json", "package-lock.json", "plan.json"]) }));
        // The former recipe's line; its lock file is all a runner gets (--package-lock-only writes just that).
        outside = project("outside", [`${install.replace(/\.\/vendor\//, "../databricks-network-policies/")} --package-lock-only`]).then(dir => runner(dir, ["package.json", "package-lock.json"]));
        // Each test awaits its own; a failure is reported there.
        asWritten.catch(() => undefined);
        outside.catch(() => undefined);
    });

    it("installs the tarball inside the project; `npm ci` with an empty cache installs it again and the command runs", async () => {
        assert.ok(check, lines.join("\n"));
        assert.deepStrictEqual(setup.slice(-1), ["pulumi preview --json --show-sames > plan.json"]);
        const { dir, ci } = await asWritten;
        const lock = fs.readFileSync(path.join(dir, "package-lock.json"), "utf8");
        assert.match(lock, /"resolved": "file:vendor\/azure-databricks-network-policies-\d+\.\d+\.\d+\.tgz"/);
        assert.strictEqual(ci.status, 0, ci.out);
        const r = await sh(check, ci.dir, env);
        // The stack lacks the back-end private endpoint: exit status 1, with the report.
        assert.strictEqual(r.status, 1, r.out);
        assert.match(r.out, /^Readiness: /m);
        assert.match(r.out, /classic-compute-private-link/);
    });

    it("a tarball outside the project, as the lock file records it, fails `npm ci` on that runner", async () => {
        const ci = await outside;
        assert.notStrictEqual(ci.status, 0, ci.out);
        assert.match(ci.out, /ENOENT[\s\S]*databricks-network-policies[/\\]azure-databricks-network-policies-[\d.]+\.tgz/);
    });
});
