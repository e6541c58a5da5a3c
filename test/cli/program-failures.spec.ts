// Programs that do not finish under mocks: every way ends in exit status 2 with one message on
// standard error that names the cause and the program's line, never a silent pass, a hang or a
// runtime stack trace; the program's own output never reaches the report.

import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCommand } from "../harness/command";
import { PACK_DIR } from "../harness/global";

const PROGRAMS = path.join(PACK_DIR, "test", "programs");
/** Runs that only a process of their own can contain: exits, hangs, endless loops, timers, output. */
const ISOLATED = { isolated: true };

/** Exit 2, an empty report, and exactly the command's own one-line message. */
function inputError(r: { code: number; out: string; err: string }, message: RegExp): void {
    assert.strictEqual(r.code, 2, r.out + r.err);
    assert.strictEqual(r.out, "");
    assert.match(r.err, /^databricks-network-check: [^\n]+\n$/, r.err);
    assert.match(r.err, message);
    assert.doesNotMatch(r.err, /\n\s+at |promises were still active|Error serializing/);
}

describe("--program: a run that does not finish is an input error (exit 2)", function () {
    this.timeout(60_000);

    it("an unanswered lookup whose result feeds another lookup and a resource names its token, arguments and line", async () => {
        const r = await runCommand(["--program", path.join(PROGRAMS, "unanswered-chain"), "--format", "json"]);
        inputError(r, /calls the invoke azure:network\/getVirtualNetwork:getVirtualNetwork with \{"name":"spoke-vnet","resourceGroupName":"rg-network"\}, which has no mock answer: supply one with --mocks .*\(called at test\/programs\/unanswered-chain\/index\.ts:4\)/);
        // The SDK's log of the lookup it could not make stays with the run, as in a process of its own.
        const verbose = await runCommand(["--program", path.join(PROGRAMS, "unanswered-chain"), "--verbose"]);
        assert.strictEqual(verbose.code, 2);
        assert.match(verbose.err, /--- the program's console output \(preview run\) ---\nerror: \[runtime\] Error serializing arguments for invoke azure:network\/getSubnet:getSubnet/);
    });

    it("an unanswered getFirewall feeding twenty routes names the invoke, not leaked promises", async () => {
        const r = await runCommand(["--program", path.join(PROGRAMS, "unanswered-firewall")]);
        inputError(r, /invoke azure:network\/getFirewall:getFirewall with \{"name":"hub-fw","resourceGroupName":"rg-hub"\}.*index\.ts:3\)/);
    });

    it("a computed output the mocks leave undefined names the resource, the output, the source line and the --mocks answer", async () => {
        const r = await runCommand(["--program", path.join(PROGRAMS, "undefined-output")]);
        // Line 15 of the TypeScript source (the transpiled file has the interface removed).
        inputError(r, /reads azure-native:managedidentity:UserAssignedIdentity "uami" output clientId, which the mocks leave undefined \(at test\/programs\/undefined-output\/index\.ts:15: Cannot read properties of undefined \(reading 'split'\)\); supply it with --mocks: \{"resources": \{"azure-native:managedidentity:UserAssignedIdentity": \{"clientId": <value>\}\}\}/);
    });

    it("a program whose promise never settles", async () => {
        const r = await runCommand(["--program", path.join(PROGRAMS, "never-settles"), "--timeout", "5"], undefined, ISOLATED);
        // Judged when nothing is left to run: this message, not the time limit's.
        inputError(r, /the program never finished: it awaits a promise that never settles/);
        assert.doesNotMatch(r.err, /did not finish within/);
    });

    it("a pending long timer stops at the time limit and says what is pending", async () => {
        // The limit counts from the start of the run's process: it must leave a loaded machine time to load the program.
        const r = await runCommand(["--program", path.join(PROGRAMS, "pending-timer"), "--timeout", "5"], undefined, ISOLATED);
        inputError(r, /did not finish within 5 s \(preview run\): the program's code has not returned .*1 pending timer.*raise the limit with --timeout <seconds>/);
    });

    it("an endless loop inside an apply is ended at the time limit", async () => {
        const r = await runCommand(["--program", path.join(PROGRAMS, "endless-apply"), "--timeout", "1.5"], undefined, ISOLATED);
        inputError(r, /did not finish within 1\.5 s \(preview run\) and does not respond: an endless loop/);
    });

    for (const code of ["0", "3"]) {
        it(`process.exit(${code}) inside the program`, async () => {
            const r = await runCommand(["--program", path.join(PROGRAMS, "exits"), "--set", `code=${code}`], undefined, ISOLATED);
            inputError(r, new RegExp(`the program called process\\.exit\\(${code}\\) at test/programs/exits/index\\.ts:4 before it finished`));
        });
    }

    it("a throw inside a setTimeout names the line, without a stack trace; --verbose adds the stack", async () => {
        const args = ["--program", path.join(PROGRAMS, "timer-throw")];
        inputError(await runCommand(args, undefined, ISOLATED), /the program failed under mocks \(at test\/programs\/timer-throw\/index\.ts:5\): the timer failed/);
        const verbose = await runCommand([...args, "--verbose"], undefined, ISOLATED);
        assert.strictEqual(verbose.code, 2);
        assert.match(verbose.err, /Error: the timer failed\n\s+at Timeout\._onTimeout \([^)]*timer-throw[/\\]index\.ts:5:\d+\)/);
    });

    it("the program's own output stays out of the report (valid JSON), and a leftover setInterval does not keep the command running", async () => {
        const r = await runCommand(["--program", path.join(PROGRAMS, "prints"), "--format", "json"], undefined, ISOLATED);
        assert.strictEqual(r.code, 0, r.err);
        assert.strictEqual(JSON.parse(r.out).source.resources > 0, true);
        assert.doesNotMatch(r.out + r.err, /deploying the network|tick/);
    });

    it("a program whose packages are not installed is told to run npm install in its directory", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dbx-uninstalled-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: uninstalled\nruntime: nodejs\n");
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "infra", main: "index.ts", dependencies: { "@pulumi/pulumi": "^3", "@pulumi/azure-native": "^3" } }));
        fs.writeFileSync(path.join(dir, "index.ts"), `import * as network from "@pulumi/azure-native/network";\nnew network.VirtualNetwork("v", { resourceGroupName: "rg" });\n`);
        try {
            const r = await runCommand(["--program", dir]);
            inputError(r, /cannot find the package @pulumi\/pulumi; the program's packages are not installed: run `npm install` in .*dbx-uninstalled-/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("--timeout takes a positive number of seconds, in program mode only", async () => {
        assert.match((await runCommand(["--program", "x", "--timeout", "soon"])).err, /--timeout needs a number of seconds greater than 0; got "soon"/);
        assert.match((await runCommand(["--timeout", "3", "plan.json"])).err, /--timeout applies to --program only/);
    });
});
