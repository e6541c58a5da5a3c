// Hooks on the Analyzer service that @pulumi/policy serves, installed while the pack registers it:
//
// - A length guard (guard.ts) before every method's decoder: a request whose declared lengths
//   exceed the bytes received is refused with INVALID_ARGUMENT before google-protobuf (which would
//   spin to the declared end) or the pack's own reader sees it.
// - Configure validation, all or nothing. The Pulumi CLI validates configuration against each
//   policy's JSON schema before it calls Configure, but @pulumi/policy accepts anything; malformed
//   configuration from any client (an enforcement level outside the enum, no properties, a field
//   of the wrong shape) is refused here with a message naming the policy and the field, and a
//   refused request changes nothing: neither the SDK's configuration nor the one-pass path's.
// - AnalyzeStack in one pass. @pulumi/policy deserializes every resource of the stack once per
//   stack policy; with one policy per feature that is most of the cost of a large stack. The hook
//   reads the request's bytes once (core/wire.ts: only the properties a rule may read are decoded,
//   then unwrapped by the SDK's own deserializer), evaluates every feature on one model and answers
//   with the SDK's own response encoding: the same diagnostics, in the same order, with the same
//   enforcement levels. Bytes that are not a valid request are refused with INVALID_ARGUMENT; a
//   failure while evaluating falls back to the SDK's handler, with the request decoded its way.

import * as path from "path";
import { EnforcementLevel, Severity } from "@pulumi/policy";
import { FeatureModule } from "../rules/contract";
import { message } from "../evaluation/render";
import { ENFORCEMENTS, PackSettings, PackShape, RawPolicyConfig, readSettings } from "../evaluation/settings";
import { ConfigError } from "../evaluation/config";
import { decide, reported } from "../evaluation/verdicts";
import { ResourceInput, StackModel, stackProps } from "../model/stack";
import { SettingsCell } from "./policy";
import { classify } from "../model/types";
import { AnalyzeStackBytes, readAnalyzeStackRequest, readStruct, StructRange } from "./wire";
import { guardService } from "./guard";
import { traceService } from "./trace";
import { widenReceiveWindow } from "./window";
import { cut, cutId, quote } from "../model/values";

type GrpcError = { code: number; details: string; message: string };
type UnaryCallback = (err: GrpcError | null, value?: unknown) => void;
type UnaryHandler = (call: { request: unknown }, callback: UnaryCallback) => unknown;

// Reach: the SDK's decoded requests are @pulumi/pulumi's generated classes (proto/analyzer_pb,
// read from 3.248.0); these getters are what Configure validation, the stack tags and a preview's
// declared inputs are read with.
interface ProtoStruct { toJavaScript(): Record<string, unknown> }
interface ConfigureRequest {
    getPolicyconfigMap(): { entries(): Iterable<[string, { getEnforcementlevel(): number; getProperties(): ProtoStruct | undefined }]> };
}
interface AnalyzeRequest { getType(): string; getUrn(): string; getProperties(): ProtoStruct | undefined }
interface ConfigureStackRequest { getTagsMap(): { forEach(cb: (v: string, k: string) => void): void } }

/** A method of a gRPC service definition, as grpc-js reads it. */
interface MethodDefinition { requestDeserialize(bytes: Uint8Array): unknown }
type ServiceDefinition = Record<string, MethodDefinition>;

interface GrpcServerPrototype {
    addService(service: ServiceDefinition, implementation: Record<string, unknown>): void;
}

export interface EngineHooks {
    /** The pack's features, in the order their policies are listed. */
    features: readonly FeatureModule[];
    /** The pack's policies and what the engine sends for each unconfigured (Configure is read against it). */
    shape: PackShape;
    /** The pack's stack policies by name: what a diagnostic of each carries. */
    stackPolicies: ReadonlyMap<string, { enforcementLevel?: EnforcementLevel; description: string; severity?: Severity }>;
    packName: string;
    /** Where the accepted configuration is shared with the resource policies. */
    cell: SettingsCell;
}

const INVALID_ARGUMENT = 3;
/** Set to use @pulumi/policy's own AnalyzeStack (one deserialization per policy). */
export const SDK_ANALYZE_STACK_ENV = "DATABRICKS_NETWORK_SDK_ANALYZE_STACK";
/** Set to log, on standard error, how long the pack itself spends on each AnalyzeStack. */
export const TIMINGS_ENV = "DATABRICKS_NETWORK_TIMINGS";
export const TIMING_PREFIX = "databricks-network: AnalyzeStack of ";

