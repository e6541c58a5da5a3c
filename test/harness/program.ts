// Runs a real Pulumi program under pulumi.runtime.setMocks and records every resource as the SDK
// registers it: inputs (with the SDK's unknown sentinels at preview), parent, provider,
// dependencies and property dependencies. Mock outputs are what a deployment would report:
// at preview, new resources' IDs and computed outputs are unknown; in update mode they are known.

import * as pulumi from "@pulumi/pulumi";
import { armShape, classify, NATIVE_NAME_PROPS } from "../../policies/core/types";

// Internal SDK modules: the monitor that setMocks installs, and the RPC queue to drain.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const settings = require("@pulumi/pulumi/runtime/settings") as {
    getMonitor(): MonitorLike;
    waitForRPCs(): Promise<void>;
};

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

export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SIG = "4dabf18193072939515e22adb298388d";
const RESOURCE_REF = "5cf8f73096256a8f31e491e813e4eb8e";
export const SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";

export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    parent?: string;
    /** URN of the provider resource (explicit or the synthesized default provider). */
    provider?: string;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
}

export interface RunOptions {
    /** Preview: new resources' IDs and computed outputs are unknown. */
    preview: boolean;
    project?: string;
    stack?: string;
    /** Stack configuration, e.g. `{ "azure-native:location": "westeurope" }`. */
    config?: Record<string, string>;
    /** Extra outputs a mock should report for a resource (update mode), by logical name. */
    outputs?: Record<string, Record<string, unknown>>;
}

export interface RecordedStack {
    resources: RecordedResource[];
    preview: boolean;
}

const PACKAGE_VERSIONS: Record<string, string> = {
    "azure-native": require("@pulumi/azure-native/package.json").version,
    azure: require("@pulumi/azure/package.json").version,
    databricks: require("@pulumi/databricks/package.json").version,
};

/** A deterministic number-like ID for Databricks-side identities. */
function numericId(s: string): string {
    let h = 7;
    for (const c of s) {
        h = (h * 31 + c.charCodeAt(0)) % 1_000_000_007;
    }
    return String(1_000_000_000_000 + h);
}

/** The ARM ID a real deployment would give this resource (update mode). */
function armId(type: string, name: string, inputs: Record<string, unknown>): string | undefined {
    const info = classify(type);
    if (!info || !info.kind || info.family === "databricks") {
        return undefined;
    }
    const shape = armShape(info);
    if (!shape) {
        return `/subscriptions/${SUBSCRIPTION}/resourceGroups/${String(inputs.resourceGroupName ?? "rg")}/providers/Microsoft.Resources/deployments/${name}`;
    }
    const rg = typeof inputs.resourceGroupName === "string" ? inputs.resourceGroupName : "rg";
    const nameProps = info.family === "azure-native" ? NATIVE_NAME_PROPS[info.kind] ?? [] : info.kind === "subnet" ? ["virtualNetworkName", "name"] : info.kind === "route" ? ["routeTableName", "name"] : ["name"];
    const names = nameProps.map((p, i) => typeof inputs[p] === "string" ? inputs[p] as string : i === nameProps.length - 1 ? name : "parent");
    let id = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${rg}/providers/${shape.namespace}`;
    shape.types.forEach((t, i) => { id += `/${t}/${names[i] ?? name}`; });
    return id;
}

/** Outputs a deployment computes (IDs, names, Databricks identities). */
function computedOutputs(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const info = classify(type);
    const out: Record<string, unknown> = {};
    if (info?.family === "azure-native" && info.kind) {
        const props = NATIVE_NAME_PROPS[info.kind];
        const own = props?.[props.length - 1];
        out.name = own && typeof inputs[own] === "string" ? inputs[own] : name;
    } else if (info?.family === "azure") {
        out.name = typeof inputs.name === "string" ? inputs.name : name;
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

const mocks: pulumi.runtime.Mocks = {
    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
        return { id: undefined, state: args.inputs };
    },
    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        if (/getClientConfig$/.test(args.token)) {
            return { subscriptionId: SUBSCRIPTION, tenantId: SUBSCRIPTION, clientId: SUBSCRIPTION, objectId: SUBSCRIPTION };
        }
        return {};
    },
};

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

export async function runProgram(program: () => unknown, opts: RunOptions): Promise<RecordedStack> {
    if (running) {
        throw new Error("runProgram: one program at a time");
    }
    running = true;
    const project = opts.project ?? "databricks-network";
    const stack = opts.stack ?? "dev";
    const recorded: RecordedResource[] = [];
    const ids = new Map<string, string>();
    try {
        if (opts.config) {
            for (const [k, v] of Object.entries(opts.config)) {
                pulumi.runtime.setConfig(k, v);
            }
        }
        const preview = opts.preview;
        const runMocks: pulumi.runtime.Mocks = {
            call: mocks.call,
            newResource(args) {
                if (preview) {
                    return { id: undefined, state: args.inputs };
                }
                const id = armId(args.type, args.name, args.inputs) ?? `${args.name}-id`;
                const extra = opts.outputs?.[args.name] ?? {};
                return { id, state: { ...args.inputs, ...computedOutputs(args.type, args.name, args.inputs), ...extra, id } };
            },
        };
        await pulumi.runtime.setMocks(runMocks, project, stack, preview);
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
        await program();
        await settings.waitForRPCs();
    } finally {
        running = false;
    }
    const resources = recorded.map(r => ({
        ...r,
        inputs: engineForm(r.inputs, ids) as Record<string, unknown>,
        outputs: engineForm(opts.preview ? r.inputs : r.outputs, ids) as Record<string, unknown>,
    }));
    return { resources: withDefaultProviders(resources, project, stack), preview: opts.preview };
}

/** The engine creates a default provider per package; resources name it unless they set one. */
function withDefaultProviders(resources: RecordedResource[], project: string, stack: string): RecordedResource[] {
    const providers: RecordedResource[] = [];
    const out = resources.map(r => {
        if (!r.custom || r.provider || r.type.startsWith("pulumi:providers:")) {
            return r;
        }
        const pkg = r.type.split(":")[0];
        const version = PACKAGE_VERSIONS[pkg];
        if (!version) {
            return r;
        }
        const urn = `urn:pulumi:${stack}::${project}::pulumi:providers:${pkg}::default_${version.replace(/\./g, "_")}`;
        if (!providers.some(p => p.urn === urn)) {
            providers.push({
                urn, type: `pulumi:providers:${pkg}`, name: `default_${version.replace(/\./g, "_")}`, custom: true,
                inputs: { version }, outputs: { version }, dependencies: [], propertyDependencies: {},
            });
        }
        return { ...r, provider: urn };
    });
    return [...providers, ...out];
}
