// Assembles self-contained policy packs for publishing to Pulumi Cloud, one per tier, built from
// the same compiled code: an administrator enables the tier's pack on a policy group and every
// policy in it enforces that tier, with no per-policy editing. The packs carry the compiled modules
// the pack loads (no test modules, nothing else of the build output) and only runtime
// dependencies, so Pulumi Cloud's `npm install` of a published pack stays small, and a lock file
// (`npm-shrinkwrap.json`) cut from the repository's `package-lock.json`: every machine that installs
// a published pack gets the `@pulumi/pulumi`, `@pulumi/policy` and grpc-js the tests ran with (the
// engine adapter relies on their internals).
//
//     npm run build:packs [-- outDir]

import * as fs from "fs";
import * as path from "path";
import { DEFAULT_PACK_NAME } from "../policies/pack";
import { TIER_TITLES, TIERS, TierId } from "../policies/matrix";

const ROOT = path.resolve(__dirname, "..", "..");

/** One entry of a lock file's `packages` map (lockfileVersion 2 or 3). */
export interface LockEntry {
    name?: string;
    version?: string;
    resolved?: string;
    integrity?: string;
    license?: string;
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    peerDependenciesMeta?: Record<string, { optional?: boolean }>;
    dev?: boolean;
    optional?: boolean;
    devOptional?: boolean;
    peer?: boolean;
    link?: boolean;
    [key: string]: unknown;
}

export interface Lockfile {
    name: string;
    version: string;
    lockfileVersion: number;
    requires?: boolean;
    packages: Record<string, LockEntry>;
}

/** Where Node finds `name` from the package installed at `from` ("" is the root): the nearest `node_modules`. */
export function resolveIn(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
    let dir = from;
    for (;;) {
        const candidate = `${dir === "" ? "" : `${dir}/`}node_modules/${name}`;
        if (candidate in packages) {
            return candidate;
        }
        if (dir === "") {
            return undefined;
        }
        const at = dir.lastIndexOf("/node_modules/");
        dir = at < 0 ? "" : dir.slice(0, at);
    }
}

/**
 * The lock entries that `dependencies` reach (their dependencies, optional dependencies and
 * required peers, resolved as Node resolves them), with the development-only flags dropped: the
 * tree `npm install --omit=dev` would lay out from the same lock file.
 */
