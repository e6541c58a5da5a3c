// Runs a Pulumi program under `pulumi.runtime.setMocks` and records every resource as the SDK
// registers it: inputs (with the SDK's unknown sentinels at preview), parent, provider,
// dependencies and property dependencies — the data the engine hands a policy pack.
//
// Mock behaviour (documented in the README, "Checking a program offline"):
// - preview: a new resource's ID and computed outputs are unknown, as on a first `pulumi preview`;
// - known: Azure resources get the ARM ID their resource group and name give them
//   (subscription 00000000-0000-0000-0000-000000000000), a `name` output, firewalls and NICs a
//   private IP per IP configuration (unless the program sets one), and Databricks workspaces a
//   numeric `workspaceId` and a `workspaceUrl`; other resources `<name>-id`;
// - invokes: see INVOKE_ANSWERS; any other invoke fails with its token named, unless answered
//   through `RecordOptions.invokes`.

import * as path from "path";
import { ResourceInput } from "../policies/core/model/stack";
import { armShape, classify, NATIVE_NAME_PROPS } from "../policies/core/model/types";

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
}

export interface RecordedStack {
    resources: RecordedResource[];
    preview: boolean;
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
    /** Answers for invokes, by token; they take precedence over the built-in answers. */
    invokes?: Record<string, Record<string, unknown>>;
    /** Directory to resolve the program's `@pulumi/pulumi` from (default: this package's copy). */
    resolveFrom?: string;
}

interface ProtoStruct { toJavaScript(): Record<string, unknown> }
interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getProvider(): string;
    getVersion(): string;
    getObject(): ProtoStruct | undefined;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): { forEach(cb: (v: { getUrnsList(): string[] }, k: string) => void): void };
}
interface RegisterResponse { getUrn(): string; getId(): string; getObject(): ProtoStruct | undefined }
type Callback = (err: unknown, resp?: RegisterResponse) => void;
interface MonitorLike { registerResource(req: RegisterRequest, cb: Callback): Promise<void> }

interface MockResourceArgs { type: string; name: string; inputs: Record<string, unknown> }
interface MockCallArgs { token: string; inputs: Record<string, unknown> }
interface PulumiModule {
    runtime: {
        setMocks(mocks: { newResource(a: MockResourceArgs): { id: string | undefined; state: Record<string, unknown> }; call(a: MockCallArgs): Record<string, unknown> },
            project?: string, stack?: string, preview?: boolean): Promise<void>;
        setConfig(k: string, v: string): void;
        setAllConfig?(c: Record<string, string>, secretKeys?: string[]): void;
    };
}

