// Runs a Pulumi program under `pulumi.runtime.setMocks` and records every resource as the SDK
// registers it: inputs (with the SDK's unknown sentinels at preview), parent, provider,
// dependencies and property dependencies — the data the engine hands a policy pack.
//
// Mock behaviour (documented in the README, "Checking a program offline"):
// - preview: a new resource's ID and computed outputs are unknown, as on a first `pulumi preview`;
// - known: Azure resources get the ARM ID of their real resource type (cli/inputs/arm-types.ts) and the
//   outputs programs commonly read (computedOutputs); Databricks workspaces a numeric
//   `workspaceId` and a `workspaceUrl`; other resources `<name>-id`; then `--mocks` outputs;
// - invokes: `--mocks` answers (chosen by arguments), then INVOKE_ANSWERS; any other invoke fails
//   with its token and arguments named.

import * as path from "path";
import { ResourceInput } from "../../policies/core/model/stack";
import { classify } from "../../policies/core/model/types";
import { armIdOf, armType } from "../inputs/arm-types";
import { matchInvoke, Mocks, resourceOutputs, shown } from "./mocks";
import { toResourceInputs as stackInputs } from "../inputs/state";

export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SIG = "4dabf18193072939515e22adb298388d";
const RESOURCE_REF = "5cf8f73096256a8f31e491e813e4eb8e";
export const SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";
export const DEFAULT_LOCATION = "westeurope";

export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    parent?: string;
    /** URN of the provider resource (explicit, or the engine's default provider). */
    provider?: string;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    /** The ID of the existing resource the program adopts (`import`), if any. */
    importId?: string;
}

export interface RecordedStack {
    resources: RecordedResource[];
    preview: boolean;
    /** Known-values run: outputs the program read that the mocks gave no value (the SDK made them `undefined`). */
    unsetOutputs?: UnsetOutput[];
}

/** An output of a resource that the program read, though the mocks set no value for it. */
export interface UnsetOutput {
    /** The resource's URN (found by type and logical name among the recorded resources). */
    urn?: string;
    type: string;
    name: string;
    output: string;
}

export interface RecordOptions {
    /** Preview: new resources' IDs and computed outputs are unknown. */
    preview: boolean;
    project: string;
    stack: string;
    /** Stack configuration, e.g. `{ "azure-native:location": "westeurope" }`. */
    config?: Record<string, string>;
    /** Extra outputs to report for resources, by logical name (known mode). */
    outputs?: Record<string, Record<string, unknown>>;
    /** Answers for invokes and resource outputs (`--mocks`); they take precedence over the built-in ones. */
    mocks?: Mocks;
    /** Directory to resolve the program's `@pulumi/pulumi` from (default: this package's copy). */
    resolveFrom?: string;
    /** Told of each invoke the mocks cannot answer, as it happens (the program may never finish). */
    onMockFailure?: (e: MockError) => void;
    /** Told of each resource as it is registered. */
    onRegistered?: (r: RecordedResource) => void;
}

interface ProtoStruct { toJavaScript(): Record<string, unknown> }
interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getProvider(): string;
    getVersion(): string;
    getImportid(): string;
    getObject(): ProtoStruct | undefined;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { forEach(cb: (v: { getUrnsList(): string[] }, k: string) => void): void };
}
interface RegisterResponse { getUrn(): string; getId(): string; getObject(): ProtoStruct | undefined }
type Callback = (err: unknown, resp?: RegisterResponse) => void;
interface MonitorLike { registerResource(req: RegisterRequest, cb: Callback): Promise<void> }

interface MockResourceArgs { type: string; name: string; inputs: Record<string, unknown>; id?: string }
interface MockCallArgs { token: string; inputs: Record<string, unknown> }
interface PulumiModule {
    runtime: {
        setMocks(mocks: { newResource(a: MockResourceArgs): { id: string | undefined; state: Record<string, unknown> }; call(a: MockCallArgs): Record<string, unknown> },
            project?: string, stack?: string, preview?: boolean): Promise<void>;
        setConfig(k: string, v: string): void;
        setAllConfig?(c: Record<string, string>, secretKeys?: string[]): void;
    };
}

/** What the built-in answers follow: the program's configuration. */
export interface MockContext {
    subscription: string;
    tenant: string;
    location: string;
}

