// The check command on plans and exports in every form the Pulumi CLI writes them (built from its
// Go source in support/documents.ts): the same verdicts as the pack in the engine given the
// same resources, and a clear refusal for files that are partial or of another kind.

import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCommand as run } from "../harness/command";
import { TierId } from "../../policies";
import { read, readStrings, SECRET_MASK, SIG_KEY, UNSEEN } from "../../policies/core/model/values";
import { PROGRAMS } from "../e2e/programs";
import { analyzeStack, featureOf } from "../harness/check";
import { maskedSecrets, previewJson, PreviewOptions, secretProperties, stackExport } from "../../support/documents";
import { PackConfigFile } from "../../policies/core/evaluation/settings";
import { PACK_DIR } from "../harness/global";
import { RecordedStack, runProgram } from "../../support/program";
import * as pulumi from "@pulumi/pulumi";
import { nativeWorkspace } from "../../fixtures/native";
import { accountIpAccessList } from "../../fixtures/inbound";
import { hostOnlyClassic, hostOnlyNative } from "../../fixtures/plans";
import { classicWorkspace } from "../../fixtures/classic";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dbx-plans-"));
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

function write(name: string, content: unknown): string {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content, null, 4));
    return file;
}

interface Finding { feature: string; urn?: string; level: string; status: string; message: string }

async function cli(doc: unknown, tier: TierId, config: PackConfigFile = {}): Promise<{ code: number; findings: Finding[]; keys: string[] }> {
    const args = ["--tier", tier, "--format", "json", write("doc.json", doc)];
    if (Object.keys(config).length > 0) {
        args.unshift("--config", write("config.json", config));
    }
    const r = await run(args);
    assert.ok(r.code === 0 || r.code === 1, r.err);
    const findings = (JSON.parse(r.out) as { findings: Finding[] }).findings;
    return { code: r.code, findings, keys: findings.map(f => `${f.feature}|${f.urn ?? ""}|${f.level}|${f.message}`).sort() };
}

async function engine(stack: RecordedStack, tier: TierId, config: PackConfigFile = {}): Promise<{ code: number; keys: string[] }> {
    const v = await analyzeStack(stack, { tier, config });
    return { code: v.mandatory().length > 0 ? 1 : 0, keys: v.diagnostics.map(d => `${featureOf(d)}|${d.urn}|${d.enforcementLevel}|${d.message}`).sort() };
}

const IE = PROGRAMS.find(p => p.tier === "isolated-environment");

interface Case {
    title: string;
    program: () => unknown;
    outputs?: Record<string, Record<string, unknown>>;
    config: PackConfigFile;
    /** A resource whose update the plan carries. */
    changed: string;
}

const CASES: Case[] = [
    { title: "the Isolated-environment reference program (azure-native)", program: () => IE?.program(), outputs: IE?.outputs(), config: IE?.packConfig ?? {}, changed: "ie-allowed" },
    { title: "azure-native, a workspace provider configured by host only", program: () => hostOnlyNative(), config: {}, changed: "prod-corp" },
    { title: "classic azure, a workspace provider configured by host only", program: () => hostOnlyClassic(), config: {}, changed: "classic-corp" },
];

/** A workspace of the old state the program no longer declares: counted, it would fail. */
async function droppedResources(): Promise<RecordedStack["resources"]> {
    return (await runProgram(() => nativeWorkspace({ name: "old", backend: "none", noPublicIp: false, publicNetworkAccess: "Enabled" }), { preview: false })).resources
        .filter(r => !r.type.startsWith("pulumi:providers:"));
}

