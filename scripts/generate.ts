// Writes the ready-made configuration files and the README's feature table (support/generated-files.ts);
// `--check` fails when they are out of date.

import * as fs from "fs";
import * as path from "path";
import { expectedFiles } from "../support/generated-files";

const ROOT = path.resolve(__dirname, "..", "..");
const checkOnly = process.argv.includes("--check");
let stale = 0;
for (const [file, content] of expectedFiles()) {
    const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
    if (current !== content) {
        stale++;
        if (checkOnly) {
            console.error(`out of date: ${path.relative(ROOT, file)}`);
        } else {
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, content);
            console.error(`wrote ${path.relative(ROOT, file)}`);
        }
    }
}
process.exitCode = checkOnly && stale > 0 ? 1 : 0;