/** The subscription, tenant and location the program's provider configuration names, if any. */
export function mockContext(config: Record<string, string> | undefined): MockContext {
    const get = (k: string) => config?.[`azure-native:${k}`] ?? config?.[`azure:${k}`];
    return { subscription: get("subscriptionId") ?? SUBSCRIPTION, tenant: get("tenantId") ?? SUBSCRIPTION, location: get("location") ?? DEFAULT_LOCATION };
}

/** Built-in answers to the invokes programs commonly make. */
export const INVOKE_ANSWERS: Record<string, (args: Record<string, unknown>, ctx: MockContext) => Record<string, unknown>> = {
    "azure-native:authorization:getClientConfig": (_, ctx) => clientConfig(ctx),
    "azure:core/getClientConfig:getClientConfig": (_, ctx) => clientConfig(ctx),
    "azure-native:resources:getResourceGroup": (args, ctx) => resourceGroup(String(args.resourceGroupName ?? "rg"), ctx),
    "azure:core/getResourceGroup:getResourceGroup": (args, ctx) => resourceGroup(String(args.name ?? "rg"), ctx),
    "azure-native:resources:getResource": (args, ctx) => ({
        id: `/subscriptions/${ctx.subscription}/resourceGroups/${String(args.resourceGroupName ?? "rg")}/providers/${String(args.resourceProviderNamespace ?? "")}/${args.parentResourcePath ? `${String(args.parentResourcePath)}/` : ""}${String(args.resourceType ?? "")}/${String(args.resourceName ?? "")}`,
        name: args.resourceName,
        type: `${String(args.resourceProviderNamespace ?? "")}/${String(args.resourceType ?? "")}`,
        location: ctx.location,
        properties: {},
    }),
};

function clientConfig(ctx: MockContext): Record<string, unknown> {
    return { subscriptionId: ctx.subscription, tenantId: ctx.tenant, clientId: SUBSCRIPTION, objectId: SUBSCRIPTION };
}

function resourceGroup(name: string, ctx: MockContext): Record<string, unknown> {
    return { id: `/subscriptions/${ctx.subscription}/resourceGroups/${name}`, name, location: ctx.location, properties: { provisioningState: "Succeeded" } };
}

/** An invoke the mocks cannot answer: its token and the arguments it was called with. */
export class MockError extends Error {
    constructor(readonly token: string, readonly args: Record<string, unknown>, reason: string) {
        super(`the program calls the invoke ${token} with ${shown(args)}, ${reason}`);
    }
}

/** A deterministic number-like ID for Databricks-side identities. */
function numericId(s: string): string {
    let h = 7;
    for (const c of s) {
        h = (h * 31 + c.charCodeAt(0)) % 1_000_000_007;
    }
    return String(1_000_000_000_000 + h);
}

/** The resource's own name: the input that names it, else its logical name. */
function ownName(type: string, name: string, inputs: Record<string, unknown>): string {
    const info = classify(type);
    const t = info ? armType(info) : undefined;
    const prop = t?.names[t.names.length - 1];
    const key = prop === undefined ? undefined : Object.keys(inputs).find(k => k.toLowerCase() === prop.toLowerCase());
    const v = key === undefined ? undefined : inputs[key];
    return typeof v === "string" && v !== "" ? v : name;
}

