// `npm run cases -- <feature-id>`: the edit–test loop. Transpiles the sources edited since their
// compiled output (no type check: parsing the provider SDKs' declarations alone takes a full
// compile about 10 s; `npm test` type-checks, rebuilding bin/ whole after this), then judges one
// feature's cases in process and through the engine (test/features/), in one process.
// Plain JavaScript: it runs before any build.
"use strict";
const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");

const root = path.resolve(__dirname, "..");
const bin = path.join(root, "bin");
const feature = process.argv[2];
if (feature === undefined || process.argv.length > 3) {
    console.error("usage: npm run cases -- <feature-id>");
    process.exit(2);
}
const node = (args, env) => spawnSync(process.execPath, args, { cwd: root, stdio: "inherit", env }).status ?? 1;

/**
 * Transpiles each source edited since its output and since the last `tsc -b` (which leaves the
 * output of a touched but unchanged source as it was) into bin/; false when one has a syntax error.
 */
function transpileEdited() {
    const buildInfo = path.join(bin, "tsconfig.tsbuildinfo");
    const built = fs.existsSync(buildInfo) ? fs.statSync(buildInfo).mtimeMs : 0;
    const ts = require(require.resolve("typescript", { paths: [root] }));
    const config = ts.getParsedCommandLineOfConfigFile(path.join(root, "tsconfig.json"), {}, {
        ...ts.sys, onUnRecoverableConfigFileDiagnostic: d => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n")); },
    });
    const { incremental: _incremental, declaration: _declaration, ...options } = config.options;
    const errors = [];
    let edited = 0;
    for (const file of config.fileNames.filter(f => !f.endsWith(".d.ts"))) {
        const out = path.join(bin, path.relative(root, file)).replace(/\.ts$/, ".js");
        if (fs.existsSync(out) && Math.max(fs.statSync(out).mtimeMs, built) >= fs.statSync(file).mtimeMs) {
            continue;
        }
        const r = ts.transpileModule(fs.readFileSync(file, "utf8"), { compilerOptions: options, fileName: file, reportDiagnostics: true });
        for (const d of r.diagnostics ?? []) {
            const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
            errors.push(`${path.relative(root, file)}${at ? `(${at.line + 1},${at.character + 1})` : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
        }
        fs.mkdirSync(path.dirname(out), { recursive: true });
        fs.writeFileSync(out, r.outputText);
        if (r.sourceMapText) {
            const map = JSON.parse(r.sourceMapText);
            map.sources = [path.relative(path.dirname(out), file).split(path.sep).join("/")];
            fs.writeFileSync(`${out}.map`, JSON.stringify(map));
        }
        edited++;
    }
    // The next `tsc -b` must not take bin/ for its own: it rebuilds (and type-checks) it whole.
    if (edited > 0) {
        fs.rmSync(buildInfo, { force: true });
    }
    errors.forEach(e => console.error(e));
    return errors.length === 0;
}

if (!fs.existsSync(path.join(bin, "test", "harness", "global.js"))) {
    // Nothing compiled yet: one whole build.
    const built = node([require.resolve("typescript/bin/tsc", { paths: [root] }), "-b", "tsconfig.json"]);
    if (built !== 0) {
        process.exit(built);
    }
} else if (!transpileEdited()) {
    process.exit(1);
}
const { FEATURE_IDS } = require(path.join(bin, "policies", "matrix.js"));
if (!FEATURE_IDS.includes(feature)) {
    console.error(`npm run cases: "${feature}" is not a feature; one of ${FEATURE_IDS.join(", ")}`);
    process.exit(2);
}
process.exit(node([require.resolve("mocha/bin/mocha.js", { paths: [root] }), "--no-config", "--timeout", "60000", "--require", "bin/test/harness/global.js", "bin/test/features/cases-*.spec.js"],
    { ...process.env, DATABRICKS_NETWORK_CASES: feature }));
