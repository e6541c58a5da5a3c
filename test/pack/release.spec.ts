// Install and release: a compile error fails the install, the packed package carries its compiled
// output, the per-tier packs carry the package's version and the tested dependency tree, and one
// command publishes them.

import * as assert from "assert";
import { spawn, spawnSync } from "child_process";
import { builtinModules } from "module";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildPack, loadedModules, Lockfile, packSpecs, resolveIn } from "../../support/tier-packs";
import { changelogDescribes } from "../../support/release";
import { PackProcess } from "../../support/engine";
import { PACK_DIR } from "../harness/global";

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const rootPkg = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")) as {
    version: string; dependencies: Record<string, string>;
};

function npm(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
    return spawnSync(NPM, args, { cwd, encoding: "utf8", env });
}

/** `npm <args>` in the background: its status and standard error once it ends. */
function npmInBackground(args: string[], cwd: string): Promise<{ status: number | null; stderr: string }> {
    return new Promise(resolve => {
        const child = spawn(NPM, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        child.stderr.on("data", (b: Buffer) => (stderr += b.toString("utf8")));
        child.on("error", e => resolve({ status: null, stderr: e.message }));
        child.on("close", status => resolve({ status, stderr }));
    });
}

describe("install and release", () => {
    let tmp: string;
    /** The per-tier packs, built once. */
    let dirs: string[];
    /** `npm ci` of one tier's pack, the slowest step: it runs while the other tests of this file do. */
    let installed: Promise<{ status: number | null; stderr: string }>;
    before(() => {
        // In memory where the system offers it: the install writes about 10 000 files.
        tmp = fs.mkdtempSync(path.join(fs.existsSync("/dev/shm") ? "/dev/shm" : os.tmpdir(), "dbx-release-"));
        dirs = packSpecs().map(s => buildPack(s, path.join(tmp, "packs")));
        // Offline: the packages come from npm's cache, filled when this repository was installed.
        installed = npmInBackground(["ci", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"], dirs[1]);
    });
    after(async () => {
        await installed;
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    describe("prepare", () => {
        /** The project's own package.json, tsconfig and prepare script around one source file. */
        function project(name: string, source: string | undefined): string {
            const dir = path.join(tmp, name);
            fs.mkdirSync(path.join(dir, "scripts"), { recursive: true });
            for (const f of ["package.json", "scripts/prepare.js"]) {
                fs.copyFileSync(path.join(PACK_DIR, f), path.join(dir, f));
            }
            if (source !== undefined) {
                fs.copyFileSync(path.join(PACK_DIR, "tsconfig.json"), path.join(dir, "tsconfig.json"));
                fs.writeFileSync(path.join(dir, "index.ts"), source);
            }
            fs.symlinkSync(path.join(PACK_DIR, "node_modules"), path.join(dir, "node_modules"), "dir");
            return dir;
        }

        it("fails on a compile error, even with an earlier build in place", () => {
            const dir = project("type-error", `export const port: number = "8080";\n`);
            fs.mkdirSync(path.join(dir, "bin"));
            fs.writeFileSync(path.join(dir, "bin", "index.js"), "// an earlier build\n");
            const r = npm(["run", "prepare"], dir);
            assert.notStrictEqual(r.status, 0, r.stdout + r.stderr);
            assert.match(r.stdout + r.stderr, /index\.ts\(1,14\): error TS2322/);
        });

        it("compiles sources that type-check", () => {
            const dir = project("clean", `export const port: number = 8080;\n`);
            const r = npm(["run", "prepare"], dir);
            assert.strictEqual(r.status, 0, r.stdout + r.stderr);
            assert.ok(fs.existsSync(path.join(dir, "bin", "index.js")));
        });

        it("has nothing to compile in a packed package (compiled output, no sources)", () => {
            const dir = project("installed", undefined);
            const r = npm(["run", "prepare"], dir);
            assert.strictEqual(r.status, 0, r.stdout + r.stderr);
        });
    });

    describe("the packed package", () => {
        let files: string[];
        before(() => {
            // --ignore-scripts: the suite has just compiled bin/; pack what it compiled.
            const r = npm(["pack", "--dry-run", "--json", "--ignore-scripts"], PACK_DIR);
            assert.strictEqual(r.status, 0, r.stderr);
            files = (JSON.parse(r.stdout) as { files: { path: string }[] }[])[0].files.map(f => f.path);
        });

        it("carries the compiled pack, library and command, LICENSE and CHANGELOG, and no sources or tests", () => {
            for (const f of ["bin/index.js", "bin/policies/index.js", "bin/policies/index.d.ts", "bin/cli/main.js", "LICENSE", "CHANGELOG.md", "README.md", "PulumiPolicy.yaml", "configs/isolated-environment.json", "scripts/prepare.js"]) {
                assert.ok(files.includes(f), `${f} is not in the package`);
            }
            const unwanted = files.filter(f => (f.endsWith(".ts") && !f.endsWith(".d.ts")) || f.endsWith(".map") || f.startsWith("bin/test/") || f.startsWith("bin/scripts/") || f === "tsconfig.json");
            assert.deepStrictEqual(unwanted, []);
        });

        it("needs nothing at run time but its own files, Node's modules and its dependencies", () => {
            const shipped = new Set(files);
            const allowed = new Set([...Object.keys(rootPkg.dependencies), ...builtinModules]);
            const problems: string[] = [];
            for (const f of files.filter(x => x.endsWith(".js") && x.startsWith("bin/"))) {
                const text = fs.readFileSync(path.join(PACK_DIR, f), "utf8");
                for (const m of text.matchAll(/require\("([^"]+)"\)/g)) {
                    const spec = m[1];
                    if (spec.startsWith(".")) {
                        const target = path.posix.normalize(path.posix.join(path.posix.dirname(f), spec));
                        if (![target, `${target}.js`, `${target}/index.js`, `${target}.json`].some(t => shipped.has(t))) {
                            problems.push(`${f}: ${spec}`);
                        }
                    } else {
                        const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
                        if (!allowed.has(name) && !allowed.has(name.replace(/^node:/, ""))) {
                            problems.push(`${f}: ${spec}`);
                        }
                    }
                }
            }
            assert.deepStrictEqual(problems, []);
        });

        it("names its command in bin", () => {
            assert.ok(files.includes((JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")) as { bin: Record<string, string> }).bin["databricks-network-check"]));
        });
    });

    describe("publishing", () => {
        it("is one command: each tier's pack built and published, stopping at the first failure", () => {
            const fake = path.join(tmp, "fake-bin");
            fs.mkdirSync(fake, { recursive: true });
            const log = path.join(tmp, "publish.log");
            fs.writeFileSync(path.join(fake, "pulumi"), `#!/bin/sh\necho "$(basename "$PWD") $*" >> "${log}"\n[ -z "$FAIL_ON" ] || [ "$(basename "$PWD")" != "$FAIL_ON" ] || exit 7\n`, { mode: 0o755 });
            const env = { ...process.env, PATH: `${fake}${path.delimiter}${process.env.PATH ?? ""}` };
            const script = path.join(PACK_DIR, "bin", "scripts", "publish-packs.js");
            const out = path.join(tmp, "published");
            const ok = spawnSync(process.execPath, [script, "acme", "--out", out], { encoding: "utf8", env });
            assert.strictEqual(ok.status, 0, ok.stderr);
            assert.deepStrictEqual(fs.readFileSync(log, "utf8").trim().split("\n"), packSpecs().map(s => `${s.name} policy publish acme`));
            fs.rmSync(log);
            const failing = spawnSync(process.execPath, [script, "acme", "--out", out], { encoding: "utf8", env: { ...env, FAIL_ON: "azure-databricks-network-hardened-connectivity" } });
            assert.strictEqual(failing.status, 7);
            assert.strictEqual(fs.readFileSync(log, "utf8").trim().split("\n").length, 2);
        });

        it("refuses a version CHANGELOG.md does not describe", () => {
            assert.ok(changelogDescribes(fs.readFileSync(path.join(PACK_DIR, "CHANGELOG.md"), "utf8"), rootPkg.version));
            assert.ok(!changelogDescribes("## 0.1.0\n", "0.1.1"));
            assert.ok(changelogDescribes("# Changelog\n\n## [1.2.0] - 2027-01-01\n", "1.2.0"));
            assert.ok(!changelogDescribes("## 0.1.00\n", "0.1.0"));
        });
    });

    describe("the per-tier packs", () => {
        const lock = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package-lock.json"), "utf8")) as Lockfile;
        let pack: PackProcess | undefined;
        after(async () => {
            await pack?.stop();
        });

        it("carry the package's version, LICENSE and a lock file of the tested production tree", () => {
            for (const dir of dirs) {
                const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name: string; version: string; dependencies: Record<string, string> };
                assert.strictEqual(pkg.version, rootPkg.version);
                assert.ok(fs.existsSync(path.join(dir, "LICENSE")));
                const wrap = JSON.parse(fs.readFileSync(path.join(dir, "npm-shrinkwrap.json"), "utf8")) as Lockfile;
                assert.strictEqual(wrap.name, pkg.name);
                assert.strictEqual(wrap.version, rootPkg.version);
                assert.deepStrictEqual(wrap.packages[""].dependencies, pkg.dependencies);
                for (const [at, entry] of Object.entries(wrap.packages).filter(([k]) => k !== "")) {
                    // The very versions and archives the repository's tests ran with.
                    assert.strictEqual(entry.version, lock.packages[at]?.version, at);
                    assert.strictEqual(entry.integrity, lock.packages[at]?.integrity, at);
                    assert.ok(!entry.dev && !entry.devOptional, `${at} is marked as a development dependency`);
                    for (const dep of Object.keys(entry.dependencies ?? {})) {
                        assert.ok(resolveIn(wrap.packages, at, dep), `${at} needs ${dep}, which the lock file lacks`);
                    }
                }
                // Exactly what the repository's lock file installs outside development. A `devOptional`
                // entry is a development dependency that a production package also names as optional:
                // installed when that package names it as a dependency (safer-buffer, needed by the
                // development tree too), left out when only an optional peer names it (typescript).
                const named = new Set(Object.entries(lock.packages).filter(([k, e]) => k !== "" && e.dev !== true && e.devOptional !== true)
                    .flatMap(([, e]) => [...Object.keys(e.dependencies ?? {}), ...Object.keys(e.optionalDependencies ?? {})]));
                const installed = (k: string) => lock.packages[k].devOptional !== true || named.has(k.slice(k.lastIndexOf("node_modules/") + "node_modules/".length));
                const production = Object.keys(lock.packages).filter(k => k !== "" && lock.packages[k].dev !== true && installed(k)).sort();
                assert.deepStrictEqual(Object.keys(wrap.packages).filter(k => k !== "").sort(), production);
                assert.strictEqual(wrap.packages["node_modules/@pulumi/pulumi"].version, (require("@pulumi/pulumi/package.json") as { version: string }).version);
            }
        });

        /** A pack's files, relative to it, outside what `npm install` adds. */
        function packFiles(dir: string): string[] {
            return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
                .filter(e => e.isFile()).map(e => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
                .filter(f => !f.startsWith("node_modules/")).sort();
        }

        it("carry their entry, the modules it loads and their package files, nothing else", () => {
            for (const dir of dirs) {
                const files = packFiles(dir);
                assert.deepStrictEqual(files.filter(f => !f.startsWith("lib/")), ["LICENSE", "PulumiPolicy.yaml", "README.md", "index.js", "npm-shrinkwrap.json", "package.json"]);
                const lib = files.filter(f => f.startsWith("lib/"));
                assert.ok(lib.includes("lib/index.js") && lib.includes("lib/core/engine/policy.js"), lib.join("\n"));
                assert.deepStrictEqual(lib.filter(f => !f.endsWith(".js") || /\/(cases|mutations)\.js$/.test(f)), []);
            }
        });

        it("take from the build output only what the entry loads, and refuse a module outside it", () => {
            const root = path.join(tmp, "build-output");
            const files: Record<string, string> = {
                "index.js": `require("./a");\nrequire("./sub");\n`,
                "a.js": `exports.x = require("./b.js");\nconst p = require("path");\n`,
                "b.js": "",
                "sub/index.js": `require("../a");\n`,
                "sub/cases.js": `require("../../fixtures/cases");\n`,
                "stale.js": "",
            };
            for (const [f, text] of Object.entries(files)) {
                fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
                fs.writeFileSync(path.join(root, f), text);
            }
            assert.deepStrictEqual(loadedModules(root, "index.js"), ["a.js", "b.js", "index.js", "sub/index.js"]);
            // A test module that loads what lies beside the build output.
            assert.throws(() => loadedModules(root, "sub/cases.js"), /sub\/cases\.js: cannot resolve require\("\.\.\/\.\.\/fixtures\/cases"\)/);
            fs.mkdirSync(path.join(tmp, "fixtures"));
            fs.writeFileSync(path.join(tmp, "fixtures", "cases.js"), "");
            assert.throws(() => loadedModules(root, "sub/cases.js"), /sub\/cases\.js loads .*fixtures[/\\]cases\.js, outside .*build-output: a pack would not carry it/);
        });

        it("install exactly their lock file and start as the engine starts them, reporting the version", async function () {
            this.timeout(180_000);
            const dir = dirs[1];
            const r = await installed;
            if (r.status !== 0 && /ENOTCACHED/.test(r.stderr)) {
                this.skip();
            }
            assert.strictEqual(r.status, 0, r.stderr);
            const ls = npm(["ls", "--all", "--json"], dir);
            assert.strictEqual(ls.status, 0, ls.stdout);
            pack = await PackProcess.start(dir);
            const info = await pack.getAnalyzerInfo();
            assert.strictEqual(info.name, "azure-databricks-network-hardened-connectivity");
            assert.strictEqual(info.version, rootPkg.version);
            // Every module it carries loads with only its own dependencies, and the library loads all of them.
            const probe = `const path = require("path");
const files = ${JSON.stringify(packFiles(dir).filter(f => f.startsWith("lib/")))};
const own = () => Object.keys(require.cache).map(f => path.relative(process.cwd(), f).split(path.sep).join("/"));
require("./lib");
const byLibrary = own().filter(f => f.startsWith("lib/")).sort();
const failures = [];
for (const f of files) { try { require("./" + f); } catch (e) { failures.push(f + ": " + e.message.split("\\n")[0]); } }
console.log(JSON.stringify({ byLibrary, failures, outside: own().filter(f => f.startsWith("..")) }));`;
            const loaded = spawnSync(process.execPath, ["-e", probe], { cwd: dir, encoding: "utf8", env: { PATH: process.env.PATH } });
            assert.strictEqual(loaded.status, 0, loaded.stderr);
            const result = JSON.parse(loaded.stdout) as { byLibrary: string[]; failures: string[]; outside: string[] };
            assert.deepStrictEqual(result.failures, []);
            assert.deepStrictEqual(result.byLibrary, packFiles(dir).filter(f => f.startsWith("lib/")));
            assert.deepStrictEqual(result.outside, [], "modules loaded from outside the pack");
        });
    });
});