// Reach: a private file of @pulumi/policy (read from 1.21.0), by path: deserialize.js and
// protoutil.js, which its package does not export. Checked by test/pack/sdk-surface.spec.ts.
function policyModule<T>(name: string): T {
    const policyDir = path.dirname(require.resolve("@pulumi/policy"));
    return require(path.join(policyDir, name)) as T;
}

/** Runs `fn` (which constructs the PolicyPack) with the hooks installed on the service it registers. */
export function withEngineHooks<T>(hooks: EngineHooks, fn: () => T): T {
    // Reach: grpc-js's Server.prototype.addService (@grpc/grpc-js 1.14.7, as @pulumi/policy 1.21.0
    // resolves it), replaced while PolicyPack registers its Analyzer service. The SDK exposes no
    // hook on its server; this is what refuses malformed requests and configuration (guard, Configure)
    // and answers AnalyzeStack in one pass (large stacks, resource references). Patch the copy of
    // grpc-js that @pulumi/policy loads: that is the one whose Server it creates.
    const policyDir = path.dirname(require.resolve("@pulumi/policy"));
    const grpc = require(require.resolve("@grpc/grpc-js", { paths: [policyDir] })) as { Server: { prototype: GrpcServerPrototype } };
    const proto = grpc.Server.prototype;
    const original = proto.addService;
    proto.addService = function (this: unknown, service: ServiceDefinition, implementation: Record<string, unknown>) {
        // Before the server binds: large requests arrive in a few writes (window.ts). A grpc-js
        // whose internals differ keeps its default window, which only costs time.
        widenReceiveWindow(this);
        const hooked = hook(service, implementation, hooks);
        // Every method's request passes the length guard before any decoder reads it.
        const guarded = guardService(hooked.service, hooked.implementation);
        return original.call(this, traceService(service, guarded.service), guarded.implementation);
    };
    try {
        return fn();
    } finally {
        proto.addService = original;
    }
}

/** Says once per process, on standard error, that the one-pass path is not in use and why. */
let warned = false;
export const FALLBACK_PREFIX = "databricks-network: ";
function warnOnce(what: string): void {
    if (!warned) {
        warned = true;
        process.stderr.write(`${FALLBACK_PREFIX}${what}\n`);
    }
}

/** The pack's own settings before any Configure (the SDK's initial configuration). */
function defaultSettings(hooks: EngineHooks): PackSettings {
    return readSettings(hooks.shape.baseline, hooks.shape);
}

