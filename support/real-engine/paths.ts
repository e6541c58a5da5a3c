// Where the real-engine suite finds the pinned Pulumi CLI and the stand-in language host: a cache
// outside the repository, keyed by everything the build reads, so a checkout reuses a build of the
// same pins and a change of pins or host builds anew.

import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const GO_MODULE = path.resolve(__dirname, "../../../support/real-engine/go");

/** The Pulumi release the wrapper module pins (its `require` of pkg/v3). */
export function pinnedVersion(): string {
    const mod = fs.readFileSync(path.join(GO_MODULE, "go.mod"), "utf8");
    const m = /github\.com\/pulumi\/pulumi\/pkg\/v3 (v\d+\.\d+\.\d+)/.exec(mod);
    if (!m) {
        throw new Error(`${GO_MODULE}/go.mod does not require github.com/pulumi/pulumi/pkg/v3 at a release version`);
    }
    return m[1];
}

/** The Python host's runner, installed next to the host as `pulumi-language-python-exec`. */
export const PYTHON_EXEC = { source: path.resolve(__dirname, "../../../support/real-engine/python/run.py"), name: "pulumi-language-python-exec" };

function buildInputs(): string[] {
    const host = path.join(GO_MODULE, "langhost");
    return [path.join(GO_MODULE, "go.mod"), path.join(GO_MODULE, "go.sum"),
        ...fs.readdirSync(host).filter(f => f.endsWith(".go")).sort().map(f => path.join(host, f)), PYTHON_EXEC.source];
}

/** The directory holding `pulumi` and the language host for the current pins. */
export function engineBinDir(): string {
    const hash = crypto.createHash("sha256");
    for (const f of buildInputs()) {
        hash.update(path.basename(f)).update(fs.readFileSync(f));
    }
    const root = process.env.REAL_ENGINE_CACHE ?? path.join(os.homedir(), ".cache", "azure-databricks-network-policies", "engine");
    return path.join(root, `pulumi-${pinnedVersion()}-${hash.digest("hex").slice(0, 12)}`, "bin");
}

export const LANGUAGE_HOSTS = ["pulumi-language-nodejs", "pulumi-language-python"] as const;
