import * as assert from "assert";
import { PackProcess, AnalyzeResult, wire } from "../../../support/engine";
import { PACK_DIR, thePack } from "../../harness/global";
import { tierConfig } from "../../../support/engine";
import { RecordedStack, runProgram } from "../../../support/program";
import { PROGRAMS } from "../../e2e/programs";
import { removeWithDependents } from "../../../fixtures/mutations";
import { MUTATIONS } from "../../e2e/mutations";
import { nativeWorkspace } from "../../../fixtures/native";
import { classicWorkspace } from "../../../fixtures/classic";
import { TIERS } from "../../../policies";
import * as path from "path";
import { FALLBACK_PREFIX, SDK_ANALYZE_STACK_ENV, withEngineHooks } from "../../../policies/core/engine/hooks";
import { analyzeStackRequest } from "../../harness/protobuf";
import { SIG_KEY } from "../../../policies/core/model/values";
import { recorded } from "../../e2e/recordings";

describe("AnalyzeStack in one pass answers exactly as @pulumi/policy's own AnalyzeStack", () => {
    let sdk: PackProcess;

    before(async () => {
        sdk = await PackProcess.start(PACK_DIR, { [SDK_ANALYZE_STACK_ENV]: "1" });
    });

    after(async () => {
        await sdk.stop();
    });

    async function compare(stack: RecordedStack, config: Parameters<typeof tierConfig>[1], tier: typeof TIERS[number],
        tags: Record<string, string> = {}, bytes?: Uint8Array): Promise<AnalyzeResult> {
        const results: AnalyzeResult[] = [];
        for (const pack of [thePack(), sdk]) {
            await pack.configureStack({ dryRun: stack.preview, tags });
            const info = await pack.info();
            await pack.configure(tierConfig(tier, config, info.policies.map(p => p.name)), info);
            results.push(bytes ? await pack.sendAnalyzeStackBytes(bytes) : await pack.analyzeStack(stack));
        }
        assert.deepStrictEqual(wire(results[0]), wire(results[1]));
        return results[0];
    }

    for (const p of PROGRAMS) {
        it(`the ${p.tier} reference program at every tier, preview and update, and its mutations`, async () => {
            for (const preview of [true, false]) {
                const stack = await recorded(p, preview ? "preview" : "update");
                for (const tier of TIERS) {
                    await compare(stack, p.packConfig, tier);
                }
            }
            for (const m of MUTATIONS.filter(x => x.programs === undefined || x.programs.includes(p.tier)).slice(0, 8)) {
                let stack = await recorded(p, "update", m.transform ? { key: `mutation ${m.id}`, transform: m.transform(p.prefix) } : undefined);
                if (m.remove) {
                    stack = { ...stack, resources: removeWithDependents(stack.resources, r => m.remove!(p.prefix, r)) };
                }
                await compare(stack, m.config ? m.config(p.packConfig) : p.packConfig, p.tier);
            }
        });
    }

    it("fixtures with several workspaces, classic resources, an advisory override, exemptions and a tier tag", async () => {
        const stack = await runProgram(() => { nativeWorkspace({ name: "a" }); nativeWorkspace({ name: "b", backend: "none", nsg: false }); classicWorkspace({ delegate: false }); }, { preview: false });
        await compare(stack, {
            "vnet-injection": { enforcementLevel: "advisory" },
            "classic-compute-private-link": { exemptions: [{ resource: "b-ws", reason: "lab" }] },
            "secure-cluster-connectivity": "disabled",
        }, "hardened-connectivity", { "databricks-network-tier": "managed-security" });
    });

    it("a request whose Struct and map keys arrive out of order (as a Go client may send them)", async () => {
        const p = PROGRAMS.find(x => x.tier === "hardened-connectivity")!;
        for (const preview of [true, false]) {
            const stack = await recorded(p, preview ? "preview" : "update");
            const answer = await compare(stack, p.packConfig, "isolated-environment", {}, analyzeStackRequest(stack.resources, "reversed"));
            // The next tier's features are reported, so the comparison covers real findings.
            assert.ok(answer.diagnostics.some(d => d.enforcementLevel === "mandatory"));
        }
    });

    it("a property holding a resource reference, which @pulumi/policy cannot deserialize, is read as the referenced ID", async () => {
        const p = PROGRAMS.find(x => x.tier === "hardened-connectivity")!;
        const stack = await recorded(p, "update");
        const workspace = stack.resources.find(r => r.type === "azure-native:databricks:Workspace")!;
        const id = workspace.outputs.id as string;
        const referenceTo = (target: string) => ({ [SIG_KEY]: "5cf8f73096256a8f31e491e813e4eb8e", urn: `${workspace.urn}-${target}`, id: target, packageVersion: "" });
        const withReference = (target: string) => stack.resources.map(r => {
            const connections = r.outputs.privateLinkServiceConnections as Record<string, unknown>[] | undefined;
            if (!r.type.endsWith(":PrivateEndpoint") || !connections?.some(c => c.privateLinkServiceId === id)) {
                return r;
            }
            return { ...r, outputs: { ...r.outputs, privateLinkServiceConnections: connections.map(c =>
                (c.privateLinkServiceId === id ? { ...c, privateLinkServiceId: referenceTo(target) } : c)) } };
        });
        const withReferences = withReference(id);
        assert.notDeepStrictEqual(withReferences, stack.resources);
        const answers: AnalyzeResult[] = [];
        for (const resources of [stack.resources, withReferences, withReference(id.replace(/hc-ws$/, "other-ws"))]) {
            const pack = thePack();
            await pack.configureStack({ dryRun: false });
            const info = await pack.info();
            await pack.configure(tierConfig("hardened-connectivity", p.packConfig, info.policies.map(x => x.name)), info);
            answers.push(await pack.sendAnalyzeStackBytes(analyzeStackRequest(resources, "sorted")));
        }
        // The reference to the workspace counts as its ID; one to another workspace does not.
        assert.deepStrictEqual(wire(answers[1]), wire(answers[0]));
        assert.ok(!answers[0].diagnostics.some(d => d.enforcementLevel === "mandatory"));
        assert.ok(answers[2].diagnostics.some(d => d.policyName === "classic-compute-private-link" && d.enforcementLevel === "mandatory"));
        const info = await sdk.info();
        await sdk.configure(tierConfig("hardened-connectivity", p.packConfig, info.policies.map(x => x.name)), info);
        await assert.rejects(sdk.sendAnalyzeStackBytes(analyzeStackRequest(withReferences, "sorted")), /Unrecognized signature/);
    });

    it("malformed request bytes get an error naming the request, and the pack goes on answering", async () => {
        const pack = thePack();
        const p = PROGRAMS[0];
        const stack = await recorded(p, "update");
        const whole = analyzeStackRequest(stack.resources, "sorted");
        await assert.rejects(pack.sendAnalyzeStackBytes(whole.subarray(0, whole.length - 5)), /malformed AnalyzeStackRequest/);
        await assert.rejects(pack.sendAnalyzeStackBytes(Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])), /malformed AnalyzeStackRequest/);
        await compare(stack, p.packConfig, p.tier);
    });
});

