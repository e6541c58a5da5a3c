// Starts a policy pack exactly as the Pulumi engine does and speaks the Analyzer gRPC protocol
// to it: ConfigureStack, GetAnalyzerInfo, Configure (with the engine's configuration merge),
// Analyze, AnalyzeStack and Remediate; and sends raw request bytes to any method, as another (or a
// hostile) client may.

import { TierId } from "../policies/matrix";
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as readline from "readline";
import { RecordedResource, RecordedStack } from "./program";
import { unseenIn } from "../policies/core/model/values";
import { Enforcement, ENFORCEMENTS } from "../policies/core/evaluation/config";
import { layerConfigFile, PackConfigFile, RawPolicyConfig } from "../policies/core/evaluation/settings";

const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] })) as typeof import("@grpc/grpc-js");
const analyzerRpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const pb = require("@pulumi/pulumi/proto/analyzer_pb");
const structPb = require("google-protobuf/google/protobuf/struct_pb");
const emptyPb = require("google-protobuf/google/protobuf/empty_pb");

const LEVEL_CODE: Record<Enforcement, number> = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 };

export interface Diagnostic {
    policyName: string;
    message: string;
    urn: string;
    enforcementLevel: Enforcement;
    severity: number;
}

export interface AnalyzeResult {
    diagnostics: Diagnostic[];
    notApplicable: { policyName: string; reason: string }[];
}

export interface PolicyInfo {
    name: string;
    displayName: string;
    description: string;
    enforcementLevel: Enforcement;
    severity: number;
    tags: string[];
    remediationSteps: string;
    url: string;
    policyType: number;
    configSchema?: { properties: Record<string, { default?: unknown; enum?: unknown[] }>; required: string[] };
}

export interface AnalyzerInfo {
    name: string;
    version: string;
    policies: PolicyInfo[];
    initialConfig: Record<string, { enforcementLevel: Enforcement; properties: Record<string, unknown> }>;
}


export interface StackContext {
    stack?: string;
    project?: string;
    organization?: string;
    dryRun?: boolean;
    tags?: Record<string, string>;
}

type Client = Record<string, (req: unknown, cb: (err: Error | null, resp: never) => void) => void> & {
    close(): void;
    makeUnaryRequest(path: string, serialize: (b: Uint8Array) => Buffer, deserialize: (b: Buffer) => unknown, req: Uint8Array,
        cb: (err: Error | null, resp?: unknown) => void): void;
    makeUnaryRequest(path: string, serialize: (b: Uint8Array) => Buffer, deserialize: (b: Buffer) => unknown, req: Uint8Array,
        metadata: unknown, options: { deadline?: number }, cb: (err: Error | null, resp?: unknown) => void): void;
};

/** The methods of the Analyzer service, by their gRPC names. */
export const ANALYZER_METHODS = ["Analyze", "AnalyzeStack", "Remediate", "GetAnalyzerInfo", "GetPluginInfo", "Configure", "Handshake", "ConfigureStack", "Cancel"] as const;
export type AnalyzerMethod = typeof ANALYZER_METHODS[number];

/** A gRPC error as grpc-js reports it. */
export interface CallError extends Error {
    code: number;
    details: string;
}

/** The raw policy configuration of one policy in a Configure request (a level outside the enum, or no properties, allowed). */
export interface WirePolicyConfig {
    enforcementLevel: Enforcement | number;
    /** Omitted: the request carries no properties at all. */
    properties?: Record<string, unknown>;
}

/** Everything the engine reads from an AnalyzeStack response, in order. */
export function wire(r: AnalyzeResult): string[] {
    return [
        ...r.diagnostics.map(d => JSON.stringify([d.policyName, d.urn, d.enforcementLevel, d.severity, d.message])),
        ...r.notApplicable.map(n => JSON.stringify(["n/a", n.policyName, n.reason])),
    ];
}

export class PackProcess {
    private answeredInfo?: Promise<AnalyzerInfo>;

    private constructor(private readonly child: ChildProcess, private readonly client: Client, readonly stderr: string[], readonly port: number) {}

    /** The pack's process ID (to read its memory use). */
    get pid(): number {
        return this.child.pid ?? -1;
    }

