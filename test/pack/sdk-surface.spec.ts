// What the engine adapter (policies/core/engine/, and the proxy key in core/model/values.ts) reaches
// for past the SDK's public surface, checked against the installed packages: an upgrade that moves
// any of it fails here, naming the reach, the version it was written against, the installed one and
// the behaviour that would break, instead of failing obscurely in the engine specs.

import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { widenReceiveWindow } from "../../policies/core/engine/window";
import { PROXY_TARGET, SIG_KEY } from "../../policies/core/model/values";

const POLICY_DIR = path.dirname(require.resolve("@pulumi/policy"));
/** Resolved as @pulumi/policy resolves it: the copy whose server the pack serves on. */
const fromPolicy = (id: string): string => require.resolve(id, { paths: [POLICY_DIR] });

type Package = "@pulumi/policy" | "@pulumi/pulumi" | "@grpc/grpc-js";
/** The versions the reaches were read from. */
const WRITTEN_AGAINST: Record<Package, string> = { "@pulumi/policy": "1.21.0", "@pulumi/pulumi": "3.248.0", "@grpc/grpc-js": "1.14.7" };

function installed(pkg: Package): string {
    const file = pkg === "@pulumi/policy" ? path.join(POLICY_DIR, "package.json") : fromPolicy(`${pkg}/package.json`);
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version.replace(/^v/, "");
}

interface Reach {
    /** Where the pack reaches, as its comment names it. */
    name: string;
    pkg: Package;
    /** What a user would lose if it moved. */
    behaviour: string;
    /** Throws (or fails an assertion) when what the pack reaches for is not there as it expects. */
    check(): void | Promise<void>;
}

type Fn = (...args: never[]) => unknown;

/** `obj[key]`, a function of `arity` parameters. */
function fn(obj: unknown, key: string, arity: number): Fn {
    const f = (obj as Record<string, unknown> | undefined)?.[key];
    assert.strictEqual(typeof f, "function", `${key} is ${typeof f}, not a function`);
    assert.strictEqual((f as Fn).length, arity, `${key} takes ${(f as Fn).length} parameters, not ${arity}`);
    return f as Fn;
}

/** A file of `pkg` (its main without `file`), as the pack loads it. */
function load(pkg: Package, file?: string): unknown {
    const id = file === undefined ? pkg : `${pkg}/${file}`;
    let resolved: string;
    try {
        resolved = pkg === "@pulumi/policy" ? require.resolve(path.join(POLICY_DIR, file ?? "index")) : fromPolicy(id);
    } catch {
        return assert.fail(`${id} does not exist`);
    }
    return require(resolved);
}

const grpc = () => load("@grpc/grpc-js") as { Server: { new(): object; prototype: object } };
const analyzerPb = () => load("@pulumi/pulumi", "proto/analyzer_pb") as Record<string, { prototype: object } | undefined>;

