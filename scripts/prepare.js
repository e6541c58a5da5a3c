// `npm install` / `npm pack` hook. In a checkout (TypeScript sources present) it compiles them and a
// compile error fails the install. A packed package ships its compiled `bin/` and no sources, so
// installing it needs no compiler: there is nothing to do. Plain JavaScript: it runs before any build.
"use strict";
const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");

const root = path.resolve(__dirname, "..");
const tsconfig = path.join(root, "tsconfig.json");
if (!fs.existsSync(tsconfig)) {
    process.exit(0);
}
const tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
const run = spawnSync(process.execPath, [tsc, "-p", tsconfig], { stdio: "inherit" });
process.exit(run.status === null ? 1 : run.status);