    /** `node <packDir>/node_modules/@pulumi/pulumi/cmd/run-policy-pack <engine> <packDir>` with cwd = packDir. */
    static async start(packDir: string, env: Record<string, string> = {}): Promise<PackProcess> {
        const runner = path.join(packDir, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack");
        const child = spawn(process.execPath, [runner, "127.0.0.1:0", packDir], {
            cwd: packDir,
            env: {
                ...process.env,
                PULUMI_NODEJS_ORGANIZATION: "acme",
                PULUMI_NODEJS_PROJECT: "databricks-network",
                PULUMI_NODEJS_STACK: "dev",
                PULUMI_NODEJS_DRY_RUN: "true",
                PULUMI_CONFIG: "{}",
                ...env,
            },
            stdio: ["ignore", "pipe", "pipe"],
        });
        const stderr: string[] = [];
        child.stderr?.on("data", d => stderr.push(String(d)));
        const port = await new Promise<number>((resolve, reject) => {
            const rl = readline.createInterface({ input: child.stdout as NodeJS.ReadableStream });
            rl.once("line", line => {
                const n = Number(line.trim());
                if (Number.isInteger(n) && n > 0) {
                    resolve(n);
                } else {
                    reject(new Error(`the pack printed "${line}" before its port; stderr: ${stderr.join("")}`));
                }
            });
            child.once("exit", code => reject(new Error(`the pack exited with ${code} before printing its port: ${stderr.join("")}`)));
        });
        const client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": 400 * 1024 * 1024,
            "grpc.max_send_message_length": 400 * 1024 * 1024,
        }) as Client;
        return new PackProcess(child, client, stderr, port);
    }

    private call<T>(method: string, req: unknown): Promise<T> {
        return new Promise((resolve, reject) => {
            this.client[method](req, (err, resp) => (err ? reject(err) : resolve(resp)));
        });
    }

    async configureStack(ctx: StackContext = {}): Promise<void> {
        const req = new pb.AnalyzerStackConfigureRequest();
        req.setStack(ctx.stack ?? "dev");
        req.setProject(ctx.project ?? "databricks-network");
        req.setOrganization(ctx.organization ?? "acme");
        req.setDryRun(ctx.dryRun ?? true);
        const tags = req.getTagsMap();
        for (const [k, v] of Object.entries(ctx.tags ?? {})) {
            tags.set(k, v);
        }
        await this.call("configureStack", req);
    }

    /**
     * The pack's AnalyzerInfo, asked for once per process as the engine does (the pack builds it
     * anew on every call). `getAnalyzerInfo` asks again.
     */
    info(): Promise<AnalyzerInfo> {
        if (!this.answeredInfo) {
            const asked = this.getAnalyzerInfo();
            this.answeredInfo = asked;
            // A failed answer is not kept: the next call asks again.
            asked.catch(() => {
                if (this.answeredInfo === asked) {
                    this.answeredInfo = undefined;
                }
            });
        }
        return this.answeredInfo;
    }

    async getAnalyzerInfo(): Promise<AnalyzerInfo> {
        const resp = await this.call<{
            getName(): string; getVersion(): string; getPoliciesList(): unknown[];
            getInitialconfigMap(): { forEach(cb: (v: { getEnforcementlevel(): number; getProperties(): { toJavaScript(): Record<string, unknown> } | undefined }, k: string) => void): void };
        }>("getAnalyzerInfo", new emptyPb.Empty());
        const policies = resp.getPoliciesList().map(p => {
            const o = (p as { toObject(): Record<string, unknown> }).toObject();
            const schema = (p as { getConfigschema(): { getProperties(): { toJavaScript(): Record<string, unknown> } | undefined; getRequiredList(): string[] } | undefined }).getConfigschema();
            return {
                name: o.name as string,
                displayName: o.displayname as string,
                description: o.description as string,
                enforcementLevel: ENFORCEMENTS[o.enforcementlevel as number],
                severity: o.severity as number,
                tags: o.tagsList as string[],
                remediationSteps: o.remediationSteps as string,
                url: o.url as string,
                policyType: o.policyType as number,
                configSchema: schema ? { properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, { default?: unknown; enum?: unknown[] }>, required: schema.getRequiredList() } : undefined,
            };
        });
        const initialConfig: AnalyzerInfo["initialConfig"] = {};
        resp.getInitialconfigMap().forEach((v, k) => {
            initialConfig[k] = { enforcementLevel: ENFORCEMENTS[v.getEnforcementlevel()], properties: v.getProperties()?.toJavaScript() ?? {} };
        });
        return { name: resp.getName(), version: resp.getVersion(), policies, initialConfig };
    }

    /**
     * Configure as the engine does it: schema defaults, then the pack's initial configuration,
     * then the user's `--policy-pack-config` file, sent for every policy.
     */
    async configure(user: PackConfigFile = {}, info?: AnalyzerInfo): Promise<void> {
        await this.sendConfigure(configureRequest(user, info ?? await this.info()));
    }

    /** Sends a Configure request built by `configureRequest` (and perhaps altered). */
    async sendConfigure(req: ConfigureRequestMessage): Promise<void> {
        await this.call("configure", req);
    }

    /**
     * Sends request bytes as they are to any method and returns the response's bytes: how a
     * client other than google-protobuf (or a hostile one) may call. `deadlineMs` bounds the wait.
     */
    callRaw(method: AnalyzerMethod, bytes: Uint8Array, deadlineMs = 30_000): Promise<Buffer> {
        return new Promise((resolve, reject) => {
            this.client.makeUnaryRequest(`/pulumirpc.Analyzer/${method}`, b => Buffer.from(b), b => b, bytes, new grpc.Metadata(),
                { deadline: Date.now() + deadlineMs }, (err, r) => (err ? reject(err) : resolve(r as Buffer)));
        });
    }

    /** Sends a raw Configure request (no merge), to test how the pack treats malformed values. */
    async configureRaw(config: Record<string, WirePolicyConfig>): Promise<void> {
        const req = new pb.ConfigureAnalyzerRequest();
        const map = req.getPolicyconfigMap();
        for (const [name, c] of Object.entries(config)) {
            const cfg = new pb.PolicyConfig();
            cfg.setEnforcementlevel(typeof c.enforcementLevel === "number" ? c.enforcementLevel : LEVEL_CODE[c.enforcementLevel]);
            if (c.properties !== undefined) {
                cfg.setProperties(structPb.Struct.fromJavaScript(c.properties));
            }
            map.set(name, cfg);
        }
        await this.call("configure", req);
    }

    async analyzeStack(stack: RecordedStack | RecordedResource[]): Promise<AnalyzeResult> {
        return toResult(await this.call("analyzeStack", analyzeStackRequest(stack)));
    }

    /** Sends an AnalyzeStack request already encoded (as another client may encode it). */
    async sendAnalyzeStackBytes(bytes: Uint8Array): Promise<AnalyzeResult> {
        const resp = await new Promise<unknown>((resolve, reject) => {
            this.client.makeUnaryRequest("/pulumirpc.Analyzer/AnalyzeStack", b => Buffer.from(b),
                b => pb.AnalyzeResponse.deserializeBinary(new Uint8Array(b)), bytes, (err, r) => (err ? reject(err) : resolve(r)));
        });
        return toResult(resp);
    }

    async analyze(r: RecordedResource, all: RecordedResource[] = []): Promise<AnalyzeResult> {
        return toResult(await this.call("analyze", resourceRequest(r, all)));
    }

    /** Remediate, as the engine calls it before Analyze (with the same request). */
    async remediate(r: RecordedResource, all: RecordedResource[] = []): Promise<{ policyName: string; properties?: Record<string, unknown>; diagnostic: string }[]> {
        const resp = await this.call<{ getRemediationsList(): { getPolicyname(): string; getProperties(): { toJavaScript(): Record<string, unknown> } | undefined; getDiagnostic(): string }[] }>("remediate", resourceRequest(r, all));
        return resp.getRemediationsList().map(x => ({ policyName: x.getPolicyname(), properties: x.getProperties()?.toJavaScript(), diagnostic: x.getDiagnostic() }));
    }

    /** Ends the process without waiting (from a process's "exit" handler, where nothing can wait). */
    kill(): void {
        this.child.kill();
    }

    async stop(): Promise<void> {
        this.client.close();
        if (this.child.exitCode === null) {
            const exited = new Promise(resolve => this.child.once("exit", resolve));
            this.child.kill();
            await exited;
        }
    }
}

