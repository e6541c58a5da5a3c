// Assembles self-contained policy packs for publishing to Pulumi Cloud, one per tier, built from
// the same compiled code: an administrator enables the tier's pack on a policy group and every
// policy in it enforces that tier, with no per-policy editing. The packs carry only runtime
// dependencies, so Pulumi Cloud's `npm install` of a published pack stays small.
//
//     npm run build && node bin/scripts/build-packs.js [outDir]
//     pulumi policy publish dist/packs/azure-databricks-network-isolated-environment

import * as fs from "fs";
import * as path from "path";
import { DEFAULT_PACK_NAME } from "../policies/pack";
import { TIER_TITLES, TIERS, TierId } from "../policies/matrix";

const ROOT = path.resolve(__dirname, "..", "..");

interface PackSpec {
    name: string;
    tier: TierId;
}

export function packSpecs(): PackSpec[] {
    return TIERS.map(tier => ({ name: `${DEFAULT_PACK_NAME}-${tier}`, tier }));
}

function copyDir(from: string, to: string): void {
    fs.mkdirSync(to, { recursive: true });
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
        const src = path.join(from, entry.name);
        const dst = path.join(to, entry.name);
        if (entry.isDirectory()) {
            copyDir(src, dst);
        } else if (!entry.name.endsWith(".map")) {
            fs.copyFileSync(src, dst);
        }
    }
}

export function buildPack(spec: PackSpec, outDir: string): string {
    const rootPkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
        version: string; license: string; dependencies: Record<string, string>;
    };
    const dir = path.join(outDir, spec.name);
    fs.rmSync(dir, { recursive: true, force: true });
    copyDir(path.join(ROOT, "bin", "policies"), path.join(dir, "lib"));
    const title = TIER_TITLES[spec.tier];
    fs.writeFileSync(path.join(dir, "index.js"),
        `"use strict";\n// ${title} tier of the Azure Databricks network policy pack.\n` +
        `require("./lib").createPolicyPack(${JSON.stringify(spec.name)}, { tier: ${JSON.stringify(spec.tier)}, requireEvidenceInStack: false });\n`);
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({
        name: spec.name,
        version: rootPkg.version,
        description: `Azure Databricks network reference architecture: ${title}.`,
        license: rootPkg.license,
        main: "index.js",
        dependencies: rootPkg.dependencies,
    }, null, 2) + "\n");
    fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"),
        `runtime: nodejs\ndescription: Enforces the Azure Databricks ${title} network reference architecture.\n`);
    fs.writeFileSync(path.join(dir, "README.md"),
        `# ${spec.name}\n\nThe Azure Databricks network policy pack with the tier fixed to \`${spec.tier}\` (${title}).\n` +
        `A stack tag \`databricks-network-tier\` can still ask for a stricter tier. Set \`requireEvidenceInStack: true\`\n` +
        `on a policy (or every policy) in the Pulumi Cloud policy configuration to block evidence that points outside the stack until it is attested.\n`);
    return dir;
}

if (require.main === module) {
    const outDir = path.resolve(process.argv[2] ?? path.join(ROOT, "dist", "packs"));
    for (const spec of packSpecs()) {
        console.log(buildPack(spec, outDir));
    }
}
