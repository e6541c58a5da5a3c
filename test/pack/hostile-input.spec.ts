// The pack under hostile input, at the engine protocol: a refused configuration is never applied,
// no request stalls it, no value is quoted without bound, impossible dates are refused, and
// resources that share IDs cost what distinct ones cost.

import * as assert from "assert";
import {
    AnalyzerInfo, ANALYZER_METHODS, CallError, configureRequest, encodedAnalyzeStackRequest, PackProcess,
    resourceRequest, struct, wire,
} from "../../support/engine";
import { PACK_DIR, thePack } from "../harness/global";
import { tierConfig } from "../../support/engine";
import { RecordedResource, RecordedStack, runProgram } from "../../support/program";
import { PROGRAMS } from "../e2e/programs";
import { encode } from "../harness/protobuf";
import { sharingIds } from "../harness/duplicates";
import { nativeWorkspace } from "../../fixtures/native";
import { SDK_ANALYZE_STACK_ENV } from "../../policies/core/engine/hooks";
import { TierId } from "../../policies";
import { recorded } from "../e2e/recordings";

const INVALID_ARGUMENT = 3;
const UNIMPLEMENTED = 12;
/** Far below the minutes a stalled decoder takes, far above an answer. */
const ANSWER_WITHIN_MS = 10_000;

async function refusal(p: Promise<unknown>): Promise<CallError> {
    try {
        await p;
    } catch (e) {
        return e as CallError;
    }
    throw new assert.AssertionError({ message: "the call was accepted" });
}

function assertNoStackTrace(message: string): void {
    assert.doesNotMatch(message, /\n\s+at |\.js:\d+/, message);
}