const REACHES: Reach[] = [
    {
        name: "grpc-js Server.prototype.addService, replaced while @pulumi/policy registers the Analyzer service (engine/hooks.ts)",
        pkg: "@grpc/grpc-js",
        behaviour: "refusing malformed requests and configuration, and AnalyzeStack in one pass (large stacks, resource references)",
        check: () => {
            fn(grpc().Server.prototype, "addService", 2);
            const server = fs.readFileSync(path.join(POLICY_DIR, "server.js"), "utf8");
            assert.match(server, /require\("@grpc\/grpc-js"\)/, "@pulumi/policy's server.js does not load @grpc/grpc-js");
            const registration = /server\.addService\(analyzerrpc\.AnalyzerService, \{([^}]*)\}/.exec(server);
            assert.ok(registration, "@pulumi/policy's server.js does not call server.addService(analyzerrpc.AnalyzerService, {…})");
            for (const handler of ["analyze", "analyzeStack", "configure", "configureStack"]) {
                assert.match(registration[1], new RegExp(`\\b${handler}:`), `@pulumi/policy registers no ${handler} handler`);
            }
            const service = (load("@pulumi/pulumi", "proto/analyzer_grpc_pb") as { AnalyzerService?: Record<string, unknown> }).AnalyzerService;
            for (const method of ["analyze", "analyzeStack", "configure", "configureStack"]) {
                fn(service?.[method], "requestDeserialize", 1);
            }
        },
    },
    {
        name: "grpc-js Server's private commonServerOptions and _setupHandlers (engine/window.ts)",
        pkg: "@grpc/grpc-js",
        behaviour: "the 64 MiB HTTP/2 receive window: a large AnalyzeStack request arrives in a few writes instead of 64 KiB at a time",
        check: () => {
            const { Server } = grpc();
            fn(Server.prototype, "_setupHandlers", 2);
            assert.strictEqual(typeof (new Server() as { commonServerOptions?: unknown }).commonServerOptions, "object", "a Server has no commonServerOptions object");
            assert.ok(widenReceiveWindow(new Server()), "widenReceiveWindow does not recognise a grpc-js Server");
        },
    },
    {
        name: "@pulumi/policy's private deserialize.js deserializeProperties (engine/hooks.ts, readResources)",
        pkg: "@pulumi/policy",
        behaviour: "secrets, assets and archives read by the one-pass AnalyzeStack exactly as the SDK's policies receive them",
        check: () => {
            const deserialize = fn(load("@pulumi/policy", "deserialize"), "deserializeProperties", 2) as (s: { toJavaScript(): unknown }, proxySecrets: boolean) => unknown;
            const secret = { [SIG_KEY]: "1b47061264138c4ac30d75fd1eb44270", value: "x" };
            assert.deepStrictEqual(deserialize({ toJavaScript: () => ({ a: secret }) }, false), { a: "x" }, "a secret is not unwrapped to its value");
        },
    },
    {
        name: "@pulumi/policy's private protoutil.js makeAnalyzeResponse (engine/hooks.ts, evaluate)",
        pkg: "@pulumi/policy",
        behaviour: "the one-pass AnalyzeStack answer in the SDK's own encoding (otherwise every AnalyzeStack falls back to the per-policy path)",
        check: () => {
            const make = fn(load("@pulumi/policy", "protoutil"), "makeAnalyzeResponse", 2) as (ds: object[], na: unknown[] | undefined) => { getDiagnosticsList(): unknown[]; serializeBinary(): Uint8Array };
            const d = { policyName: "p", policyPackName: "pack", policyPackVersion: "1.0.0", message: "m", description: "d", enforcementLevel: "advisory", severity: "high" };
            const response = make([d], undefined);
            assert.strictEqual(response.getDiagnosticsList().length, 1, "the response does not hold the diagnostic");
            assert.ok(response.serializeBinary() instanceof Uint8Array, "the response does not serialize");
        },
    },
    {
        name: "@pulumi/pulumi/proto/analyzer_pb: PolicyNotApplicable and the decoded requests' getters (engine/hooks.ts, engine/trace.ts)",
        pkg: "@pulumi/pulumi",
        behaviour: "not-applicable reasons in the one-pass answer, Configure validation, the stack tags, a preview's declared inputs and DATABRICKS_NETWORK_TRACE",
        check: () => {
            const pb = analyzerPb();
            const getters: Record<string, [string, number][]> = {
                PolicyNotApplicable: [["setPolicyName", 1], ["setReason", 1]],
                ConfigureAnalyzerRequest: [["getPolicyconfigMap", 1], ["toObject", 1]],
                PolicyConfig: [["getEnforcementlevel", 0], ["getProperties", 0]],
                AnalyzeRequest: [["getType", 0], ["getUrn", 0], ["getProperties", 0]],
                AnalyzerStackConfigureRequest: [["getTagsMap", 1]],
            };
            for (const [cls, methods] of Object.entries(getters)) {
                assert.strictEqual(typeof pb[cls], "function", `analyzer_pb has no class ${cls}`);
                for (const [method, arity] of methods) {
                    fn(pb[cls]?.prototype, method, arity);
                }
            }
        },
    },
    {
        name: "@pulumi/policy's reportViolation called with a diagnostic object (engine/policy.ts, report)",
        pkg: "@pulumi/policy",
        behaviour: "mandatory and advisory diagnostics side by side from one policy, with the pack's messages as written",
        check: async () => {
            type Response = { getDiagnosticsList(): { getMessage(): string; getUrn(): string; getEnforcementlevel(): number }[] };
            type Rpc = (call: object, cb: (err: unknown, res?: Response) => void) => unknown;
            const make = fn(load("@pulumi/policy", "server"), "makeAnalyzeStackRpcFun", 4) as (name: string, version: string, level: string, policies: object[]) => Rpc;
            const policy = { name: "p", description: "d", enforcementLevel: "mandatory", validateStack: (_: unknown, report: (d: object) => void) => report({ message: "m", urn: "u", enforcementLevel: "advisory" }) };
            const rpc = make("pack", "1.0.0", "mandatory", [policy]);
            const res = await new Promise<Response>((resolve, reject) =>
                rpc({ request: { getResourcesList: () => [] } }, (err, r) => (err || !r ? reject(err ?? new Error("no response")) : resolve(r))));
            const [d] = res.getDiagnosticsList();
            assert.deepStrictEqual(d && [d.getMessage(), d.getUrn(), d.getEnforcementlevel()], ["m", "u", 0], "the object's message, URN and level (advisory) are not what the SDK reports");
        },
    },
    {
        name: "@pulumi/policy's proxy target key __getSpecialProxyTarget (model/values.ts, PROXY_TARGET)",
        pkg: "@pulumi/policy",
        behaviour: "reading a preview's unknown values as unknown (advisory) instead of the proxy throwing",
        check: () => {
            const { unknownCheckingProxy } = require("@pulumi/policy") as { unknownCheckingProxy?: (o: object) => Record<string, unknown> };
            assert.strictEqual(typeof unknownCheckingProxy, "function", "@pulumi/policy exports no unknownCheckingProxy");
            const target = { a: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" };
            assert.strictEqual(unknownCheckingProxy!(target)[PROXY_TARGET], target, `the proxy does not hand out its target under ${PROXY_TARGET}`);
        },
    },
    {
        name: "@pulumi/policy's PolicyPack reads the pack's version from the working directory's package.json (engine/hooks.ts, evaluate)",
        pkg: "@pulumi/policy",
        behaviour: "the one-pass AnalyzeStack's diagnostics carry the same pack version as the SDK's",
        check: () => {
            const source = String((load("@pulumi/policy", "policy") as { PolicyPack: unknown }).PolicyPack);
            assert.match(source, /process\.cwd\(\)/, "PolicyPack does not read the working directory");
            assert.match(source, /\/package\.json`\)/, "PolicyPack does not read package.json from it");
        },
    },
];

describe("the SDK surface the engine adapter reaches past is still there", () => {
    for (const reach of REACHES) {
        it(reach.name, async () => {
            try {
                await reach.check();
            } catch (e) {
                const why = e instanceof Error ? e.message : String(e);
                throw new assert.AssertionError({
                    message: `${reach.name}: written against ${reach.pkg} ${WRITTEN_AGAINST[reach.pkg]}, installed ${installed(reach.pkg)}: ${why}. `
                        + `Would break: ${reach.behaviour}.`,
                });
            }
        });
    }
});