function hook(service: ServiceDefinition, implementation: Record<string, unknown>, hooks: EngineHooks):
    { service: ServiceDefinition; implementation: Record<string, unknown> } {
    const configure = implementation.configure as UnaryHandler | undefined;
    const configureStack = implementation.configureStack as UnaryHandler | undefined;
    const analyze = implementation.analyze as UnaryHandler | undefined;
    const analyzeStack = implementation.analyzeStack as UnaryHandler | undefined;
    const method = service.analyzeStack as MethodDefinition | undefined;
    if (typeof configure !== "function" || typeof configureStack !== "function" || typeof analyzeStack !== "function"
        || typeof analyze !== "function" || typeof method?.requestDeserialize !== "function") {
        warnOnce("the installed @pulumi/policy serves the Analyzer differently than this pack expects: configuration is not validated here and AnalyzeStack uses the SDK's per-policy path");
        return { service, implementation };
    }
    // What the SDK keeps privately, mirrored: the last accepted Configure and the stack's tags.
    let settings: PackSettings = defaultSettings(hooks);
    hooks.cell.settings = settings;
    let tags: ReadonlyMap<string, string> = new Map();
    // The inputs this run's Analyze saw, by URN, for the resources the features read: AnalyzeStack
    // reads them where a preview gives a resource no properties (model/stack.ts, stackProps). Kept
    // as the SDK decoded them; turned into values only for such a resource.
    const declared = new Map<string, ProtoStruct | undefined>();
    const onePass = process.env[SDK_ANALYZE_STACK_ENV] === undefined;
    const timings = process.env[TIMINGS_ENV] !== undefined;
    const sdkDeserialize = method.requestDeserialize.bind(method);
    // The one-pass handler reads the request's bytes itself.
    const hookedService: ServiceDefinition = !onePass ? service : {
        ...service,
        analyzeStack: { ...method, requestDeserialize: (bytes: Uint8Array) => new AnalyzeStackBytes(bytes) },
    };
    return { service: hookedService, implementation: {
        ...implementation,
        configure: (call: { request: unknown }, callback: UnaryCallback) => {
            const refuse = (reason: string) => {
                const details = `invalid policy pack configuration: ${reason}`;
                callback({ code: INVALID_ARGUMENT, details, message: details });
            };
            let next: PackSettings;
            try {
                next = readSettings(readConfigureRequest(call.request as ConfigureRequest), hooks.shape);
            } catch (e) {
                refuse(e instanceof Error ? e.message : String(e));
                return undefined;
            }
            // Kept only once the SDK has accepted it too: a refused configuration changes nothing.
            return configure(call, (err, value) => {
                if (err) {
                    // The SDK's error carries a stack trace: its first line says what it refused.
                    refuse(cut(String(err.message ?? err).split("\n")[0].replace(/^Error: /, "")));
                    return;
                }
                settings = next;
                hooks.cell.settings = next;
                callback(null, value);
            });
        },
        analyze: (call: { request: unknown }, callback: UnaryCallback) => {
            try {
                const req = call.request as AnalyzeRequest;
                if (classify(req.getType()) !== undefined) {
                    declared.set(req.getUrn(), req.getProperties());
                }
            } catch {
                // The SDK's handler reports a malformed request.
            }
            return analyze(call, callback);
        },
        configureStack: (call: { request: unknown }, callback: UnaryCallback) => {
            // A new run: what an earlier run declared no longer holds.
            declared.clear();
            const m = new Map<string, string>();
            try {
                (call.request as ConfigureStackRequest).getTagsMap().forEach((v, k) => m.set(k, v));
                tags = m;
            } catch {
                // The SDK's handler reports a malformed request.
            }
            return configureStack(call, callback);
        },
        analyzeStack: (call: { request: unknown }, callback: UnaryCallback) => {
            const request = call.request;
            if (!(request instanceof AnalyzeStackBytes)) {
                return analyzeStack(call, callback);
            }
            const started = process.hrtime.bigint();
            const malformed = (e: unknown) => {
                const details = `malformed AnalyzeStackRequest: ${e instanceof Error ? e.message : String(e)}`;
                callback({ code: INVALID_ARGUMENT, details, message: details });
                return undefined;
            };
            let resources: ResourceInput[];
            try {
                resources = readResources(request, declared);
            } catch (e) {
                return malformed(e);
            }
            let response: unknown;
            try {
                response = evaluate(resources, hooks, settings, tags);
            } catch (e) {
                // The SDK's handler answers (or reports) what this one could not; say so once.
                warnOnce(`AnalyzeStack fell back to the SDK's per-policy path: ${e instanceof Error ? e.message : String(e)}`);
                try {
                    call.request = sdkDeserialize(request.bytes);
                } catch (err) {
                    return malformed(err);
                }
                return analyzeStack(call, callback);
            }
            if (timings) {
                const ms = Number(process.hrtime.bigint() - started) / 1e6;
                process.stderr.write(`${TIMING_PREFIX}${resources.length} resources in ${ms.toFixed(1)} ms\n`);
            }
            callback(null, response);
            return undefined;
        },
    } };
}

const LEVEL_CODES = ENFORCEMENTS.map((l, i) => `${i} (${l})`).join(", ");

/**
 * The entries of a Configure request as raw settings, refused whole (naming the policy and the
 * field, values cut) when a level is outside the enum, properties are absent or not a valid Struct.
 */
function readConfigureRequest(request: ConfigureRequest): Map<string, RawPolicyConfig> {
    const raw = new Map<string, RawPolicyConfig>();
    for (const [name, cfg] of request.getPolicyconfigMap().entries()) {
        const policy = cutId(name);
        const code = cfg.getEnforcementlevel();
        const level = ENFORCEMENTS[code];
        if (!Number.isInteger(code) || level === undefined) {
            throw new ConfigError(`${policy}.enforcementLevel must be one of ${LEVEL_CODES}; got ${quote(code)}`);
        }
        const struct = cfg.getProperties();
        if (struct === undefined) {
            throw new ConfigError(`${policy}: the policy configuration has no properties (an empty Struct stands for none)`);
        }
        let properties: Record<string, unknown>;
        try {
            properties = struct.toJavaScript();
        } catch (e) {
            throw new ConfigError(`${policy}: the properties are not a valid Struct (${cut(e instanceof Error ? e.message : String(e))})`);
        }
        raw.set(name, { enforcement: level, properties });
    }
    return raw;
}

interface SdkDiagnostic {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    message: string;
    urn?: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    severity?: Severity;
}

let packVersion: string | undefined;