/** Outputs a deployment computes that programs commonly read (names, IPs, URIs, identities). */
function computedOutputs(type: string, name: string, inputs: Record<string, unknown>, id: string, ctx: MockContext): Record<string, unknown> {
    const info = classify(type);
    const out: Record<string, unknown> = {};
    const own = ownName(type, name, inputs);
    const classic = info?.family === "azure";
    if (info && info.family !== "databricks") {
        out.name = own;
        out.location = typeof inputs.location === "string" ? inputs.location : ctx.location;
        const identity = inputs.identity;
        if (identity !== null && typeof identity === "object" && /SystemAssigned/i.test(String((identity as Record<string, unknown>).type))) {
            out.identity = { ...(identity as Record<string, unknown>), principalId: uuidOf(`principal/${id}`), tenantId: ctx.tenant };
        }
    }
    // Private IPs Azure assigns (a deterministic address per resource).
    const privateIp = (i: number) => {
        const h = Number(numericId(`${type}/${name}`)) % 62_500;
        return `10.${200 + Math.floor(h / 250) % 50}.${h % 250}.${4 + i}`;
    };
    const withIps = (list: unknown, field: string) => Array.isArray(list)
        ? list.map((c, i) => (c !== null && typeof c === "object" ? { [field]: privateIp(i), ...(c as Record<string, unknown>) } : c))
        : list;
    const key = info ? `${info.module}:${info.typeName}` : "";
    if (info?.kind === "firewall" || info?.kind === "networkInterface") {
        out.ipConfigurations = withIps(inputs.ipConfigurations, classic ? "privateIpAddress" : "privateIPAddress");
        if (classic && info.kind === "networkInterface") {
            out.privateIpAddress = privateIp(0);
        }
    }
    if (info?.kind === "privateEndpoint") {
        const nic = `/subscriptions/${ctx.subscription}/resourceGroups/${String(inputs.resourceGroupName ?? "rg")}/providers/Microsoft.Network/networkInterfaces/${own}.nic`;
        out.networkInterfaces = [{ id: nic }];
        out.customDnsConfigs = [{ fqdn: `${own}.privatelink.azure.net`, ipAddresses: [privateIp(0)] }];
        if (classic) {
            const psc = inputs.privateServiceConnection;
            out.privateServiceConnection = { ...(psc !== null && typeof psc === "object" ? psc as Record<string, unknown> : {}), privateIpAddress: privateIp(0) };
            out.networkInterfaces = [{ id: nic, name: `${own}.nic` }];
        }
    }
    if (info?.kind === "virtualNetwork" && Array.isArray(inputs.subnets)) {
        // Subnets declared inline get their IDs (the model places them in their VNet by ID).
        out.subnets = inputs.subnets.map(s => {
            const sn = s !== null && typeof s === "object" ? s as Record<string, unknown> : {};
            return typeof sn.name === "string" ? { id: `${id}/subnets/${sn.name}`, ...sn } : s;
        });
    }
    if (key === "network:PublicIPAddress" || key === "network/publicIp:PublicIp") {
        const h = Number(numericId(`${type}/${name}`));
        out.ipAddress = `20.${h % 200}.${Math.floor(h / 200) % 250}.${Math.floor(h / 50_000) % 250}`;
    }
    if (key === "keyvault:Vault" || key === "keyvault/keyVault:KeyVault") {
        const uri = `https://${own}.vault.azure.net/`;
        if (classic) {
            out.vaultUri = uri;
        } else {
            const props = inputs.properties;
            out.properties = { ...(props !== null && typeof props === "object" ? props as Record<string, unknown> : {}), vaultUri: uri };
        }
    }
    if (key === "keyvault:Key" || key === "keyvault/key:Key") {
        const vault = classic ? String(inputs.keyVaultId ?? "vault").split("/").pop() : String(inputs.vaultName ?? "vault");
        const version = numericId(id).padStart(32, "0").slice(-32);
        out.keyUri = `https://${vault}.vault.azure.net/keys/${own}`;
        out.keyUriWithVersion = `${out.keyUri as string}/${version}`;
        if (classic) {
            Object.assign(out, { version, versionlessId: out.keyUri, resourceId: id, resourceVersionlessId: id });
        }
    }
    if (info?.kind === "storageAccount") {
        const host = (svc: string) => `https://${own}.${svc}.core.windows.net/`;
        if (classic) {
            Object.assign(out, { primaryBlobEndpoint: host("blob"), primaryDfsEndpoint: host("dfs") });
        } else {
            out.primaryEndpoints = { blob: host("blob"), dfs: host("dfs"), file: host("file"), queue: host("queue"), table: host("table"), web: host("web") };
        }
    }
    if (info?.kind === "workspace") {
        const wsId = numericId(name);
        out.workspaceId = wsId;
        out.workspaceUrl = `adb-${wsId}.1.azuredatabricks.net`;
    }
    if (info?.kind === "ncc") {
        out.networkConnectivityConfigId = `ncc-${numericId(name)}`;
    }
    if (info?.kind === "accountNetworkPolicy") {
        out.networkPolicyId = typeof inputs.networkPolicyId === "string" ? inputs.networkPolicyId : `np-${name}`;
    }
    return out;
}

/**
 * A created resource as the mocks answer it: an ARM-style ID (or `<name>-id`) and its inputs with
 * what a deployment computes, then `extra` (the user's mocked outputs) over them.
 */