describe("the engine adapter says when it cannot do its job", () => {
    it("installs itself with the pinned @pulumi/policy: nothing on standard error after a whole run", async () => {
        const stack = await runProgram(() => { nativeWorkspace({ noPublicIp: false }); classicWorkspace(); }, { preview: false });
        await thePack().configure(tierConfig("isolated-environment", {}, (await thePack().info()).policies.map(p => p.name)));
        const res = await thePack().analyzeStack(stack);
        assert.ok(res.diagnostics.length > 0);
        assert.deepStrictEqual(thePack().stderr.filter(l => l.includes(FALLBACK_PREFIX)), []);
        await thePack().configure({});
    });

    it("logs once, naming the reason, when the SDK serves the Analyzer in a shape it does not know", () => {
        const policyDir = path.dirname(require.resolve("@pulumi/policy"));
        const grpc = require(require.resolve("@grpc/grpc-js", { paths: [policyDir] })) as { Server: new () => { addService(s: unknown, i: unknown): void } };
        const written: string[] = [];
        const write = process.stderr.write.bind(process.stderr);
        (process.stderr as { write: unknown }).write = (s: string) => { written.push(String(s)); return true; };
        try {
            const hooks = { features: [], shape: { names: [], baseline: new Map(), tier: "managed-security" as const }, stackPolicies: new Map(), packName: "p", cell: {} };
            for (let i = 0; i < 2; i++) {
                withEngineHooks(hooks, () => {
                    try {
                        new grpc.Server().addService({}, { analyze: () => undefined });
                    } catch {
                        // grpc-js refuses an empty service; what matters is what the hook said.
                    }
                });
            }
        } finally {
            (process.stderr as { write: unknown }).write = write;
        }
        const said = written.filter(l => l.startsWith(FALLBACK_PREFIX));
        assert.strictEqual(said.length, 1, written.join(""));
        assert.match(said[0], /AnalyzeStack uses the SDK's per-policy path/);
    });
});