/** The request's resources as the model takes them; throws on bytes that are not a valid request. */
function readResources(req: AnalyzeStackBytes, declared: ReadonlyMap<string, ProtoStruct | undefined>): ResourceInput[] {
    const { deserializeProperties } = policyModule<{ deserializeProperties(s: ProtoStruct, proxySecrets: boolean): unknown }>("deserialize");
    const properties = (range: StructRange | undefined): unknown => {
        if (range === undefined) {
            return {};
        }
        const { value, special } = readStruct(req, range);
        if (!special) {
            // What the SDK's deserializer would return: a copy of the same plain values.
            return value;
        }
        try {
            // The SDK's own unwrapping of secrets, assets and archives (private deserialize.js of
            // @pulumi/policy 1.21.0): one-pass values equal to what the SDK's policies receive.
            return deserializeProperties({ toJavaScript: () => value }, false);
        } catch {
            // A signature the SDK does not know (a resource reference): the model's readers
            // understand secrets and resource references in the plain form.
            return value;
        }
    };
    const list = readAnalyzeStackRequest(req);
    const inRequest = new Set(list.map(r => r.urn));
    // Like the SDK, keep only dependencies and parents that are part of the request.
    const present = (urns: string[]) => (urns.every(u => inRequest.has(u)) ? urns : urns.filter(u => inRequest.has(u)));
    // Most resources share a handful of providers: each provider's properties are read once.
    const providers = new Map<string, ResourceInput["provider"]>();
    return list.map(r => {
        let propertyDependencies = r.propertyDependencies;
        for (const k in propertyDependencies) {
            if (present(propertyDependencies[k]) !== propertyDependencies[k]) {
                // Some dependency is outside the request: keep the others, as the SDK does.
                const kept: Record<string, string[]> = {};
                for (const key in propertyDependencies) {
                    kept[key] = present(propertyDependencies[key]);
                }
                propertyDependencies = kept;
                break;
            }
        }
        const prov = r.provider;
        let provider: ResourceInput["provider"];
        if (prov) {
            provider = providers.get(prov.urn);
            if (provider === undefined) {
                provider = { type: prov.type, urn: prov.urn, name: prov.name, props: properties(prov.properties) };
                providers.set(prov.urn, provider);
            }
        }
        return {
            urn: r.urn,
            type: r.type,
            name: r.name,
            // No rule reads the properties of resources outside the three providers (components,
            // other clouds): their identity and dependencies are all the model needs.
            props: classify(r.type) !== undefined ? stackProps(r.type, properties(r.properties), () => declared.get(r.urn)?.toJavaScript())
                : r.type.startsWith("pulumi:providers:") ? properties(r.properties) : {},
            parent: r.parent && inRequest.has(r.parent) ? r.parent : undefined,
            dependencies: present(r.dependencies),
            propertyDependencies,
            provider,
        };
    });
}

/** Every feature on one model of the stack, answered with the SDK's response encoding. */
function evaluate(resources: ResourceInput[], hooks: EngineHooks, settings: PackSettings, tags: ReadonlyMap<string, string>): unknown {
    // Reach: protoutil.makeAnalyzeResponse (@pulumi/policy 1.21.0) and PolicyNotApplicable from
    // @pulumi/pulumi/proto/analyzer_pb (3.248.0): the one-pass answer in the SDK's own encoding.
    const { makeAnalyzeResponse } = policyModule<{ makeAnalyzeResponse(ds: SdkDiagnostic[], na: unknown[] | undefined): unknown }>("protoutil");
    const analyzerProto = require("@pulumi/pulumi/proto/analyzer_pb") as { PolicyNotApplicable: new () => { setPolicyName(n: string): void; setReason(r: string): void } };
    // The SDK reads the version from the working directory's package.json (PolicyPack, 1.21.0), as here.
    packVersion = packVersion ?? (require(`${process.cwd()}/package.json`) as { version: string }).version;
    const verdict = decide(hooks.features, new StackModel(resources), settings, tags);
    const diagnostics: SdkDiagnostic[] = [];
    for (const r of reported(verdict)) {
        const p = hooks.stackPolicies.get(r.policy);
        diagnostics.push({
            policyName: r.policy,
            policyPackName: hooks.packName,
            policyPackVersion: packVersion,
            message: message(r),
            urn: r.resource?.urn,
            description: p?.description ?? "",
            enforcementLevel: r.level ?? "advisory",
            severity: p?.severity,
        });
    }
    const notApplicable: unknown[] = [];
    for (const f of verdict.features) {
        // Disabled policies are not run by the SDK, so they report nothing either.
        if (f.notApplicable !== undefined && f.enforcement !== "disabled") {
            const na = new analyzerProto.PolicyNotApplicable();
            na.setPolicyName(f.policy);
            na.setReason(f.notApplicable);
            notApplicable.push(na);
        }
    }
    return makeAnalyzeResponse(diagnostics, notApplicable.length ? notApplicable : undefined);
}