export function createdResource(type: string, name: string, inputs: Record<string, unknown>, ctx: MockContext, extra: Record<string, unknown> = {}): { id: string; state: Record<string, unknown> } {
    const id = armIdOf(type, name, inputs, ctx.subscription) ?? `${name}-id`;
    return { id, state: { ...inputs, ...computedOutputs(type, name, inputs, id, ctx), ...extra, id } };
}

/** A deterministic UUID-shaped value. */
function uuidOf(s: string): string {
    const hex = [0, 1, 2, 3].map(i => Number(numericId(`${i}/${s}`)).toString(16).padStart(8, "0").slice(-8)).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Replaces resource references by the plain ID or URN strings the engine sends. */
function engineForm(v: unknown, ids: Map<string, string>): unknown {
    if (Array.isArray(v)) {
        return v.map(x => engineForm(x, ids));
    }
    if (v !== null && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (o[SIG] === RESOURCE_REF) {
            const urn = String(o.urn);
            const id = typeof o.id === "string" ? o.id : ids.get(urn);
            return id === undefined ? urn : id === "" ? UNKNOWN : id;
        }
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(o)) {
            if (!k.startsWith("__")) {
                out[k] = engineForm(x, ids);
            }
        }
        return out;
    }
    return v;
}

let running = false;

type Resolver = (v: unknown, isKnown: boolean, isSecret: boolean, deps?: unknown[], err?: unknown) => void;
interface RpcModule { transferProperties?: (onto: Record<string, unknown>, label: string, props: Record<string, unknown>) => Record<string, Resolver> }

/**
 * Notes, while `run` runs, each output property a resource declares without an input value that the
 * program reads (every read of an output goes through its `promise`) and that resolves to
 * `undefined`: an output the mocks did not set, which a known-values run would otherwise leave
 * silently undefined (building, say, ".../storageAccounts/undefined").
 */
async function withUnsetOutputs<T>(pulumiDir: string, found: UnsetOutput[], run: () => Promise<T>): Promise<T> {
    const rpc = require(path.join(pulumiDir, "runtime", "rpc")) as RpcModule;
    const transfer = rpc.transferProperties;
    if (typeof transfer !== "function") {
        return run();
    }
    rpc.transferProperties = (onto, label, props) => {
        const resolvers = transfer(onto, label, props);
        // The SDK's label: `resource:<name>[<type>]`.
        const m = /^resource:(.*)\[([^\]]*)\]$/.exec(label);
        for (const key of Object.keys(resolvers)) {
            const out = onto[key] as { promise?: (withUnknowns?: boolean) => Promise<unknown> } | undefined;
            if (!m || props[key] !== undefined || typeof out?.promise !== "function") {
                continue;
            }
            let read = false;
            let unset = false;
            const note = () => {
                if (read && unset) {
                    found.push({ type: m[2], name: m[1], output: key });
                    read = false;
                }
            };
            const promise = out.promise;
            out.promise = (withUnknowns?: boolean) => {
                read = true;
                note();
                return promise(withUnknowns);
            };
            const resolve = resolvers[key];
            resolvers[key] = (v, isKnown, isSecret, deps, err) => {
                unset = err === undefined && v === undefined && isKnown;
                note();
                resolve(v, isKnown, isSecret, deps, err);
            };
        }
        return resolvers;
    };
    try {
        return await run();
    } finally {
        rpc.transferProperties = transfer;
    }
}

type Options = Record<string, unknown> & { aliases?: unknown };
interface ResourceModule { mergeOptions?: (a: Options | undefined, b: Options | undefined) => Options }

/** An alias that names only a type: what a provider SDK adds for each earlier version of a type token. */
function typeOnly(alias: unknown): boolean {
    return alias !== null && typeof alias === "object" && Object.keys(alias).length === 1 && typeof (alias as { type?: unknown }).type === "string";
}

/**
 * Leaves type-only aliases out of merged resource options while `run` runs. Provider SDKs give a
 * resource one such alias per earlier API version (60 for an azure-native virtual network) and the
 * SDK turns each into a URN through a chain of outputs: most of a recording's cost. The engine's
 * Analyze request carries aliases only as options no policy reads, and a recording has none.
 */