describe("the pack under hostile input", () => {
    let sdk: PackProcess;

    before(async () => {
        sdk = await PackProcess.start(PACK_DIR, { [SDK_ANALYZE_STACK_ENV]: "1" });
    });

    after(async () => {
        await sdk.stop();
        // Leave the shared pack in a valid state for the next suite.
        await thePack().configure({});
    });

    const packs = (): [string, PackProcess][] => [["one-pass", thePack()], ["SDK", sdk]];

    describe("a refused configuration is never applied", () => {
        const program = PROGRAMS.find(p => p.tier === "hardened-connectivity")!;
        let stack: RecordedStack;

        before(async () => {
            stack = await runProgram(() => program.program(), { preview: false, outputs: program.outputs() });
        });

        async function configured(pack: PackProcess, tier: TierId, info: AnalyzerInfo) {
            return configureRequest(tierConfig(tier, program.packConfig, info.policies.map(p => p.name)), info);
        }

        for (const [title, spoil, field] of [
            ["an enforcement level outside the enum (99)", (c: { setEnforcementlevel(n: number): void }) => c.setEnforcementlevel(99), /\.enforcementLevel must be one of 0 \(advisory\), 1 \(mandatory\), 2 \(disabled\), 3 \(remediate\); got 99/],
            ["a policy configuration without properties", (c: { clearProperties(): void }) => c.clearProperties(), /: the policy configuration has no properties/],
            ["a tier of 1 MB", (c: { setProperties(s: unknown): void }) => c.setProperties(struct({ tier: "t".repeat(1 << 20) })), /\.tier must be one of .*; got "t{100}"…\(\+1048476 characters\)$/],
            ["an impossible expiry date", (c: { setProperties(s: unknown): void }) => c.setProperties(struct({ tier: "isolated-environment", exemptions: [{ resource: "hc-ws", reason: "r", expires: "2027-02-30" }] })), /\.exemptions\[0\]\.expires must be a calendar date in the form YYYY-MM-DD; got "2027-02-30"/],
        ] as const) {
            it(`${title}: refused naming the policy and field, without a stack trace; the previous configuration stays`, async () => {
                for (const [name, pack] of packs()) {
                    await pack.configureStack({ dryRun: false });
                    const info = await pack.info();
                    await pack.sendConfigure(await configured(pack, "managed-security", info));
                    const before = await pack.analyzeStack(stack);
                    const isolated = await configured(pack, "isolated-environment", info);
                    // Spoil the first or the last policy of the request: nothing of it may apply.
                    const names = info.policies.map(p => p.name).sort();
                    for (const victim of [names[0], names[names.length - 1]]) {
                        const request = await configured(pack, "isolated-environment", info);
                        spoil(request.getPolicyconfigMap().get(victim) as never);
                        const e = await refusal(pack.callRaw("Configure", request.serializeBinary(), ANSWER_WITHIN_MS));
                        assert.strictEqual(e.code, INVALID_ARGUMENT, `${name}: ${e.message}`);
                        assert.match(e.details, new RegExp(`^invalid policy pack configuration: ${victim}`), name);
                        assert.match(e.details, field, name);
                        assertNoStackTrace(e.details);
                        assert.ok(e.details.length < 1000, `${name}: ${e.details.length} characters`);
                        assert.deepStrictEqual(wire(await pack.analyzeStack(stack)), wire(before), `${name}: the refused configuration (${victim}) was applied`);
                    }
                    // The same request, unspoilt, is accepted and applied.
                    await pack.sendConfigure(isolated);
                    const after = await pack.analyzeStack(stack);
                    assert.ok(after.diagnostics.length > before.diagnostics.length, `${name}: ${after.diagnostics.length} diagnostics at isolated-environment, ${before.diagnostics.length} at managed-security`);
                }
            });
        }

        it("a Struct that holds a Value of no kind is refused like the rest, and changes nothing", async () => {
            for (const [name, pack] of packs()) {
                const info = await pack.info();
                await pack.sendConfigure(await configured(pack, "managed-security", info));
                const before = await pack.analyzeStack(stack);
                const request = await configured(pack, "isolated-environment", info);
                const bytes = request.serializeBinary();
                // ConfigureAnalyzerRequest { policyConfig: { "vnet-injection": { properties: { "tier": Value {} } } } },
                // after the valid entries: a map key repeated keeps its last value.
                const entry = encode([{ n: 1, bytes: [{ n: 1, bytes: "vnet-injection" }, { n: 2, bytes: [{ n: 2, bytes: [{ n: 1, bytes: [{ n: 1, bytes: "tier" }, { n: 2, bytes: [] }] }] }] }] }]);
                const spoilt = Uint8Array.from([...bytes, ...entry]);
                const e = await refusal(pack.callRaw("Configure", spoilt, ANSWER_WITHIN_MS));
                assert.strictEqual(e.code, INVALID_ARGUMENT, `${name}: ${e.message}`);
                assert.match(e.details, /^invalid policy pack configuration: vnet-injection: the properties are not a valid Struct/);
                assertNoStackTrace(e.details);
                assert.deepStrictEqual(wire(await pack.analyzeStack(stack)), wire(before), name);
            }
        });
    });

    describe("no request stalls the pack: declared lengths beyond the bytes received are refused before any decoder", () => {
        /** Requests whose declared lengths exceed what they hold, at the top and inside sub-messages. */
        const SIX_BYTES = ["12ffffffff0f", "0affffffff0f"];
        const NESTED: Partial<Record<typeof ANALYZER_METHODS[number], string[]>> = {
            // AnalyzeRequest.properties (a Struct) whose entry claims 4 GiB.
            Analyze: ["12060affffffff0f"],
            Remediate: ["12060affffffff0f"],
            // AnalyzeStackRequest.resources[0].properties.fields["k"] = Value { list_value: claims 4 GiB }.
            AnalyzeStack: ["0a0f120d0a0b0a016b120632ffffffff0f"],
            // ConfigureAnalyzerRequest.policyConfig["p"] = PolicyConfig { properties: a Struct whose entry claims 4 GiB }.
            Configure: ["0a0d0a0170120812060affffffff0f"],
            // AnalyzerStackConfigureRequest.tags: an entry whose value claims 4 GiB.
            ConfigureStack: ["42090a016b12ffffffff0f"],
        };

        /** The shared pack configured for the first reference program, that program's stack and its answer. */
        async function configuredProgram() {
            const pack = thePack();
            const p = PROGRAMS[0];
            const stack = await recorded(p, "update");
            const info = await pack.info();
            await pack.configure(tierConfig(p.tier, p.packConfig, info.policies.map(x => x.name)), info);
            return { pack, stack, expected: wire(await pack.analyzeStack(stack)) };
        }

        it("at every method the pack serves, the exact 6-byte requests and nested ones answer INVALID_ARGUMENT at once, and the pack goes on answering", async () => {
            const { pack, stack, expected } = await configuredProgram();
            for (const method of ANALYZER_METHODS) {
                for (const hex of [...SIX_BYTES, ...(NESTED[method] ?? [])]) {
                    const started = Date.now();
                    const e = await refusal(pack.callRaw(method, Buffer.from(hex, "hex"), ANSWER_WITHIN_MS));
                    const where = `${method} ${hex} (${Date.now() - started} ms): ${e.message}`;
                    // @pulumi/policy implements neither Handshake nor Cancel: they answer UNIMPLEMENTED,
                    // without decoding what the guard refused.
                    assert.strictEqual(e.code, method === "Handshake" || method === "Cancel" ? UNIMPLEMENTED : INVALID_ARGUMENT, where);
                    if (e.code === INVALID_ARGUMENT) {
                        assert.match(e.details, /^malformed \w+: field \d+ declares \d+ bytes where \d+ remain \(the field at byte \d+, in [\w.<>, ]+\)$/, where);
                    }
                    // A valid call answers right after.
                    assert.strictEqual((await pack.getAnalyzerInfo()).name, "azure-databricks-network", where);
                }
            }
            // Configuration and answers are as before.
            assert.deepStrictEqual(wire(await pack.analyzeStack(stack)), expected);
        });

        it("a refused request does not hold up the requests of other clients", async () => {
            const { pack, stack, expected } = await configuredProgram();
            const bad = Array.from({ length: 20 }, (_, i) => refusal(pack.callRaw(i % 2 ? "Analyze" : "Configure", Buffer.from(SIX_BYTES[i % 2], "hex"), ANSWER_WITHIN_MS)));
            const good = Array.from({ length: 5 }, () => pack.analyzeStack(stack));
            for (const e of await Promise.all(bad)) {
                assert.strictEqual(e.code, INVALID_ARGUMENT, e.message);
            }
            for (const r of await Promise.all(good)) {
                assert.deepStrictEqual(wire(r), expected);
            }
        });

        it("every valid request of the harness passes the guard unchanged, at every method", async () => {
            for (const [name, pack] of packs()) {
                for (const p of PROGRAMS) {
                    const stack = await recorded(p, "preview");
                    await pack.configureStack({ dryRun: true, tags: { "databricks-network-tier": p.tier, team: "platform" } });
                    const info = await pack.info();
                    await pack.configure(tierConfig(p.tier, p.packConfig, info.policies.map(x => x.name)), info);
                    const whole = await pack.analyzeStack(stack);
                    // Each reference program meets its own tier.
                    assert.deepStrictEqual(whole.diagnostics.filter(d => d.enforcementLevel === "mandatory"), [], `${name} ${p.tier}`);
                    for (const r of stack.resources) {
                        await pack.analyze(r, stack.resources);
                        await pack.remediate(r, stack.resources);
                    }
                    const bytes = (resourceRequest(stack.resources[0], stack.resources) as { serializeBinary(): Uint8Array }).serializeBinary();
                    await pack.callRaw("Analyze", bytes);
                    await pack.callRaw("AnalyzeStack", encodedAnalyzeStackRequest(stack));
                }
            }
        });
    });

    describe("values are quoted cut to a short, marked prefix", () => {
        it("a 5 MB sku.name gives a bounded AnalyzeStack response, from the one-pass path and the SDK alike", async () => {
            const size = 5 * 1024 * 1024;
            const stack = await runProgram(() => nativeWorkspace({ sku: "s".repeat(size) }), { preview: false });
            for (const [name, pack] of packs()) {
                await pack.configureStack({ dryRun: false });
                const info = await pack.info();
                await pack.configure(tierConfig("isolated-environment", {}, info.policies.map(p => p.name)), info);
                const r = await pack.analyzeStack(stack);
                const quoting = r.diagnostics.filter(d => /the workspace SKU is/.test(d.message));
                assert.ok(quoting.length >= 3, `${name}: ${quoting.length} diagnostics quote the SKU`);
                for (const d of quoting) {
                    assert.match(d.message, new RegExp(`the workspace SKU is "s{100}"…\\(\\+${size - 100} characters\\)`), name);
                }
                const total = r.diagnostics.reduce((n, d) => n + d.message.length, 0);
                assert.ok(total < 64 * 1024, `${name}: ${total} characters of messages`);
            }
        });

        it("a 1 MB tier value gets a short refusal that reaches the client", async () => {
            for (const [name, pack] of packs()) {
                const e = await refusal(pack.configureRaw({ "vnet-injection": { enforcementLevel: "mandatory", properties: { tier: "t".repeat(1 << 20) } } }));
                assert.strictEqual(e.code, INVALID_ARGUMENT, name);
                assert.ok(e.details.length < 400, `${name}: ${e.details.length}`);
                assert.match(e.details, /vnet-injection\.tier must be one of .*; got "t{100}"…\(\+1048476 characters\)$/);
                // So does a 1 MB property name, and a 1 MB policy name with a level outside the enum.
                const key = await refusal(pack.configureRaw({ "vnet-injection": { enforcementLevel: "mandatory", properties: { ["k".repeat(1 << 20)]: 1 } } }));
                assert.match(key.details, /vnet-injection\.k{100}…\(\+1048476 characters\) is not a known property/);
                const policy = await refusal(pack.configureRaw({ ["p".repeat(1 << 20)]: { enforcementLevel: 99, properties: {} } }));
                assert.ok(policy.details.length < 1000, `${name}: ${policy.details.length}`);
                assert.match(policy.details, /p{400}…\(\+1048176 characters\)\.enforcementLevel must be one of/);
            }
        });
    });

    describe("calendar dates", () => {
        it("an expiry that is no day of the calendar is refused; leap days are days", async () => {
            const expires = async (date: string) => {
                try {
                    await thePack().configureRaw({ "vnet-injection": { enforcementLevel: "mandatory", properties: { exemptions: [{ resource: "ws", reason: "lab", expires: date }] } } });
                    return "accepted";
                } catch (e) {
                    return (e as CallError).details;
                }
            };
            for (const date of ["2027-02-30", "2027-02-31", "2027-04-31", "2027-06-31", "2027-09-31", "2027-11-31", "2027-02-29", "2100-02-29", "2027-13-01", "2027-00-10", "2027-01-00", "2027-01-32"]) {
                assert.match(await expires(date), new RegExp(`vnet-injection\\.exemptions\\[0\\]\\.expires must be a calendar date in the form YYYY-MM-DD; got "${date}"`), date);
            }
            for (const date of ["2028-02-29", "2000-02-29", "2027-02-28", "2027-04-30", "2027-12-31", "2027-01-31"]) {
                assert.strictEqual(await expires(date), "accepted", date);
            }
        });

        it("a refused date is not applied: the exemption it carried exempts nothing", async () => {
            const pack = thePack();
            const stack = await runProgram(() => nativeWorkspace({ noPublicIp: false }), { preview: false });
            const info = await pack.info();
            await pack.configureStack({ dryRun: false });
            await pack.configure(tierConfig("managed-security", {}, info.policies.map(p => p.name)), info);
            const ws = stack.resources.find(r => r.type === "azure-native:databricks:Workspace") as RecordedResource;
            // The workspace's public IPs are its own input: its resource policy refuses it at Analyze.
            const scc = async () => (await pack.analyze(ws, stack.resources)).diagnostics
                .filter(d => d.policyName === "secure-cluster-connectivity-resource").map(d => d.enforcementLevel);
            assert.deepStrictEqual(await scc(), ["mandatory"]);
            const exempt = (expires: string) => pack.configure(tierConfig("managed-security", { "secure-cluster-connectivity": { exemptions: [{ resource: ws.name, reason: "lab", expires }] } }, info.policies.map(p => p.name)), info);
            await assert.rejects(exempt("2099-02-30"), /expires must be a calendar date/);
            assert.deepStrictEqual(await scc(), ["mandatory"]);
            await exempt("2099-02-28");
            assert.deepStrictEqual(await scc(), ["advisory"]);
        });
    });

    describe("resources that share an ID", () => {
        it("2 000 resources sharing ARM IDs leave the verdicts unchanged, from the one-pass path and the SDK alike", async () => {
            // The Hardened program judged at Isolated: findings on many resources to compare. The
            // verdicts do not depend on the number of copies; the 20 000-copy shape (lookups that
            // grew with the square of the stack) runs once, in test/cli/hostile-input.spec.ts.
            const p = PROGRAMS.find(x => x.tier === "hardened-connectivity")!;
            const stack = await recorded(p, "update");
            const copies = sharingIds(stack.resources, p.prefix, 1_000);
            const shared = encodedAnalyzeStackRequest([...stack.resources, ...copies]);
            for (const [name, pack] of packs()) {
                await pack.configureStack({ dryRun: false });
                const info = await pack.info();
                await pack.configure(tierConfig("isolated-environment", p.packConfig, info.policies.map(x => x.name)), info);
                const alone = wire(await pack.analyzeStack(stack));
                assert.ok(alone.length > 0);
                assert.deepStrictEqual(wire(await pack.sendAnalyzeStackBytes(shared)), alone, name);
            }
        });
    });
});