/** The Configure request the engine sends: schema defaults, the pack's initial configuration, the user's file. */
export function configureRequest(user: PackConfigFile, analyzer: AnalyzerInfo): ConfigureRequestMessage {
    const req = new pb.ConfigureAnalyzerRequest();
    const map = req.getPolicyconfigMap();
    const base = new Map<string, RawPolicyConfig>();
    for (const p of analyzer.policies) {
        const properties: Record<string, unknown> = {};
        for (const [k, s] of Object.entries(p.configSchema?.properties ?? {})) {
            if (s.default !== undefined) {
                properties[k] = s.default;
            }
        }
        const initial = analyzer.initialConfig[p.name];
        base.set(p.name, { enforcement: initial?.enforcementLevel ?? p.enforcementLevel, properties: { ...properties, ...initial?.properties } });
    }
    // The pack's own layering of a --policy-pack-config file, the engine's order: every key of the
    // file is sent on, unknown names and "all" included (pulumi/pulumi pkg/resource/analyzer/config.go).
    for (const [name, c] of layerConfigFile(base, user)) {
        if (c.enforcement === undefined) {
            // What the Pulumi CLI answers before it calls Configure (pkg/resource/plugin/analyzer_plugin.go).
            throw new Error(`invalid enforcement level ""`);
        }
        const cfg = new pb.PolicyConfig();
        cfg.setEnforcementlevel(LEVEL_CODE[c.enforcement]);
        cfg.setProperties(structPb.Struct.fromJavaScript(c.properties));
        map.set(name, cfg);
    }
    return req;
}