async function withoutTypeAliases<T>(pulumiDir: string, run: () => Promise<T>): Promise<T> {
    // Providers call the package's `pulumi.mergeOptions`, a copy of the resource module's export.
    const modules = [require(pulumiDir), require(path.join(pulumiDir, "resource"))] as ResourceModule[];
    const merge = modules[1].mergeOptions;
    if (typeof merge !== "function") {
        return run();
    }
    const lean = (a: Options | undefined, b: Options | undefined): Options => {
        const merged = merge(a, b);
        if (Array.isArray(merged?.aliases)) {
            merged.aliases = merged.aliases.filter(x => !typeOnly(x));
        }
        return merged;
    };
    const before = modules.map(m => m.mergeOptions);
    modules.forEach(m => (m.mergeOptions = lean));
    try {
        return await run();
    } finally {
        modules.forEach((m, i) => (m.mergeOptions = before[i]));
    }
}

/** Runs `program` (which declares the resources) under mocks and returns what the SDK registered. */
export async function recordProgram(program: () => unknown, opts: RecordOptions): Promise<RecordedStack> {
    if (running) {
        throw new Error("recordProgram: one program at a time");
    }
    running = true;
    const from = opts.resolveFrom ? [opts.resolveFrom] : undefined;
    const pulumi = require(from ? require.resolve("@pulumi/pulumi", { paths: from }) : "@pulumi/pulumi") as PulumiModule;
    const pulumiDir = path.dirname(from ? require.resolve("@pulumi/pulumi/package.json", { paths: from }) : require.resolve("@pulumi/pulumi/package.json"));
    // Internal SDK modules: the monitor that setMocks installs, and the RPC queue to drain.
    const settings = require(path.join(pulumiDir, "runtime", "settings")) as { getMonitor(): MonitorLike; waitForRPCs(): Promise<void> };
    const recorded: RecordedResource[] = [];
    const ids = new Map<string, string>();
    // Invoke failures surface in the program as unrelated serialization errors: keep the cause.
    const mockFailures: MockError[] = [];
    const unset: UnsetOutput[] = [];
    try {
        if (pulumi.runtime.setAllConfig) {
            // Replace, not merge: a previous run's configuration must not leak into this one.
            pulumi.runtime.setAllConfig({ ...(opts.config ?? {}) }, []);
        } else {
            for (const [k, v] of Object.entries(opts.config ?? {})) {
                pulumi.runtime.setConfig(k, v);
            }
        }
        const preview = opts.preview;
        const ctx = mockContext(opts.config);
        await pulumi.runtime.setMocks({
            call(args) {
                const cases = opts.mocks?.invokes[args.token];
                const answer = cases ? matchInvoke(cases, args.inputs) : undefined;
                if (answer) {
                    return answer.result;
                }
                const builtIn = INVOKE_ANSWERS[args.token];
                if (builtIn && !cases) {
                    return builtIn(args.inputs, ctx);
                }
                const failure = new MockError(args.token, args.inputs, cases
                    ? `which none of the ${cases.length} answers in the mocks file matches by its arguments: add a case {"args": {…}, "result": {…}} for them`
                    : "which has no mock answer: supply one with --mocks (see README, \"Checking a program offline\")");
                mockFailures.push(failure);
                opts.onMockFailure?.(failure);
                throw failure;
            },
            newResource(args) {
                const made: { id: string | undefined; state: Record<string, unknown> } = preview ? { id: undefined, state: args.inputs }
                    : createdResource(args.type, args.name, args.inputs, ctx, { ...(opts.mocks ? resourceOutputs(opts.mocks, args.type, args.name) : {}), ...opts.outputs?.[args.name] });
                // An adopted resource (`import`) has the ID it is imported with, in either run.
                return args.id ? { id: args.id, state: { ...made.state, id: args.id } } : made;
            },
        }, opts.project, opts.stack, preview);
        const monitor = settings.getMonitor();
        const original = monitor.registerResource.bind(monitor);
        monitor.registerResource = async (req: RegisterRequest, cb: Callback) => {
            await original(req, (err: unknown, resp?: RegisterResponse) => {
                if (!err && resp) {
                    const propertyDependencies: Record<string, string[]> = {};
                    req.getPropertydependenciesMap().forEach((v, k) => { propertyDependencies[k] = v.getUrnsList(); });
                    const inputs = req.getObject()?.toJavaScript() ?? {};
                    if (req.getType().startsWith("pulumi:providers:") && req.getVersion()) {
                        inputs.version = req.getVersion();
                    }
                    const providerRef = req.getProvider();
                    const entry: RecordedResource = {
                        urn: resp.getUrn(),
                        type: req.getType(),
                        name: req.getName(),
                        custom: req.getCustom(),
                        parent: req.getParent() || undefined,
                        provider: providerRef ? providerRef.split("::").slice(0, -1).join("::") : undefined,
                        inputs,
                        outputs: resp.getObject()?.toJavaScript() ?? {},
                        dependencies: req.getDependenciesList(),
                        propertyDependencies,
                        ...(req.getImportid() ? { importId: req.getImportid() } : {}),
                    };
                    recorded.push(entry);
                    opts.onRegistered?.(entry);
                    ids.set(resp.getUrn(), resp.getId());
                }
                cb(err, resp);
            });
        };
        try {
            const recording = () => withoutTypeAliases(pulumiDir, async () => {
                await program();
                await settings.waitForRPCs();
            });
            await (opts.preview ? recording() : withUnsetOutputs(pulumiDir, unset, recording));
        } catch (e) {
            // Drain the failed run's outstanding registrations so that none settles in the next run.
            await settings.waitForRPCs().catch(() => undefined);
            await new Promise(resolve => setImmediate(resolve));
            throw mockFailures[0] ?? e;
        }
        if (mockFailures.length > 0) {
            throw mockFailures[0];
        }
    } finally {
        running = false;
    }
    const resources = recorded.map(r => ({
        ...r,
        inputs: engineForm(r.inputs, ids) as Record<string, unknown>,
        // A provider's state is its configuration; an adopted resource's, what was read (its inputs and ID).
        outputs: engineForm(r.type.startsWith("pulumi:providers:") ? r.inputs
            : opts.preview ? (r.importId ? r.outputs : r.inputs) : r.outputs, ids) as Record<string, unknown>,
    }));
    const unsetOutputs = unset.map(u => ({ urn: recorded.find(r => r.type === u.type && r.name === u.name)?.urn, ...u }));
    return {
        resources: withDefaultProviders(resources, opts.project, opts.stack, opts.resolveFrom, opts.config), preview: opts.preview,
        ...(unsetOutputs.length > 0 ? { unsetOutputs } : {}),
    };
}