/** Built-in answers to the invokes programs commonly make. */
export const INVOKE_ANSWERS: Record<string, (args: Record<string, unknown>) => Record<string, unknown>> = {
    "azure-native:authorization:getClientConfig": clientConfig,
    "azure:core/getClientConfig:getClientConfig": clientConfig,
    "azure-native:resources:getResourceGroup": args => resourceGroup(String(args.resourceGroupName ?? "rg")),
    "azure:core/getResourceGroup:getResourceGroup": args => resourceGroup(String(args.name ?? "rg")),
    "azure-native:resources:getResource": args => ({
        id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${String(args.resourceGroupName ?? "rg")}/providers/${String(args.resourceProviderNamespace ?? "")}/${args.parentResourcePath ? `${String(args.parentResourcePath)}/` : ""}${String(args.resourceType ?? "")}/${String(args.resourceName ?? "")}`,
        name: args.resourceName,
        type: `${String(args.resourceProviderNamespace ?? "")}/${String(args.resourceType ?? "")}`,
        location: DEFAULT_LOCATION,
        properties: {},
    }),
};

function clientConfig(): Record<string, unknown> {
    return { subscriptionId: SUBSCRIPTION, tenantId: SUBSCRIPTION, clientId: SUBSCRIPTION, objectId: SUBSCRIPTION };
}

function resourceGroup(name: string): Record<string, unknown> {
    return { id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${name}`, name, location: DEFAULT_LOCATION, properties: { provisioningState: "Succeeded" } };
}

export class MockError extends Error {}

/** A deterministic number-like ID for Databricks-side identities. */
function numericId(s: string): string {
    let h = 7;
    for (const c of s) {
        h = (h * 31 + c.charCodeAt(0)) % 1_000_000_007;
    }
    return String(1_000_000_000_000 + h);
}

/** The ARM ID a deployment would give this resource. */
function armId(type: string, name: string, inputs: Record<string, unknown>): string | undefined {
    const info = classify(type);
    if (!info || info.family === "databricks") {
        return undefined;
    }
    const rg = typeof inputs.resourceGroupName === "string" ? inputs.resourceGroupName : "rg";
    const shape = info.kind ? armShape(info) : undefined;
    if (!shape || !info.kind) {
        return `/subscriptions/${SUBSCRIPTION}/resourceGroups/${rg}/providers/${info.module}/${info.typeName}/${name}`;
    }
    const nameProps = info.family === "azure-native" ? NATIVE_NAME_PROPS[info.kind] ?? [] : info.kind === "subnet" ? ["virtualNetworkName", "name"] : info.kind === "route" ? ["routeTableName", "name"] : ["name"];
    const names = nameProps.map((p, i) => typeof inputs[p] === "string" ? inputs[p] as string : i === nameProps.length - 1 ? name : "parent");
    let id = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${rg}/providers/${shape.namespace}`;
    shape.types.forEach((t, i) => { id += `/${t}/${names[i] ?? name}`; });
    return id;
}

/** Outputs a deployment computes (names, Databricks identities). */
function computedOutputs(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const info = classify(type);
    const out: Record<string, unknown> = {};
    if (info?.family === "azure-native" && info.kind) {
        const props = NATIVE_NAME_PROPS[info.kind];
        const own = props?.[props.length - 1];
        out.name = own && typeof inputs[own] === "string" ? inputs[own] : name;
    } else if (info?.family === "azure") {
        out.name = typeof inputs.name === "string" ? inputs.name : name;
    } else if (info?.family === "azure-native") {
        // Kinds the pack does not model (resource groups, access connectors, public IPs, …) are
        // named by the input called after their type, e.g. `resourceGroupName`.
        const own = `${info.typeName}name`.toLowerCase();
        const key = Object.keys(inputs).find(k => k.toLowerCase() === own);
        out.name = key && typeof inputs[key] === "string" ? inputs[key] : name;
    }
    // Private IPs Azure assigns to firewalls and NICs (a deterministic address per resource).
    const privateIp = (i: number) => {
        const h = Number(numericId(`${type}/${name}`)) % 62_500;
        return `10.${200 + Math.floor(h / 250) % 50}.${h % 250}.${4 + i}`;
    };
    const withIps = (list: unknown, field: string) => Array.isArray(list)
        ? list.map((c, i) => (c !== null && typeof c === "object" ? { [field]: privateIp(i), ...(c as Record<string, unknown>) } : c))
        : list;
    if (info?.kind === "firewall" || info?.kind === "networkInterface") {
        out.ipConfigurations = withIps(inputs.ipConfigurations, info.family === "azure-native" ? "privateIPAddress" : "privateIpAddress");
        if (info.family === "azure" && info.kind === "networkInterface") {
            out.privateIpAddress = privateIp(0);
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
        await pulumi.runtime.setMocks({
            call(args) {
                const answer = opts.invokes?.[args.token];
                if (answer) {
                    return answer;
                }
                const builtIn = INVOKE_ANSWERS[args.token];
                if (builtIn) {
                    return builtIn(args.inputs);
                }
                const failure = new MockError(`the program calls the invoke ${args.token}, which has no mock answer: supply one with --mocks (see README, "Checking a program offline")`);
                mockFailures.push(failure);
                throw failure;
            },
            newResource(args) {
                if (preview) {
                    return { id: undefined, state: args.inputs };
                }
                const id = armId(args.type, args.name, args.inputs) ?? `${args.name}-id`;
                const extra = opts.outputs?.[args.name] ?? {};
                return { id, state: { ...args.inputs, ...computedOutputs(args.type, args.name, args.inputs), ...extra, id } };
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
                    recorded.push({
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
                    });
                    ids.set(resp.getUrn(), resp.getId());
                }
                cb(err, resp);
            });
        };
        try {
            await program();
            await settings.waitForRPCs();
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
        outputs: engineForm(opts.preview ? r.inputs : r.outputs, ids) as Record<string, unknown>,
    }));
    return { resources: withDefaultProviders(resources, opts.project, opts.stack, opts.resolveFrom), preview: opts.preview };
}

function packageVersion(pkg: string, resolveFrom: string | undefined): string | undefined {
    try {
        const file = require.resolve(`@pulumi/${pkg}/package.json`, resolveFrom ? { paths: [resolveFrom] } : undefined);
        return (require(file) as { version: string }).version;
    } catch {
        return undefined;
    }
}

/** The engine creates a default provider per package; resources name it unless they set one. */
function withDefaultProviders(resources: RecordedResource[], project: string, stack: string, resolveFrom: string | undefined): RecordedResource[] {
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
            providers.push({
                urn, type: `pulumi:providers:${pkg}`, name, custom: true,
                inputs: { version }, outputs: { version }, dependencies: [], propertyDependencies: {},
            });
        }
        return { ...r, provider: urn };
    });
    return [...providers, ...out];
}

/** The recorded stack as the policies see it in AnalyzeStack: outputs, parent, dependencies, provider. */
export function toResourceInputs(stack: RecordedStack): ResourceInput[] {
    const byUrn = new Map(stack.resources.map(r => [r.urn, r]));
    return stack.resources.map(r => {
        const p = r.provider ? byUrn.get(r.provider) : undefined;
        return {
            urn: r.urn,
            type: r.type,
            name: r.name,
            props: r.outputs,
            parent: r.parent,
            dependencies: r.dependencies,
            propertyDependencies: r.propertyDependencies,
            provider: r.provider ? { urn: r.provider, type: p?.type ?? "", name: p?.name ?? "", props: p?.outputs ?? {} } : undefined,
        };
    });
}
