import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCommand as run } from "../harness/command";
import { analyzeStack, featureOf } from "../harness/check";
import { previewJson, stackExport } from "../../support/documents";
import { PACK_DIR } from "../harness/global";
import { RecordedStack, runProgram } from "../../support/program";
import { nativeWorkspace } from "../../fixtures/native";
import { classicWorkspace } from "../../fixtures/classic";
import { TierId } from "../../policies";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const Ajv = require("ajv");
const SARIF_SCHEMA = require("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
const DRAFT4 = require("ajv/lib/refs/json-schema-draft-04.json");

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dbx-check-"));
/** The command as the package's `bin` entry names it. */
const binFile = path.join(PACK_DIR, (JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")) as { bin: Record<string, string> }).bin["databricks-network-check"]);

function write(name: string, content: unknown): string {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
    return file;
}

const programs: Record<string, () => unknown> = {
    "native, compliant": () => nativeWorkspace(),
    "native, no back-end endpoint and public IPs": () => nativeWorkspace({ backend: "none", noPublicIp: false }),
    "classic, undelegated": () => classicWorkspace({ delegate: false }),
    "two workspaces, one without NSGs": () => { nativeWorkspace({ name: "a" }); nativeWorkspace({ name: "b", nsg: false }); },
};

describe("databricks-network-check", () => {
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    describe("gives the same verdicts as the pack in the engine", () => {
        for (const [title, program] of Object.entries(programs)) {
            for (const preview of [true, false]) {
                for (const tier of ["managed-security", "isolated-environment"] as TierId[]) {
                    it(`${title} (${preview ? "preview --json" : "stack export"}, ${tier})`, async () => {
                        const stack: RecordedStack = await runProgram(program, { preview });
                        const engine = await analyzeStack(stack, { tier });
                        const file = write("stack.json", preview ? previewJson(stack) : stackExport(stack));
                        const r = await run(["--tier", tier, "--format", "json", file]);
                        assert.ok(r.code === 0 || r.code === 1, r.err);
                        const report = JSON.parse(r.out);
                        const fromEngine = engine.diagnostics.map(d => `${featureOf(d)}|${d.urn}|${d.enforcementLevel}|${d.message}`).sort();
                        const fromCli = report.findings.map((f: { feature: string; urn?: string; level: string; message: string }) => `${f.feature}|${f.urn ?? ""}|${f.level}|${f.message}`).sort();
                        assert.deepStrictEqual(fromCli, fromEngine);
                        assert.strictEqual(r.code, engine.mandatory().length > 0 ? 1 : 0);
                    });
                }
            }
        }
    });

    describe("exit status and formats", () => {
        let passing: string;
        let failing: string;
        before(async () => {
            passing = write("pass.json", stackExport(await runProgram(() => nativeWorkspace(), { preview: false })));
            failing = write("fail.json", previewJson(await runProgram(() => nativeWorkspace({ backend: "none" }), { preview: true })));
        });

        it("exits 0 when nothing mandatory fails, 1 when something does", async () => {
            assert.strictEqual((await run([passing])).code, 0);
            const r = await run([failing]);
            assert.strictEqual(r.code, 1);
            assert.match(r.out, /FAILED: 1 mandatory violation/);
        });

        it("prints a plain table in a pipe and colour when asked", async () => {
            const plain = await run([failing]);
            assert.doesNotMatch(plain.out, /\u001b\[/);
            assert.match(plain.out, /Classic compute\n/);
            assert.match(plain.out, /✖  classic-compute-private-link/);
            assert.match(plain.out, /MANDATORY  azure-native:databricks:Workspace "prod-ws"/);
            assert.match((await run(["--color", failing])).out, /\u001b\[31m/);
        });

        it("writes markdown for a pull-request comment", async () => {
            const r = await run(["--format", "markdown", failing]);
            assert.match(r.out, /^### Azure Databricks network check: ❌ failed/);
            assert.match(r.out, /\| ❌ \| `classic-compute-private-link` \| required \| 1 mandatory \|/);
        });

        it("writes SARIF 2.1.0 that validates against the schema, with rules carrying description, help and severity", async () => {
            const r = await run(["--format", "sarif", "--tier", "isolated-environment", failing]);
            const sarif = JSON.parse(r.out);
            const ajv = new Ajv({ schemaId: "auto", allErrors: true });
            ajv.addMetaSchema(DRAFT4);
            const valid = ajv.validate(SARIF_SCHEMA, sarif);
            assert.ok(valid, JSON.stringify(ajv.errors, null, 1));
            const driver = sarif.runs[0].tool.driver;
            const rule = driver.rules.find((x: { id: string }) => x.id === "classic-compute-private-link");
            assert.ok(rule.fullDescription.text.length > 20 && /databricks_ui_api/.test(rule.help.text));
            assert.strictEqual(rule.properties["security-severity"], "7.5");
            const result = sarif.runs[0].results.find((x: { ruleId: string; level: string }) => x.ruleId === "classic-compute-private-link" && x.level === "error");
            assert.ok(result, r.out);
            assert.strictEqual(result.locations[0].logicalLocations[0].name, "prod-ws");
            // The kind tells "missing" from "unknown": here no back-end endpoint is declared.
            assert.strictEqual(result.properties.kind, "missing");
            const kinds = new Set(sarif.runs[0].results.map((x: { properties: { kind?: string } }) => x.properties.kind));
            assert.ok(kinds.has("missing") && kinds.has("fail"), [...kinds].join(", "));
        });

        it("writes a stable JSON document to --output", async () => {
            const out = path.join(tmp, "report.json");
            const r = await run(["--format=json", "--output", out, failing]);
            assert.strictEqual(r.code, 1);
            assert.strictEqual(r.out, "");
            const report = JSON.parse(fs.readFileSync(out, "utf8"));
            assert.deepStrictEqual(Object.keys(report), ["schemaVersion", "tool", "tier", "readiness", "source", "summary", "features", "findings"]);
            assert.strictEqual(report.schemaVersion, 2);
            assert.deepStrictEqual(Object.keys(report.findings[0]).sort(), ["attestable", "blocks", "details", "feature", "fingerprint", "found", "group", "headline", "kind", "level", "message", "missing", "resourceName", "resourceType", "status", "urn"]);
            assert.ok(report.findings.every((f: { status: string; kind?: string }) => (f.status === "note" || f.status === "tier-tag") === (f.kind === undefined)), JSON.stringify(report.findings));
        });

        it("takes the configuration file in the --policy-pack-config format, and stack tags", async () => {
            const cfg = write("cfg.json", { "classic-compute-private-link": { attestations: [{ reason: "hub stack endpoint" }] } });
            const r = await run(["--config", cfg, "--format", "json", failing]);
            assert.strictEqual(r.code, 0, r.err);
            const ccpl = JSON.parse(r.out).findings.filter((f: { feature: string }) => f.feature === "classic-compute-private-link");
            assert.deepStrictEqual(ccpl.map((f: { status: string; level: string }) => `${f.status}/${f.level}`), ["attested/advisory"]);
            const tagged = JSON.parse((await run(["--stack-tag", "databricks-network-tier=isolated-environment", "--format", "json", passing])).out);
            assert.strictEqual(tagged.tier, "isolated-environment");
        });
    });

    describe("bad input: exit 2 and a clear message, never a stack trace", () => {
        const cases: [string, () => string[], RegExp][] = [
            ["no file", () => [], /missing <file>/],
            ["an unknown option", () => ["--frobnicate", "x.json"], /unknown option --frobnicate/],
            ["an unknown tier", () => ["--tier", "gold", "x.json"], /--tier must be one of "managed-security", "hardened-connectivity", "isolated-environment"; got "gold"/],
            ["an unknown format", () => ["--format", "xml", "x.json"], /--format must be one of table, json, sarif, markdown/],
            ["a missing file", () => [path.join(tmp, "nope.json")], /nope\.json: cannot read .* \(no such file\)/],
            ["an empty file", () => [write("empty.json", "")], /empty\.json: the file is empty/],
            ["malformed JSON", () => [write("bad.json", "{ steps: [ }")], /bad\.json: not valid JSON/],
            ["a truncated file", () => [write("trunc.json", JSON.stringify({ steps: [{ op: "create", newState: { urn: "u", type: "t" } }] }).slice(0, 40))], /trunc\.json: the JSON ends early \(truncated file\?\)/],
            ["unrelated JSON", () => [write("pkg.json", { name: "x", version: "1.0.0" })], /pkg\.json: neither `pulumi preview --json` output \(with "steps"\) nor a `pulumi stack export` file .*found name, version/],
            ["a config naming no policy", () => ["--config", write("c1.json", { "no-such-policy": "mandatory" }), write("s1.json", { steps: [] })], /c1\.json: "no-such-policy" is not a policy of this pack/],
            ["a config with a bad tier", () => ["--config", write("c2.json", { "vnet-injection": { tier: "gold" } }), write("s2.json", { steps: [] })], /c2\.json: vnet-injection\.tier must be one of/],
            ["a config with an unknown property, listing every known one", () => ["--config", write("c4.json", { "vnet-injection": { teir: "gold" } }), write("s4.json", { steps: [] })], /c4\.json: vnet-injection\.teir is not a known property \(tier, attestations, exemptions, requireEvidenceInStack, workspaceStorageAccounts, enforcementLevel\)\n/],
            ["a config with a bad level, repeating it", () => ["--config", write("c5.json", { "vnet-injection": "sometimes" }), write("s5.json", { steps: [] })], /c5\.json: vnet-injection must be an enforcement level \(advisory, mandatory, disabled, remediate\) or an object; got "sometimes"/],
            ["a config with a bad enforcementLevel, repeating it", () => ["--config", write("c6.json", { "vnet-injection": { enforcementLevel: "strict" } }), write("s6.json", { steps: [] })], /c6\.json: vnet-injection\.enforcementLevel must be one of advisory, mandatory, disabled, remediate; got "strict"/],
            ["a config whose policy is neither a level nor an object, repeating it", () => ["--config", write("c7.json", { "vnet-injection": 3 }), write("s7.json", { steps: [] })], /c7\.json: vnet-injection must be an enforcement level or an object of properties; got 3/],
            ["a malformed config", () => ["--config", write("c3.json", "[1,"), write("s3.json", { steps: [] })], /c3\.json: the JSON ends early/],
        ];
        for (const [title, args, pattern] of cases) {
            it(title, async () => {
                const r = await run(args());
                assert.strictEqual(r.code, 2, r.out);
                assert.match(r.err, pattern);
                assert.doesNotMatch(r.err, /\n\s+at /);
            });
        }
    });

    it("ships as a package bin that runs with node and sets the exit status", () => {
        assert.match(fs.readFileSync(binFile, "utf8"), /^#!\/usr\/bin\/env node/);
        const p = spawnSync(process.execPath, [binFile, "--tier", "nope", "x"], { encoding: "utf8" });
        assert.strictEqual(p.status, 2);
        assert.match(p.stderr, /--tier must be one of/);
        const h = spawnSync(process.execPath, [binFile, "--help"], { encoding: "utf8" });
        assert.strictEqual(h.status, 0);
        assert.match(h.stdout, /Usage: databricks-network-check/);
    });

    it("judges a plan without loading the Pulumi SDK (about a second of start-up and 80 MB)", async () => {
        const plan = write("sdk-free-plan.json", previewJson(await runProgram(() => nativeWorkspace({ noPublicIp: false }), { preview: true })));
        const probe = write("probe.js", `process.on("exit", () => process.stderr.write("SDK modules: " + Object.keys(require.cache).filter(f => /[\\\\/]@pulumi[\\\\/](pulumi|policy)[\\\\/]/.test(f)).length + "\\n"));`);
        const p = spawnSync(process.execPath, ["--require", probe, binFile, "--tier", "hardened-connectivity", "--format", "json", plan], { encoding: "utf8" });
        assert.strictEqual(p.status, 1, p.stderr);
        assert.ok((JSON.parse(p.stdout) as { findings: { level: string }[] }).findings.some(f => f.level === "mandatory"));
        assert.match(p.stderr, /^SDK modules: 0$/m);
    });
});

describe("SARIF fingerprints", function () {
    this.timeout(120_000);
    const example = path.join(PACK_DIR, "examples", "hardened-connectivity");
    // Inside the pack's directory, so that the copy resolves the same SDKs.
    let copy = "";
    after(() => copy && fs.rmSync(copy, { recursive: true, force: true }));

    type Result = { ruleId: string; level: string; message: { text: string }; partialFingerprints: Record<string, string> };
    const results = async (dir: string): Promise<Result[]> => {
        const r = await run(["--program", dir, "--tier", "isolated-environment", "--format", "sarif"]);
        assert.strictEqual(r.code, 1, r.err);
        return (JSON.parse(r.out) as { runs: { results: Result[] }[] }).runs[0].results;
    };

    it("distinct findings have their own fingerprint (host and container subnet without a route table), kept across an unrelated edit", async () => {
        const before = await results(example);
        const firewall = before.filter(x => x.ruleId === "external-firewall" && x.level === "error");
        assert.strictEqual(firewall.length, 2, JSON.stringify(firewall));
        assert.ok(firewall.every(x => /^Found: .* has no route table\.\n/.test(x.message.text)), JSON.stringify(firewall));
        const prints = before.map(x => x.partialFingerprints["databricksNetwork/v2"]);
        assert.ok(prints.every(p => /^[0-9a-f]{64}$/.test(p)), prints.join(", "));
        assert.strictEqual(new Set(prints).size, prints.length, JSON.stringify(before.map(x => [x.ruleId, x.message.text.split("\n")[0]])));
        // The same program with an unrelated resource added: the same findings keep their fingerprints.
        copy = fs.mkdtempSync(path.join(PACK_DIR, "examples", ".fingerprints-"));
        // The program's own files (not the folders beside them, such as its Python version).
        for (const f of fs.readdirSync(example, { withFileTypes: true }).filter(e => e.isFile())) {
            fs.copyFileSync(path.join(example, f.name), path.join(copy, f.name));
        }
        fs.appendFileSync(path.join(copy, "index.ts"), "\nnew (require(\"@pulumi/azure-native/resources\").ResourceGroup)(\"unrelated\", { resourceGroupName: \"rg-unrelated\" });\n");
        const after = await results(copy);
        assert.strictEqual(after.length, before.length, JSON.stringify(after.map(x => x.message.text.split("\n")[0])));
        assert.deepStrictEqual(after.map(x => x.partialFingerprints["databricksNetwork/v2"]).sort(), [...prints].sort());
    });
});