/** A ConfigureAnalyzerRequest message, to alter before it is sent. */
export interface ConfigureRequestMessage {
    getPolicyconfigMap(): { get(name: string): RawPolicyConfigMessage | undefined; set(name: string, v: unknown): void };
    serializeBinary(): Uint8Array;
}

/** A PolicyConfig message of a request, to alter. */
export interface RawPolicyConfigMessage {
    setEnforcementlevel(level: number): void;
    clearProperties(): void;
    setProperties(s: unknown): void;
}

/** A google.protobuf.Struct of plain values. */
export function struct(props: Record<string, unknown>): unknown {
    return structPb.Struct.fromJavaScript(props);
}

/** The AnalyzeStack request the engine would send for these resources. */
export function analyzeStackRequest(stack: RecordedStack | RecordedResource[]): unknown {
    const resources = Array.isArray(stack) ? stack : stack.resources;
    const preview = !Array.isArray(stack) && stack.preview;
    const byUrn = new Map(resources.map(r => [r.urn, r]));
    const req = new pb.AnalyzeStackRequest();
    // The engine's state holds the root stack resource, the parent of every resource without another.
    const root = resources.length > 0 ? rootStack(resources[0].urn) : undefined;
    const all = root === undefined || byUrn.has(root.urn) ? resources : [root, ...resources];
    req.setResourcesList(all.map(r => {
        const ar = new pb.AnalyzerResource();
        ar.setType(r.type);
        ar.setUrn(r.urn);
        ar.setName(r.name);
        ar.setProperties(structPb.Struct.fromJavaScript(preview && configUnknown(r, byUrn) ? {} : r.outputs));
        ar.setOptions(options(r));
        const parent = parentOf(r);
        if (parent) {
            ar.setParent(parent);
        }
        ar.setDependenciesList(r.dependencies);
        const pd = ar.getPropertydependenciesMap();
        // The engine keeps only properties that depend on some resource.
        for (const [k, urns] of Object.entries(r.propertyDependencies).filter(([, urns]) => urns.length > 0)) {
            const deps = new pb.AnalyzerPropertyDependencies();
            deps.setUrnsList(urns);
            pd.set(k, deps);
        }
        const prov = providerOf(r, byUrn);
        if (prov) {
            ar.setProvider(prov);
        }
        return ar;
    }));
    return req;
}

/**
 * Whether a resource's provider is configured from values unknown at preview (a workspace-level
 * provider whose host is a new workspace's URL). The engine then creates no preview of the
 * resource and AnalyzeStack sees it with no properties at all (`Create` with `preview` on a
 * provider whose configuration is unknown, sdk/go/common/resource/plugin/provider_plugin.go).
 */
function configUnknown(r: RecordedResource, byUrn: ByUrn): boolean {
    const p = r.provider === undefined ? undefined : byUrn.get(r.provider);
    return r.custom && p !== undefined && unseenIn(p.inputs).unknown;
}

/** The same request, encoded (to send it with `sendAnalyzeStackBytes`). */
export function encodedAnalyzeStackRequest(stack: RecordedStack | RecordedResource[]): Uint8Array {
    return (analyzeStackRequest(stack) as { serializeBinary(): Uint8Array }).serializeBinary();
}

