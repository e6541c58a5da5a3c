// Builds the per-tier policy packs (support/tier-packs.ts) into dist/packs, or the directory given.

import * as path from "path";
import { buildPack, packSpecs } from "../support/tier-packs";

const outDir = path.resolve(process.argv[2] ?? path.join(__dirname, "..", "..", "dist", "packs"));
for (const spec of packSpecs()) {
    console.log(buildPack(spec, outDir));
}
