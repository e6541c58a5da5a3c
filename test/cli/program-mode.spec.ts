import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCommand as run } from "../harness/command";
import { runProgramDir } from "../../cli/program/program";
import { toResourceInputs } from "../../cli/program/record";
import { checkStack } from "../../cli/check";
import { jsonFinding } from "../../cli/formats/json";
import { TierId } from "../../policies/matrix";
import { analyzeStack, featureOf } from "../harness/check";
import { PACK_DIR } from "../harness/global";
import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import { runProgram } from "../../support/program";

const PROGRAMS = path.join(PACK_DIR, "test", "programs");

describe("databricks-network-check --program (offline, under mocks)", () => {
    it("runs a program twice (preview and known values) and passes a compliant one", async () => {
        const r = await run(["--program", path.join(PROGRAMS, "compliant"), "--format", "json"]);
        assert.strictEqual(r.code, 0, r.out + r.err);
        const report = JSON.parse(r.out);
        assert.strictEqual(report.source.kind, "program");
        assert.ok(report.source.resources >= 7, r.out);
        assert.deepStrictEqual(report.findings.filter((f: { level: string }) => f.level === "mandatory"), []);
        // SCC and VNet injection depend on values unknown at preview: flagged as preview-only findings.
        assert.ok(report.findings.some((f: { phase: string; status: string }) => f.phase === "preview" && f.status === "unverified"), r.out);
        assert.match(r.err, /dbx-compliant:adminPassword is a secret in the stack file; a placeholder value is used/);
    });

    it("reads configuration from Pulumi.<stack>.yaml, and --set supplies or overrides values", async () => {
        const runs = await runProgramDir({ dir: path.join(PROGRAMS, "compliant"), set: new Map([["prefix", "globex"]]), inProcess: true });
        assert.strictEqual(runs.stack, "dev");
        assert.ok(runs.known.resources.some(r => r.name === "globex-ws"));
        const missing = await run(["--program", path.join(PROGRAMS, "missing-config"), "--set", "resourceGroup=rg-1"]);
        assert.strictEqual(missing.code, 0, missing.err);
    });

    it("fails a non-compliant program with exit status 1 and says which findings need known values", async () => {
        const r = await run(["--program", path.join(PROGRAMS, "failing"), "--tier", "hardened-connectivity"]);
        assert.strictEqual(r.code, 1, r.err);
        assert.match(r.out, /Program \(run offline under mocks, preview and known values\)/);
        assert.match(r.out, /MANDATORY  azure-native:databricks:Workspace "ws"/);
        assert.match(r.out, /FAILED: \d+ mandatory violations?/);
    });

    it("gives the same verdicts as the engine on the same program", async () => {
        const dir = path.join(PROGRAMS, "failing");
        const runs = await runProgramDir({ dir, inProcess: true });
        assert.ok(toResourceInputs(runs.preview).length === runs.preview.resources.length);
        type Finding = { feature: string; urn?: string; level: string; message: string; phase: string };
        const line = (f: Finding) => `${f.feature}|${f.urn ?? ""}|${f.level}|${f.message}`;
        const engineLines = async (tier: TierId) => (await analyzeStack(runs.known, { tier })).diagnostics.map(d => `${featureOf(d)}|${d.urn}|${d.enforcementLevel}|${d.message}`).sort();
        // The command itself at one tier; at the other, the command's check of the same runs (the program runs once).
        const r = await run(["--program", dir, "--tier", "managed-security", "--format", "json"]);
        const known = (JSON.parse(r.out) as { findings: Finding[] }).findings.filter(f => f.phase !== "preview");
        assert.deepStrictEqual(known.map(line).sort(), await engineLines("managed-security"));
        const checked = checkStack(toResourceInputs(runs.known), { file: dir, kind: "export" }, { tier: "isolated-environment" });
        assert.deepStrictEqual(checked.findings.map(f => line({ ...jsonFinding(f), phase: "known" })).sort(), await engineLines("isolated-environment"));
    });

    it("leaves the providers' type-only aliases out while it records (nothing reads them), and restores the SDK's option merge", async () => {
        const merge = pulumi.mergeOptions;
        let merged: unknown;
        const stack = await runProgram(() => {
            merged = pulumi.mergeOptions({ protect: false }, { aliases: [{ type: "azure-native:network/v20200101:VirtualNetwork" }, { name: "old-vnet" }, "urn:pulumi:dev::p::t::n"] }).aliases;
            // 60 aliases of its type's earlier versions, which the SDK would turn into URNs one by one.
            new network.VirtualNetwork("vnet", { resourceGroupName: "rg", addressSpace: { addressPrefixes: ["10.0.0.0/16"] } });
        }, { preview: false });
        assert.deepStrictEqual(merged, [{ name: "old-vnet" }, "urn:pulumi:dev::p::t::n"]);
        assert.strictEqual(pulumi.mergeOptions, merge);
        assert.strictEqual((pulumi.mergeOptions({}, { aliases: [{ type: "t" }] }).aliases as unknown[]).length, 1);
        assert.deepStrictEqual(stack.resources.filter(r => r.name === "vnet").map(r => r.type), ["azure-native:network:VirtualNetwork"]);
    });

    describe("a program that cannot run gets exit status 2 and a clear message", () => {
        it("a syntax error names the file and line", async () => {
            const r = await run(["--program", path.join(PROGRAMS, "syntax-error")]);
            assert.strictEqual(r.code, 2);
            assert.match(r.err, /syntax-error[/\\]index\.ts:6:\d+: syntax error: ',' expected/);
            assert.doesNotMatch(r.err, /\n\s+at /);
        });

        it("a missing configuration value says how to supply it", async () => {
            const r = await run(["--program", path.join(PROGRAMS, "missing-config")]);
            assert.strictEqual(r.code, 2);
            assert.match(r.err, /needs the configuration value dbx-missing:resourceGroup: set it in Pulumi\.dev\.yaml or pass --set dbx-missing:resourceGroup=<value>/);
        });

        it("an invoke without a mock answer names the token and how to answer it; --mocks answers it", async () => {
            const r = await run(["--program", path.join(PROGRAMS, "unmocked-invoke")]);
            assert.strictEqual(r.code, 2);
            assert.match(r.err, /calls the invoke azure-native:network:getVirtualNetwork with {"resourceGroupName":"rg-hub","virtualNetworkName":"hub"}, which has no mock answer: supply one with --mocks .*\(called at test\/programs\/unmocked-invoke\/index\.ts:4\)/);
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dbx-mocks-"));
            try {
                const mocks = path.join(dir, "mocks.json");
                fs.writeFileSync(mocks, JSON.stringify({ invokes: { "azure-native:network:getVirtualNetwork": { addressSpace: { addressPrefixes: ["10.9.0.0/16"] } } } }));
                const ok = await run(["--program", path.join(PROGRAMS, "unmocked-invoke"), "--mocks", mocks]);
                assert.strictEqual(ok.code, 0, ok.err);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("a directory that is not a Pulumi project, an unknown stack, and misplaced options", async () => {
            assert.match((await run(["--program", path.join(PROGRAMS, "nope")])).err, /no such directory/);
            assert.match((await run(["--program", PACK_DIR + "/policies"])).err, /not a Pulumi project \(no Pulumi\.yaml\)/);
            const stack = await run(["--program", path.join(PROGRAMS, "compliant"), "--stack", "prod"]);
            assert.strictEqual(stack.code, 2);
            assert.match(stack.err, /no Pulumi\.prod\.yaml \(stacks here: dev\)/);
            assert.match((await run(["--set", "a=b", "x.json"])).err, /--set applies to --program only/);
            assert.match((await run(["--program", "x", "y.json"])).err, /--program takes no <file>/);
        });
    });
});