describe("databricks-network-check reads plans and exports as the Pulumi CLI writes them", function () {
    this.timeout(120_000);
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("the reference program's firewall has its private IP only in its outputs", async () => {
        assert.ok(IE, "the isolated-environment reference program");
        const s = await runProgram(() => IE.program(), { preview: false, outputs: IE.outputs() });
        const fw = s.resources.find(r => r.name === "ie-firewall");
        assert.ok(fw && JSON.stringify(fw.outputs).includes("privateIPAddress") && !JSON.stringify(fw.inputs).includes("privateIPAddress"));
    });

    for (const c of CASES) {
        describe(c.title, () => {
            const tier: TierId = "isolated-environment";
            let stack: RecordedStack;
            let expected: { code: number; keys: string[] };
            before(async () => {
                stack = await runProgram(c.program, { preview: false, outputs: c.outputs });
                assert.ok(stack.resources.some(r => r.name === c.changed), `no resource ${c.changed}`);
                expected = await engine(stack, tier, c.config);
            });

            const forms: [string, () => Promise<unknown>][] = [
                ["stack export", async () => stackExport(stack)],
                ["stack export --show-secrets", async () => stackExport(stack, { secrets: "plaintext" })],
                ["preview --json --show-sames", async () => previewJson(stack, { showSames: true })],
                ["preview --json --show-sames, one resource updated", async () => previewJson(stack, { showSames: true, changes: { [c.changed]: "update" } })],
                ["preview --json --refresh (no --show-sames)", async () => previewJson(stack, { refresh: true, changes: { [c.changed]: "update" } })],
                ["preview --json --refresh --show-sames, a workspace dropped from the program", async () => previewJson(stack, { refresh: true, showSames: true, dropped: await droppedResources() })],
            ];
            for (const [form, doc] of forms) {
                it(`${form}: the same verdicts as the engine`, async () => {
                    const got = await cli(await doc(), tier, c.config);
                    assert.deepStrictEqual(got.keys, expected.keys);
                    assert.strictEqual(got.code, expected.code);
                });
            }

            it("the engine finds the workspace IP access list (the provider's host is a workspace output)", () => {
                assert.ok(!expected.keys.some(k => k.startsWith("workspace-ip-access-lists|") && k.includes("|mandatory|")), expected.keys.join("\n"));
            });

            it("a default preview (no --show-sames) of a one-resource update is refused, naming --show-sames", async () => {
                const r = await run([write("partial.json", previewJson(stack, { changes: { [c.changed]: "update" } }))]);
                assert.strictEqual(r.code, 2, r.out);
                assert.match(r.err, /partial\.json: this preview holds only the changed resources: changeSummary counts \d+ unchanged, the steps carry 1\. .*pulumi preview --json --show-sames/);
            });
        });
    }

    describe("secrets", () => {
        for (const [title, program] of [["azure-native", () => hostOnlyNative({ secretIps: true })], ["classic azure", () => hostOnlyClassic({ secretIps: true })]] as const) {
            describe(title, () => {
                const tier: TierId = "hardened-connectivity";
                let stack: RecordedStack;
                let masked: { code: number; keys: string[] };
                before(async () => {
                    stack = await runProgram(program, { preview: false });
                    masked = await engine(maskedSecrets(stack), tier);
                });

                it("the pack reads \"[secret]\" (pulumi policy analyze) as a value it cannot see: advisory, saying it is secret", () => {
                    const acl = masked.keys.filter(k => k.startsWith("workspace-ip-access-lists|"));
                    assert.strictEqual(acl.length, 1, masked.keys.join("\n"));
                    assert.match(acl[0], /\|advisory\|[\s\S]*ipAddresses secret \(not readable here\)/);
                    assert.ok(!masked.keys.some(k => /has no addresses/.test(k)), masked.keys.join("\n"));
                });

                for (const [form, doc] of [
                    ["preview --json --show-sames (every secret \"[secret]\")", () => previewJson(stack, { showSames: true })],
                    ["stack export (ciphertext)", () => stackExport(stack)],
                ] as const) {
                    it(`${form}: the verdicts of the engine given "[secret]"`, async () => {
                        const got = await cli(doc(), tier);
                        assert.deepStrictEqual(got.keys, masked.keys);
                        assert.strictEqual(got.code, masked.code);
                    });
                }

                it("stack export --show-secrets: the plaintext is read, as the engine reads the decrypted value", async () => {
                    const decrypted = await engine(stack, tier);
                    assert.ok(!decrypted.keys.some(k => k.startsWith("workspace-ip-access-lists|")), decrypted.keys.join("\n"));
                    const got = await cli(stackExport(stack, { secrets: "plaintext" }), tier);
                    assert.deepStrictEqual(got.keys, decrypted.keys);
                });
            });
        }

        const secretStacks: { title: string; tier: TierId; program: () => unknown; outputs?: Record<string, Record<string, unknown>>; config: PackConfigFile }[] = [
            { title: "the Isolated-environment reference program (azure-native)", tier: "isolated-environment", program: () => IE?.program(), outputs: IE?.outputs(), config: IE?.packConfig ?? {} },
            { title: "two classic azure workspaces", tier: "hardened-connectivity", program: () => { classicWorkspace({ name: "a" }); classicWorkspace({ name: "b", resourceGroupName: "rg-b" }); }, config: {} },
        ];
        for (const c of secretStacks) {
            describe(`every property of every Azure and Databricks resource secret: ${c.title}`, () => {
                let clear: RecordedStack;
                let stack: RecordedStack;
                before(async () => {
                    clear = await runProgram(c.program, { preview: false, outputs: c.outputs });
                    stack = secretProperties(clear, ["id"]);
                });
                const mandatory = (findings: { feature: string; urn?: string; level: string }[]) => new Set(findings.filter(f => f.level === "mandatory").map(f => `${f.feature}|${f.urn ?? ""}`));
                const doors: [string, () => Promise<{ findings: Finding[] }>][] = [
                    ["pulumi policy analyze (\"[secret]\", in the engine)", async () => {
                        const v = await analyzeStack(maskedSecrets(stack), { tier: c.tier, config: c.config });
                        return { findings: v.diagnostics.map(d => ({ feature: featureOf(d), urn: d.urn, level: d.enforcementLevel, status: "", message: d.message })) };
                    }],
                    ["preview --json --show-sames (\"[secret]\")", () => cli(previewJson(stack, { showSames: true }), c.tier, c.config)],
                    ["stack export (ciphertext)", () => cli(stackExport(stack), c.tier, c.config)],
                ];
                for (const [door, judge] of doors) {
                    it(`${door}: what read a secret says so and how to let the check read it; nothing mandatory that the readable stack does not have`, async () => {
                        const { findings } = await judge();
                        const text = findings.map(f => f.message).join("\n\n");
                        assert.doesNotMatch(text, /until apply|computed at apply|pulumi up analyzes again/, text);
                        const readable = mandatory((await cli(stackExport(clear, { secrets: "plaintext" }), c.tier, c.config)).findings);
                        assert.deepStrictEqual([...mandatory(findings)].filter(k => !readable.has(k)), [], text);
                        const secret = findings.filter(f => /^Secret, not readable here: /.test(f.message));
                        assert.ok(new Set(secret.map(f => f.feature)).size >= 6, text);
                        assert.ok(secret.every(f => /pulumi stack export --show-secrets/.test(f.message) && /attest it/.test(f.message)), text);
                    });
                }
            });
        }

        it("a first preview: a secret input is said to be secret, values computed at apply stay unknown until apply", async () => {
            const stack = await runProgram(() => nativeWorkspace({ publicNetworkAccess: "Disabled", sku: "premium" }), { preview: true });
            const ws = stack.resources.find(r => r.name === "prod-ws");
            assert.ok(ws, "no workspace");
            ws.inputs = { ...ws.inputs, publicNetworkAccess: { [SIG_KEY]: SECRET_SIG, value: ws.inputs.publicNetworkAccess } };
            const { findings } = await cli(previewJson(stack), "isolated-environment");
            const wipl = findings.filter(f => f.feature === "workspace-inbound-private-link" && f.status === "unverified").map(f => f.message);
            assert.ok(wipl.some(m => /^Secret, not readable here: publicNetworkAccess is secret \(not readable here\)\.\n[\s\S]*pulumi stack export --show-secrets/.test(m)), wipl.join("\n\n"));
            const unknown = findings.filter(f => f.status === "unverified" && /^Not verified: .*unknown until apply/.test(f.message));
            assert.ok(unknown.length > 0 && unknown.every(f => /pulumi up analyzes again/.test(f.message)), findings.map(f => f.message).join("\n\n"));
        });

        it("an account IP access list whose addresses are \"[secret]\": advisory, saying a value is secret, never \"has no addresses\"", async () => {
            const stack = await runProgram(() => { nativeWorkspace(); accountIpAccessList("corp", { label: "corp", listType: "ALLOW", ipAddresses: pulumi.secret(["203.0.113.0/24"]) }); }, { preview: false });
            const v = await analyzeStack(maskedSecrets(stack), { tier: "hardened-connectivity" });
            assert.deepStrictEqual(v.mandatory("account-ip-access-lists"), [], v.toString());
            const a = v.advisory("account-ip-access-lists");
            assert.strictEqual(a.length, 1, v.toString());
            assert.match(a[0].message, /"corp" .*: a value is secret \(not readable here\)/);
            assert.deepStrictEqual((await analyzeStack(stack, { tier: "hardened-connectivity" })).of("account-ip-access-lists"), []);
        });

        it("the value readers: \"[secret]\", ciphertext and bad plaintext are secret unknowns, plaintext and decrypted values are read", () => {
            assert.deepStrictEqual(read({ a: SECRET_MASK }, "a"), { state: "unknown", path: "a", secret: true });
            assert.deepStrictEqual(readStrings({ a: ["10.0.0.0/8", SECRET_MASK] }, "a"), { state: "unknown", path: "a.1", secret: true });
            assert.deepStrictEqual(read({ a: { [SIG_KEY]: SECRET_SIG, ciphertext: "v1:xyz" } }, "a", "b"), { state: "unknown", path: "a", secret: true });
            assert.deepStrictEqual(read({ a: { [SIG_KEY]: SECRET_SIG, plaintext: "not json" } }, "a"), { state: "unknown", path: "a", secret: true });
            assert.deepStrictEqual(readStrings({ a: { [SIG_KEY]: SECRET_SIG, plaintext: "[\"10.0.0.0/8\"]" } }, "a"), { state: "known", value: ["10.0.0.0/8"] });
            assert.deepStrictEqual(read({ a: { [SIG_KEY]: SECRET_SIG, value: 1 } }, "a"), { state: "known", value: 1 });
            assert.deepStrictEqual(read({ id: "x", [UNSEEN]: true }, "publicNetworkAccess"), { state: "unknown", path: "publicNetworkAccess" });
            assert.deepStrictEqual(read({ id: "x", [UNSEEN]: true }, "id"), { state: "known", value: "x" });
            assert.deepStrictEqual(read({ id: "x" }, "publicNetworkAccess"), { state: "absent" });
        });

        it("an export secret whose plaintext is not JSON text is an input error naming the resource and property", async () => {
            const stack = await runProgram(() => hostOnlyNative({ secretIps: true }), { preview: false });
            const doc = stackExport(stack, { secrets: "plaintext" }) as { deployment: { resources: { urn: string; outputs?: Record<string, unknown> }[] } };
            const i = doc.deployment.resources.findIndex(r => r.urn.endsWith("::prod-corp"));
            (doc.deployment.resources[i].outputs as Record<string, unknown>).ipAddresses = { [SIG_KEY]: SECRET_SIG, plaintext: "[\"203.0.113.0/24\"" };
            const r = await run([write("badsecret.json", doc)]);
            assert.strictEqual(r.code, 2, r.out);
            assert.match(r.err, new RegExp(`badsecret\\.json: deployment\\.resources\\[${i}\\] \\(urn:pulumi:dev::databricks-network::databricks:index/ipAccessList:IpAccessList::prod-corp\\) outputs: the secret at ipAddresses has plaintext that is not JSON text`));
        });
    });

    describe("steps and resources", () => {
        let stack: RecordedStack;
        before(async () => {
            stack = await runProgram(() => hostOnlyNative(), { preview: false });
        });
        const wsUrn = () => stack.resources.find(r => r.name === "prod-ws")?.urn as string;
        const plan = (o: PreviewOptions = { showSames: true }) => previewJson(stack, o) as { steps: Record<string, unknown>[] };

        it("a read step carries only the ID: the workspace's properties are unknown, not public access enabled", async () => {
            const doc = plan();
            const step = doc.steps.find(s => s.urn === wsUrn()) as Record<string, unknown>;
            const n = step.newState as Record<string, unknown>;
            const id = (step.oldState as Record<string, unknown>).id;
            assert.strictEqual(typeof id, "string");
            // NewReadStep (pkg/resource/deploy/step.go): an external custom resource known by its ID.
            step.op = "read";
            step.oldState = undefined;
            step.newState = { urn: n.urn, custom: true, id, type: n.type, external: true, provider: n.provider };
            const summary = (doc as unknown as { changeSummary: Record<string, number> }).changeSummary;
            summary.same -= 1;
            summary.read = 1;
            // Every feature managed-security requires reads the workspace's own properties.
            const { findings } = await cli(doc, "managed-security");
            const onWs = findings.filter(f => f.urn === wsUrn());
            assert.deepStrictEqual(onWs.filter(f => f.level === "mandatory").map(f => f.message), []);
            assert.ok(onWs.filter(f => f.status === "unverified").length >= 2, JSON.stringify(onWs, null, 1));
            const isolated = await cli(doc, "isolated-environment");
            const publicAccess = isolated.findings.filter(f => f.urn === wsUrn() && f.level === "mandatory" && /publicNetworkAccess|public network access/i.test(f.message));
            assert.deepStrictEqual(publicAccess.map(f => f.message), []);
        });

        it("an update step is judged by its planned inputs over the outputs the resource keeps: one real finding", async () => {
            const base = await cli(plan(), "isolated-environment");
            const doc = plan({ showSames: true, changes: { "prod-ws": "update" } });
            const step = doc.steps.find(s => s.urn === wsUrn()) as { newState: { inputs: Record<string, unknown> } };
            step.newState.inputs.publicNetworkAccess = "Enabled";
            const got = await cli(doc, "isolated-environment");
            const added = got.keys.filter(k => !base.keys.includes(k));
            assert.strictEqual(added.filter(k => k.includes("|mandatory|")).length, 1, added.join("\n"));
            assert.match(added[0], /^workspace-inbound-private-link\|[^|]+::prod-ws\|mandatory\|[\s\S]*publicNetworkAccess/);
            assert.deepStrictEqual(base.keys.filter(k => !got.keys.includes(k)).filter(k => k.includes("|mandatory|")), []);
        });

        const broken: [string, (doc: { steps: Record<string, unknown>[] }, i: number) => void, RegExp][] = [
            ["an update step without newState", (d, i) => { d.steps[i].op = "update"; delete d.steps[i].newState; }, /steps\[(\d+)\] \((urn:[^)]+)\): a "update" step without newState; expected an apitype\.ResourceV3 state/],
            ["a same step whose newState is not an object", (d, i) => { d.steps[i].newState = "x"; }, /steps\[(\d+)\] \((urn:[^)]+)\): a "same" step whose newState is not an object \("x"\)/],
            ["a step with an unknown op", (d, i) => { d.steps[i].op = "frobnicate"; }, /steps\[(\d+)\] \((urn:[^)]+)\): unknown step op "frobnicate"/],
            ["a step without a URN", (d, i) => { delete d.steps[i].urn; }, /steps\[(\d+)\] has no valid urn \(undefined\)/],
        ];
        for (const [title, breakIt, pattern] of broken) {
            it(`${title} is an input error naming the step and URN, never a pass`, async () => {
                const doc = plan();
                const i = doc.steps.findIndex(s => s.urn === wsUrn());
                breakIt(doc, i);
                const r = await run([write("broken.json", doc)]);
                assert.strictEqual(r.code, 2, r.out);
                const m = pattern.exec(r.err);
                assert.ok(m, r.err);
                assert.strictEqual(m[1], String(i));
                if (m[2] !== undefined) {
                    assert.strictEqual(m[2], wsUrn());
                }
            });
        }

        it("an export resource without a URN is an input error naming it", async () => {
            const doc = stackExport(stack) as { deployment: { resources: Record<string, unknown>[] } };
            delete doc.deployment.resources[3].urn;
            const r = await run([write("nourn.json", doc)]);
            assert.strictEqual(r.code, 2, r.out);
            assert.match(r.err, /nourn\.json: deployment\.resources\[3\] has no valid urn \(undefined\); expected an apitype\.ResourceV3 state/);
        });

        it("a logical name containing ':' is everything after the URN's third '::': an exemption for it applies", async () => {
            const s = await runProgram(() => nativeWorkspace({ name: "dev:a", backend: "none" }), { preview: false });
            const config: PackConfigFile = { "classic-compute-private-link": { exemptions: [{ resource: "dev:a-ws", reason: "lab" }] } };
            const expected = await engine(s, "managed-security", config);
            for (const doc of [stackExport(s), previewJson(s, { showSames: true })]) {
                const got = await cli(doc, "managed-security", config);
                assert.deepStrictEqual(got.keys, expected.keys);
                const ccpl = got.findings.filter(f => f.feature === "classic-compute-private-link");
                assert.deepStrictEqual(ccpl.map(f => `${f.status}/${f.level}`), ["exempted/advisory"]);
            }
        });
    });

    it("the README's CI workflow and examples make plans with --show-sames", () => {
        const readme = fs.readFileSync(path.join(PACK_DIR, "README.md"), "utf8");
        const previews = readme.split("\n").filter(l => /^\s*(- run: |run: |# )?pulumi preview .*--json/.test(l));
        assert.ok(previews.length >= 2, previews.join("\n"));
        for (const l of previews) {
            assert.match(l, /--show-sames/, l);
        }
    });

    describe("files that are neither", () => {
        it("`pulumi preview --output json` (SummaryJSON) is refused, naming what was expected", async () => {
            // pkg/backend/display/summary_json.go: {result, duration, summary, resources[{urn, type, name, op}]}.
            const r = await run([write("summary.json", {
                result: "succeeded", duration: 1200000000, summary: { same: 2, update: 1 },
                resources: [{ urn: "urn:pulumi:dev::p::azure-native:databricks:Workspace::ws", type: "azure-native:databricks:Workspace", name: "ws", op: "update" }],
            })]);
            assert.strictEqual(r.code, 2, r.out);
            assert.match(r.err, /summary\.json: this is the summary of `pulumi preview --output json` .*carries none of their properties; expected the output of `pulumi preview --json` \(with "steps"\) or a `pulumi stack export` file/);
        });

        it("a streaming JSON preview (one engine event per line) is refused clearly", async () => {
            const events = [
                { sequence: 0, timestamp: 1764000000, preludeEvent: { config: {} } },
                { sequence: 1, timestamp: 1764000001, summaryEvent: { maybeCorrupt: false, durationSeconds: 1, resourceChanges: { same: 1 } } },
            ];
            const r = await run([write("events.json", events.map(e => JSON.stringify(e)).join("\n"))]);
            assert.strictEqual(r.code, 2, r.out);
            assert.match(r.err, /events\.json: a stream of engine events, one per line \(PULUMI_ENABLE_STREAMING_JSON_PREVIEW\)/);
        });

        it("a bare list of resources without a manifest is not taken for an export", async () => {
            const r = await run([write("bare.json", { resources: [] })]);
            assert.strictEqual(r.code, 2, r.out);
            assert.match(r.err, /bare\.json: neither `pulumi preview --json` output/);
        });
    });

    describe("never destroys the input", () => {
        it("--output naming the input file is refused and the plan is left as it was", async () => {
            const file = write("plan.json", previewJson(await runProgram(() => nativeWorkspace(), { preview: true })));
            const before = fs.readFileSync(file, "utf8");
            for (const out of [file, path.join(tmp, ".", "plan.json")]) {
                const r = await run(["--output", out, file]);
                assert.strictEqual(r.code, 2, r.out);
                assert.match(r.err, /--output .*plan\.json names the input file/);
            }
            const link = path.join(tmp, "link.json");
            fs.symlinkSync(file, link);
            assert.strictEqual((await run(["--output", link, file])).code, 2);
            assert.strictEqual(fs.readFileSync(file, "utf8"), before);
        });

        it("a reader that closes early ends the command quietly, without an EPIPE stack trace", async () => {
            const file = write("epipe.json", previewJson(await runProgram(() => nativeWorkspace({ backend: "none" }), { preview: true })));
            const pkg = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8"));
            const child = spawn(process.execPath, [path.join(PACK_DIR, pkg.bin["databricks-network-check"]), "--format", "json", file], { stdio: ["ignore", "pipe", "pipe"] });
            child.stdout.destroy();
            let err = "";
            child.stderr.on("data", d => (err += d));
            const code = await new Promise<number | null>(resolve => child.on("close", c => resolve(c)));
            assert.doesNotMatch(err, /EPIPE|\n\s+at /, err);
            assert.strictEqual(code, 1, err);
        });
    });
});