function packageVersion(pkg: string, resolveFrom: string | undefined): string | undefined {
    try {
        const file = require.resolve(`@pulumi/${pkg}/package.json`, resolveFrom ? { paths: [resolveFrom] } : undefined);
        return (require(file) as { version: string }).version;
    } catch {
        return undefined;
    }
}

/**
 * The engine creates a default provider per package, configured from the stack's `<package>:<key>`
 * settings; resources name it unless they set one.
 */
function withDefaultProviders(resources: RecordedResource[], project: string, stack: string, resolveFrom: string | undefined, config: Record<string, string> = {}): RecordedResource[] {
    const providers: RecordedResource[] = [];
    const versions = new Map<string, string | undefined>();
    const out = resources.map(r => {
        if (!r.custom || r.provider || r.type.startsWith("pulumi:")) {
            return r;
        }
        const pkg = r.type.split(":")[0];
        if (!versions.has(pkg)) {
            versions.set(pkg, packageVersion(pkg, resolveFrom));
        }
        const version = versions.get(pkg);
        if (!version) {
            return r;
        }
        const name = `default_${version.replace(/\./g, "_")}`;
        const urn = `urn:pulumi:${stack}::${project}::pulumi:providers:${pkg}::${name}`;
        if (!providers.some(p => p.urn === urn)) {
            const settings = Object.fromEntries(Object.entries(config).filter(([k]) => k.startsWith(`${pkg}:`)).map(([k, v]) => [k.slice(pkg.length + 1), v]));
            const inputs = { ...settings, version };
            providers.push({
                urn, type: `pulumi:providers:${pkg}`, name, custom: true,
                inputs, outputs: inputs, dependencies: [], propertyDependencies: {},
            });
        }
        return { ...r, provider: urn };
    });
    return [...providers, ...out];
}

/** The recorded stack as the policies see it in AnalyzeStack: outputs, parent, dependencies, provider. */
export function toResourceInputs(stack: RecordedStack): ResourceInput[] {
    return stackInputs(stack.resources.map(r => ({
        urn: r.urn, type: r.type, name: r.name, props: r.outputs, parent: r.parent, provider: r.provider,
        dependencies: r.dependencies, propertyDependencies: r.propertyDependencies,
    })));
}
