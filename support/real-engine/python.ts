// The virtualenv the real-engine suite runs Python programs in: outside the repository, keyed by the
// pinned requirements and the Python that creates it, made once with `python3 -m venv` and
// `pip install -r` and reused while both are unchanged.

import { spawn, spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Written last, so that an install cut short is made again rather than used. */
const COMPLETE = ".complete";

function python3(): { bin: string; version: string } {
    const r = spawnSync("python3", ["-c", "import sys; print(sys.executable); print(sys.version)"], { encoding: "utf8" });
    if (r.status !== 0) {
        throw new Error(`cannot run python3 (is Python 3 on PATH?): ${r.error?.message ?? r.stderr}`);
    }
    const [bin, ...version] = r.stdout.trim().split("\n");
    return { bin, version: version.join(" ") };
}

/** The virtualenv for a requirements file: `~/.cache/azure-databricks-network-policies/python-venv-<hash>`. */
export function venvDir(requirements: string): string {
    const hash = crypto.createHash("sha256").update(fs.readFileSync(requirements)).update(python3().version);
    const root = process.env.PYTHON_VENV_CACHE ?? path.join(os.homedir(), ".cache", "azure-databricks-network-policies");
    return path.join(root, `python-venv-${hash.digest("hex").slice(0, 12)}`);
}

/** Runs a command, passing on the lines that say what pip is doing; rejects on a non-zero exit. */
function step(command: string, args: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        const read = (chunk: string) => {
            output += chunk;
            for (const line of chunk.split("\n")) {
                if (/^(Collecting|Installing collected|Successfully installed)/.test(line)) {
                    const short = line.replace(/ \(from .*$/, "");
                    process.stdout.write(`  ${short.length > 200 ? `${short.slice(0, 200)}…` : short}\n`);
                }
            }
        };
        child.stdout.setEncoding("utf8").on("data", read);
        child.stderr.setEncoding("utf8").on("data", read);
        child.on("error", reject);
        child.on("close", code => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited ${code}:\n${output.slice(-4000)}`))));
    });
}

/** The virtualenv for a requirements file, created and installed first if it is not complete. */
export async function ensureVenv(requirements: string): Promise<string> {
    const dir = venvDir(requirements);
    if (fs.existsSync(path.join(dir, COMPLETE))) {
        return dir;
    }
    const started = Date.now();
    const { bin } = python3();
    process.stdout.write(`creating the Python virtualenv ${dir}: ${bin} -m venv, then pip install -r ${requirements} (downloads the SDKs once; minutes)\n`);
    fs.rmSync(dir, { recursive: true, force: true });
    await step(bin, ["-m", "venv", dir]);
    const python = path.join(dir, "bin", "python");
    await step(python, ["-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "off", "-r", requirements]);
    fs.writeFileSync(path.join(dir, COMPLETE), fs.readFileSync(requirements));
    process.stdout.write(`the Python virtualenv is ready (${Math.round((Date.now() - started) / 1000)} s)\n`);
    return dir;
}
