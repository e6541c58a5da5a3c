// A feature folder is the whole story of its feature: its rule imports only the pack's core (and
// the tier matrix), never another feature; the evidence picture imports only the core and the
// findings. Shared judgements live in the core, where both sides can read them.

import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..", "..");

/** The relative imports of a source file, resolved against the repository root. */
function importsOf(file: string): string[] {
    const text = fs.readFileSync(file, "utf8");
    return [...text.matchAll(/^import[^;]*?from\s+"(\.{1,2}\/[^"]+)"/gm)].map(m => path.relative(ROOT, path.resolve(path.dirname(file), m[1])));
}

/** Source files of a folder (test cases and mutations are fixtures, not the rule). */
function sources(dir: string): string[] {
    return fs.readdirSync(dir).filter(f => f.endsWith(".ts") && f !== "cases.ts" && f !== "mutations.ts").map(f => path.join(dir, f));
}

describe("imports: features and the picture read only the core", () => {
    const policies = path.join(ROOT, "policies");
    const features = fs.readdirSync(policies, { withFileTypes: true })
        .filter(g => g.isDirectory() && g.name !== "core")
        .flatMap(g => fs.readdirSync(path.join(policies, g.name), { withFileTypes: true }).filter(f => f.isDirectory()).map(f => path.join(policies, g.name, f.name)));

    it("finds the feature folders", () => {
        assert.ok(features.length >= 13, features.join(", "));
    });

    for (const dir of features) {
        it(`${path.relative(policies, dir)}: the core, the matrix and its own folder`, () => {
            const own = path.relative(ROOT, dir);
            const outside = sources(dir).flatMap(f => importsOf(f).filter(i => !i.startsWith("policies/core/") && i !== "policies/matrix" && !i.startsWith(`${own}/`)).map(i => `${path.basename(f)} → ${i}`));
            assert.deepStrictEqual(outside, []);
        });
    }

    it("cli/picture: the core, the matrix and the findings, never a feature", () => {
        const dir = path.join(ROOT, "cli", "picture");
        const outside = sources(dir).flatMap(f => importsOf(f).filter(i => !i.startsWith("policies/core/") && i !== "policies/matrix" && !i.startsWith("cli/picture/")).map(i => `${path.basename(f)} → ${i}`));
        assert.deepStrictEqual(outside, []);
    });
});