/** The per-resource request (inputs) of Analyze and Remediate. */
export function resourceRequest(r: RecordedResource, all: RecordedResource[]): unknown {
    const req = new pb.AnalyzeRequest();
    req.setType(r.type);
    req.setUrn(r.urn);
    req.setName(r.name);
    req.setProperties(structPb.Struct.fromJavaScript(r.inputs));
    req.setOptions(options(r));
    // One resource's provider: looked up, not a map of the whole stack per request.
    const prov = providerOf(r, { get: urn => all.find(x => x.urn === urn) });
    if (prov) {
        req.setProvider(prov);
    }
    return req;
}

/** The resource options the engine sends with a resource. */
export function options(r: RecordedResource): unknown {
    const o = new pb.AnalyzerResourceOptions();
    o.setProtect(false);
    o.setIgnorechangesList([]);
    o.setAliasesList([]);
    o.setAdditionalsecretoutputsList([]);
    o.setCustomtimeouts(new pb.AnalyzerResourceOptions.CustomTimeouts());
    const parent = parentOf(r);
    if (parent) {
        o.setParent(parent);
    }
    return o;
}

/** The root stack resource of the stack a URN belongs to, as the engine registers it. */
function rootStack(urn: string): RecordedResource | undefined {
    const m = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn);
    if (!m) {
        return undefined;
    }
    const [, stack, project] = m;
    return {
        urn: `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`, type: "pulumi:pulumi:Stack",
        name: `${project}-${stack}`, custom: false, inputs: {}, outputs: {}, dependencies: [], propertyDependencies: {},
    };
}

/** A resource's parent: its own, else the root stack resource (none for the root itself and default providers). */
function parentOf(r: RecordedResource): string | undefined {
    const unparented = r.type === "pulumi:pulumi:Stack" || (r.type.startsWith("pulumi:providers:") && r.name.startsWith("default"));
    return r.parent ?? (unparented ? undefined : rootStack(r.urn)?.urn);
}

/** The provider of `r` as the engine describes it: from the stack, else from its URN. */
/** Resources by URN: a map, or a lookup of one resource in a list. */
type ByUrn = Pick<ReadonlyMap<string, RecordedResource>, "get">;

export function providerIdentity(r: RecordedResource, byUrn: ByUrn):
    { urn: string; type: string; name: string; outputs: Record<string, unknown> } | undefined {
    if (!r.provider) {
        return undefined;
    }
    const p = byUrn.get(r.provider);
    return {
        urn: r.provider,
        type: p?.type ?? `pulumi:providers:${r.provider.split("::pulumi:providers:")[1]?.split("::")[0] ?? ""}`,
        name: p?.name ?? r.provider.split("::").pop() ?? "",
        outputs: p?.outputs ?? {},
    };
}

function providerOf(r: RecordedResource, byUrn: ByUrn): unknown {
    const p = providerIdentity(r, byUrn);
    if (!p) {
        return undefined;
    }
    const ap = new pb.AnalyzerProviderResource();
    ap.setUrn(p.urn);
    ap.setType(p.type);
    ap.setName(p.name);
    ap.setProperties(structPb.Struct.fromJavaScript(p.outputs));
    return ap;
}

function toResult(resp: unknown): AnalyzeResult {
    const o = (resp as { toObject(): { diagnosticsList: Record<string, unknown>[]; notApplicableList?: { policyName: string; reason: string }[] } }).toObject();
    return {
        diagnostics: o.diagnosticsList.map(d => ({
            policyName: d.policyname as string,
            message: d.message as string,
            urn: d.urn as string,
            enforcementLevel: ENFORCEMENTS[d.enforcementlevel as number],
            severity: d.severity as number,
        })),
        notApplicable: (o.notApplicableList ?? []).map(n => ({ policyName: n.policyName, reason: n.reason })),
    };
}

/**
 * Per-policy configuration that sets the tier on every policy (over any tier `extra` names), plus
 * the rest of `extra`; keys that are no policy (`all`, a misspelled name) pass on as the CLI passes them.
 */
export function tierConfig(tier: TierId, extra: PackConfigFile, policyNames: string[]): PackConfigFile {
    const out: PackConfigFile = { ...extra };
    for (const name of policyNames) {
        const mine = extra[name];
        out[name] = typeof mine === "string" ? { enforcementLevel: mine, tier } : { ...(mine ?? {}), tier };
    }
    return out;
}
