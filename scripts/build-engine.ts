// Builds the pinned Pulumi CLI and the stand-in language host (Node.js and Python) from the Go wrapper
// module (support/real-engine/go) into a cache outside the repository, with the Python runner beside
// it; reuses a build of the same pins.
//
//   npm run build:engine            build unless the cache has this build
//   npm run build:engine -- --force build again
//
// The CLI is built as its release is (.goreleaser.yml: -trimpath, the osusergo and grpcnotrace
// tags, the version stamped into sdk/v3's version package).

import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { engineBinDir, GO_MODULE, LANGUAGE_HOSTS, pinnedVersion, PYTHON_EXEC } from "../support/real-engine/paths";

const PROGRESS_EVERY_MS = 20_000;

function elapsed(since: number): string {
    return `${Math.round((Date.now() - since) / 1000)} s`;
}

/** Runs `go build -v`, counting the packages it compiles and saying so every few seconds. */
function goBuild(what: string, out: string, pkg: string, version: string): Promise<void> {
    const started = Date.now();
    let packages = 0;
    let errors = "";
    const args = ["build", "-v", "-trimpath", "-tags", "osusergo,grpcnotrace",
        "-ldflags", `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${version}`, "-o", out, pkg];
    process.stdout.write(`building ${what}: go ${args.join(" ")}\n`);
    const child = spawn("go", args, { cwd: GO_MODULE, stdio: ["ignore", "inherit", "pipe"] });
    const timer = setInterval(() => process.stdout.write(`  … ${packages} packages compiled, ${elapsed(started)}\n`), PROGRESS_EVERY_MS);
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
        for (const line of chunk.split("\n").filter(l => l !== "")) {
            // `-v` names each package as it is compiled; anything else is an error to show.
            if (/^[\w.~-]+(\/[\w.~+-]+)*$/.test(line)) {
                packages++;
            } else {
                errors += `${line}\n`;
            }
        }
    });
    return new Promise((resolve, reject) => {
        child.on("error", e => { clearInterval(timer); reject(new Error(`cannot run go (is the Go toolchain on PATH?): ${e.message}`)); });
        child.on("close", code => {
            clearInterval(timer);
            if (code === 0) {
                process.stdout.write(`built ${what} in ${elapsed(started)} (${packages} packages compiled)\n`);
                resolve();
            } else {
                reject(new Error(`go build of ${what} failed (exit ${code}):\n${errors}`));
            }
        });
    });
}

async function main(): Promise<void> {
    const force = process.argv.includes("--force");
    const version = pinnedVersion();
    const bin = engineBinDir();
    const wanted = ["pulumi", ...LANGUAGE_HOSTS, PYTHON_EXEC.name].map(f => path.join(bin, f));
    if (!force && wanted.every(f => fs.existsSync(f))) {
        process.stdout.write(`reusing the Pulumi CLI ${version} and language host in ${bin}\n`);
        return;
    }
    const started = Date.now();
    const staging = `${bin}.partial-${process.pid}`;
    fs.rmSync(staging, { recursive: true, force: true });
    fs.mkdirSync(staging, { recursive: true });
    await goBuild(`the Pulumi CLI ${version}`, path.join(staging, "pulumi"), "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi", version);
    await goBuild("the stand-in language host", path.join(staging, LANGUAGE_HOSTS[0]), "./langhost", version);
    for (const host of LANGUAGE_HOSTS.slice(1)) {
        fs.copyFileSync(path.join(staging, LANGUAGE_HOSTS[0]), path.join(staging, host));
        fs.chmodSync(path.join(staging, host), 0o755);
    }
    fs.copyFileSync(PYTHON_EXEC.source, path.join(staging, PYTHON_EXEC.name));
    fs.chmodSync(path.join(staging, PYTHON_EXEC.name), 0o755);
    fs.rmSync(bin, { recursive: true, force: true });
    fs.renameSync(staging, bin);
    process.stdout.write(`the Pulumi CLI ${version} and language host are in ${bin} (${elapsed(started)})\n`);
}

main().catch((e: unknown) => {
    process.stderr.write(`build-engine: ${(e as Error).message}\n`);
    process.exit(1);
});