export function productionPackages(lock: Lockfile, dependencies: Record<string, string>): Record<string, LockEntry> {
    if (lock.lockfileVersion < 2) {
        throw new Error(`package-lock.json: lockfileVersion ${lock.lockfileVersion} has no "packages" map; run npm install with npm 7 or later`);
    }
    const out: Record<string, LockEntry> = {};
    const required = new Set<string>();
    const queue: { from: string; name: string; optional: boolean }[] = Object.keys(dependencies).map(name => ({ from: "", name, optional: false }));
    while (queue.length > 0) {
        const edge = queue.shift() as { from: string; name: string; optional: boolean };
        const at = resolveIn(lock.packages, edge.from, edge.name);
        if (at === undefined) {
            if (edge.optional) {
                continue;
            }
            throw new Error(`package-lock.json: ${edge.name}, needed by ${edge.from || "the package"}, is not in the lock file; run npm install`);
        }
        const seen = at in out;
        if (seen && (edge.optional || required.has(at))) {
            continue;
        }
        if (!edge.optional) {
            required.add(at);
        }
        const entry = lock.packages[at];
        if (!seen) {
            const { dev: _dev, devOptional: _devOptional, optional: _optional, ...rest } = entry;
            out[at] = rest;
        }
        const peersOptional = entry.peerDependenciesMeta ?? {};
        const next = [
            ...Object.keys(entry.dependencies ?? {}).map(name => ({ name, optional: edge.optional })),
            ...Object.keys(entry.optionalDependencies ?? {}).map(name => ({ name, optional: true })),
            // npm leaves an optional peer out of the tree unless something else needs it.
            ...Object.keys(entry.peerDependencies ?? {}).filter(name => peersOptional[name]?.optional !== true).map(name => ({ name, optional: edge.optional })),
        ];
        for (const n of next) {
            queue.push({ from: at, ...n });
        }
    }
    for (const at of Object.keys(out)) {
        if (!required.has(at)) {
            out[at].optional = true;
        }
    }
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** An `npm-shrinkwrap.json` for a package with these dependencies, cut from `lock`. */
export function shrinkwrap(lock: Lockfile, pkg: { name: string; version: string; license?: string; dependencies: Record<string, string> }): Lockfile {
    return {
        name: pkg.name,
        version: pkg.version,
        lockfileVersion: 3,
        requires: true,
        packages: { "": { name: pkg.name, version: pkg.version, license: pkg.license, dependencies: pkg.dependencies }, ...productionPackages(lock, pkg.dependencies) },
    };
}

interface PackSpec {
    name: string;
    tier: TierId;
}

export function packSpecs(): PackSpec[] {
    return TIERS.map(tier => ({ name: `${DEFAULT_PACK_NAME}-${tier}`, tier }));
}

/**
 * The compiled modules that `entry` loads through relative requires, transitively, as paths under
 * `root`: what a pack carries, and nothing else that sits in the build output (feature cases and
 * mutations, files of deleted sources). A module outside `root` is refused: the pack would lack it.
 */
export function loadedModules(root: string, entry: string): string[] {
    const found = new Set<string>();
    const visit = (file: string, from: string): void => {
        const rel = path.relative(root, file);
        if (rel.startsWith("..") || path.isAbsolute(rel)) {
            throw new Error(`${from} loads ${file}, outside ${root}: a pack would not carry it`);
        }
        if (found.has(rel)) {
            return;
        }
        found.add(rel);
        for (const m of fs.readFileSync(file, "utf8").matchAll(/\brequire\("(\.{1,2}(?:\/[^"]*)?)"\)/g)) {
            const base = path.resolve(path.dirname(file), m[1]);
            const target = [base, `${base}.js`, path.join(base, "index.js")].find(f => fs.existsSync(f) && fs.statSync(f).isFile());
            if (target === undefined) {
                throw new Error(`${path.relative(root, file)}: cannot resolve require("${m[1]}")`);
            }
            visit(target, path.relative(root, file));
        }
    };
    visit(path.join(root, entry), entry);
    return [...found].sort();
}

export function buildPack(spec: PackSpec, outDir: string): string {
    const rootPkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
        version: string; license: string; dependencies: Record<string, string>;
    };
    const dir = path.join(outDir, spec.name);
    fs.rmSync(dir, { recursive: true, force: true });
    const compiled = path.join(ROOT, "bin", "policies");
    for (const m of loadedModules(compiled, "index.js")) {
        fs.mkdirSync(path.dirname(path.join(dir, "lib", m)), { recursive: true });
        fs.copyFileSync(path.join(compiled, m), path.join(dir, "lib", m));
    }
    const title = TIER_TITLES[spec.tier];
    fs.writeFileSync(path.join(dir, "index.js"),
        `"use strict";\n// ${title} tier of the Azure Databricks network policy pack.\n` +
        `require("./lib").createPolicyPack(${JSON.stringify(spec.name)}, { tier: ${JSON.stringify(spec.tier)}, requireEvidenceInStack: false });\n`);
    const pkg = {
        name: spec.name,
        version: rootPkg.version,
        description: `Azure Databricks network reference architecture: ${title}.`,
        license: rootPkg.license,
        main: "index.js",
        dependencies: rootPkg.dependencies,
    };
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as Lockfile;
    fs.writeFileSync(path.join(dir, "npm-shrinkwrap.json"), JSON.stringify(shrinkwrap(lock, pkg), null, 2) + "\n");
    fs.copyFileSync(path.join(ROOT, "LICENSE"), path.join(dir, "LICENSE"));
    fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"),
        `runtime: nodejs\ndescription: Enforces the Azure Databricks ${title} network reference architecture.\n`);
    fs.writeFileSync(path.join(dir, "README.md"),
        `# ${spec.name}\n\nThe Azure Databricks network policy pack with the tier fixed to \`${spec.tier}\` (${title}),\n` +
        `version ${rootPkg.version}. \`npm-shrinkwrap.json\` pins the dependency tree this version was tested with.\n` +
        `A stack tag \`databricks-network-tier\` can still ask for a stricter tier. Set \`requireEvidenceInStack: true\`\n` +
        `on a policy (or every policy) in the Pulumi Cloud policy configuration to block evidence that points outside the stack until it is attested.\n`);
    return dir;
}
