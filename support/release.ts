// Publishes the per-tier packs to Pulumi Cloud in one command:
//
//     npm run publish:packs -- <org> [--tier <tier>]... [--out <dir>]
//
// builds each pack (support/tier-packs.ts) and runs `pulumi policy publish <org>` in it, stopping at
// the first failure. Pulumi Cloud refuses a version it already holds, so the package's version must be
// new: the command refuses a version CHANGELOG.md does not describe (see docs/releasing.md).

import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { TIERS, TierId } from "../policies/matrix";
import { buildPack, packSpecs } from "./tier-packs";

const ROOT = path.resolve(__dirname, "..", "..");

interface PublishOptions {
    org: string;
    tiers: TierId[];
    outDir: string;
}

export function parsePublishArgs(argv: readonly string[]): PublishOptions {
    const tiers: TierId[] = [];
    let org: string | undefined;
    let outDir = path.join(ROOT, "dist", "packs");
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--tier" || a === "--out") {
            const v = argv[++i];
            if (v === undefined) {
                throw new Error(`${a} needs a value`);
            }
            if (a === "--out") {
                outDir = path.resolve(v);
            } else if ((TIERS as readonly string[]).includes(v)) {
                tiers.push(v as TierId);
            } else {
                throw new Error(`--tier must be one of ${TIERS.join(", ")}; got "${v}"`);
            }
        } else if (org === undefined && !a.startsWith("-")) {
            org = a;
        } else {
            throw new Error(`unexpected argument "${a}"`);
        }
    }
    if (org === undefined) {
        throw new Error("usage: npm run publish:packs -- <org> [--tier <tier>]... [--out <dir>]");
    }
    return { org, tiers: tiers.length > 0 ? tiers : [...TIERS], outDir };
}

/** Whether CHANGELOG.md has a section for `version` (a heading `## <version>`). */
export function changelogDescribes(changelog: string, version: string): boolean {
    const escaped = version.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return new RegExp(`^## \\[?${escaped}\\]?(\\s|$)`, "m").test(changelog);
}

export function publish(o: PublishOptions, pulumi = "pulumi"): number {
    const version = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    if (!changelogDescribes(fs.readFileSync(path.join(ROOT, "CHANGELOG.md"), "utf8"), version)) {
        console.error(`CHANGELOG.md has no section "## ${version}": Pulumi Cloud refuses to publish a version twice, so bump the version (npm version patch|minor|major) and describe it first`);
        return 2;
    }
    for (const spec of packSpecs().filter(s => o.tiers.includes(s.tier))) {
        const dir = buildPack(spec, o.outDir);
        console.error(`${spec.name}@${version}: pulumi policy publish ${o.org}`);
        const run = spawnSync(pulumi, ["policy", "publish", o.org], { cwd: dir, stdio: "inherit" });
        if (run.error) {
            console.error(`cannot run ${pulumi}: ${run.error.message} (install the Pulumi CLI and log in)`);
            return 2;
        }
        if (run.status !== 0) {
            return run.status ?? 1;
        }
    }
    return 0;
}
