// --program type-checks a TypeScript program as Pulumi's Node.js runtime does before running it, and
// answers a program in another language with the way to check it: its plan.

import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCommand as run } from "../harness/command";
import { PACK_DIR } from "../harness/global";

/** Pulumi's own default: type-check. */
const TYPECHECK_ENV: NodeJS.ProcessEnv = {};

describe("--program type-checks as pulumi preview does", function () {
    this.timeout(120_000);
    let tmp: string;

    function program(name: string, files: Record<string, string>): string {
        const dir = path.join(tmp, name);
        fs.mkdirSync(dir, { recursive: true });
        fs.symlinkSync(path.join(PACK_DIR, "node_modules"), path.join(dir, "node_modules"), "dir");
        for (const [f, text] of Object.entries({ "Pulumi.yaml": "name: typed\nruntime: nodejs\n", ...files })) {
            fs.writeFileSync(path.join(dir, f), text);
        }
        return dir;
    }

    const WRONG = `import * as pulumi from "@pulumi/pulumi";\nconst port: number = "8080";\nexport const url = pulumi.output(port);\n`;

    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dbx-typecheck-"));
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("refuses a program with a type error, naming file, line and code, as the engine would refuse to run it", async () => {
        const dir = program("wrong", { "index.ts": WRONG });
        // As the installed command runs it: the check here while the program loads in a process of its own.
        const r = await run(["--program", dir], TYPECHECK_ENV, { isolated: true });
        assert.strictEqual(r.code, 2, r.out);
        assert.match(r.err, /the program does not type-check \(TypeScript 5\.\d+\.\d+\), so `pulumi preview` would refuse it:/);
        assert.match(r.err, /wrong[/\\]index\.ts:2:7: error TS2322: Type 'string' is not assignable to type 'number'\./);
        assert.match(r.err, /--no-typecheck skips it/);
    });

    it("uses the program's tsconfig.json (strict settings included)", async () => {
        const loose = `import * as pulumi from "@pulumi/pulumi";\nexport function f(x) { return pulumi.output(x); }\n`;
        const strict = program("strict", { "index.ts": loose, "tsconfig.json": JSON.stringify({ compilerOptions: { strict: true } }) });
        const r = await run(["--program", strict], TYPECHECK_ENV);
        assert.strictEqual(r.code, 2);
        assert.match(r.err, /index\.ts:2:19: error TS7006: Parameter 'x' implicitly has an 'any' type/);
        const lax = program("lax", { "index.ts": loose });
        assert.strictEqual((await run(["--program", lax], TYPECHECK_ENV)).code, 0);
    });

    it("skips the check where Pulumi does: PULUMI_NODEJS_TRANSPILE_ONLY=true, a tsconfig with noCheck, or --no-typecheck", async () => {
        const dir = program("skipped", { "index.ts": WRONG });
        assert.strictEqual((await run(["--program", dir], { PULUMI_NODEJS_TRANSPILE_ONLY: "true" })).code, 0);
        assert.strictEqual((await run(["--program", dir, "--no-typecheck"], TYPECHECK_ENV)).code, 0);
        const noCheck = program("no-check", { "index.ts": WRONG, "tsconfig.json": JSON.stringify({ compilerOptions: { noCheck: true } }) });
        assert.strictEqual((await run(["--program", noCheck], TYPECHECK_ENV)).code, 0);
        const r = await run(["--no-typecheck", "plan.json"]);
        assert.strictEqual(r.code, 2);
        assert.match(r.err, /--no-typecheck applies to --program only/);
    });

    it("answers a program in another language with how to check its plan", async () => {
        const dir = path.join(tmp, "python");
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: infra\nruntime:\n  name: python\n  options:\n    toolchain: pip\n");
        const r = await run(["--program", dir]);
        assert.strictEqual(r.code, 2);
        assert.match(r.err, /runtime "python": --program runs Node\.js \(TypeScript or JavaScript\) programs only/);
        assert.match(r.err, /`pulumi preview --json --show-sames > plan\.json` in .*python, then `databricks-network-check plan\.json`/);
    });
});
