// Runs a real Pulumi program under pulumi.runtime.setMocks with the recorder the
// databricks-network-check command ships (cli/program/record.ts), so tests and the command see the same
// resources: at preview, new resources' IDs and computed outputs are unknown; in update mode
// they are known.

import * as pulumi from "@pulumi/pulumi";
import { recordProgram, RecordedStack, UNKNOWN } from "../cli/program/record";

export { RecordedResource, RecordedStack, SUBSCRIPTION, UNKNOWN } from "../cli/program/record";

export interface RunOptions {
    /** Preview: new resources' IDs and computed outputs are unknown. */
    preview: boolean;
    project?: string;
    stack?: string;
    /** Stack configuration, e.g. `{ "azure-native:location": "westeurope" }`. */
    config?: Record<string, string>;
    /** Extra outputs a mock should report for a resource (update mode), by logical name. */
    outputs?: Record<string, Record<string, unknown>>;
    /**
     * Stack transforms, applied to every resource at registration the way the engine applies
     * those registered with `pulumi.runtime.registerResourceTransform` (the mock monitor does not
     * run them): the transform sees the serialised inputs (unknowns at preview), and what it returns
     * is registered. Dependencies stay those the SDK recorded for the program.
     */
    transforms?: pulumi.ResourceTransform[];
}

export async function runProgram(program: () => unknown, opts: RunOptions): Promise<RecordedStack> {
    const { transforms, ...rest } = opts;
    const run = transforms && transforms.length > 0 ? () => { applyTransforms(transforms); return program(); } : program;
    // The SDK captures a stack trace for every promise it makes, for its leak report only; tests
    // record hundreds of programs, and those traces are a third of the cost.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return await recordProgram(run, { ...rest, project: opts.project ?? "databricks-network", stack: opts.stack ?? "dev" });
    } finally {
        Error.stackTraceLimit = limit;
    }
}

interface ProtoStruct { toJavaScript(): Record<string, unknown> }
interface PropertyDependencies {
    forEach(cb: (v: { getUrnsList(): string[] }, k: string) => void): void;
    del(k: string): void;
}
interface TransformableRequest {
    getType(): string;
    getName(): string;
    getCustom(): boolean;
    getObject(): ProtoStruct | undefined;
    setObject(o: ProtoStruct): void;
    getDependenciesList(): string[];
    setDependenciesList(urns: string[]): void;
    getPropertydependenciesMap(): PropertyDependencies;
}
interface MonitorLike { registerResource(req: TransformableRequest, cb: unknown): Promise<void> }

// The SDK's monitor (the mock one, wrapped by the recorder) and its own property (de)serialisation.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const settings = require("@pulumi/pulumi/runtime/settings") as { getMonitor(): MonitorLike };
// eslint-disable-next-line @typescript-eslint/no-var-requires
const rpc = require("@pulumi/pulumi/runtime/rpc") as {
    deserializeProperties(s: ProtoStruct, keepUnknowns?: boolean): Record<string, unknown>;
    serializeProperties(label: string, props: Record<string, unknown>): Promise<Record<string, unknown>>;
};
// eslint-disable-next-line @typescript-eslint/no-var-requires
const structPb = require("google-protobuf/google/protobuf/struct_pb") as { Struct: { fromJavaScript(o: unknown): ProtoStruct } };

/**
 * An input the transform replaced by a fully known value no longer depends on the resources its
 * old value came from (as in the program that declares that value): its property dependencies go,
 * and so do the resource dependencies nothing else accounts for.
 */
function dropStaleDependencies(req: TransformableRequest, before: Record<string, unknown>, after: Record<string, unknown>): void {
    const perProp = new Map<string, string[]>();
    req.getPropertydependenciesMap().forEach((v, k) => perProp.set(k, v.getUrnsList()));
    const dropped = new Set<string>();
    for (const [k, urns] of perProp) {
        if (JSON.stringify(before[k]) !== JSON.stringify(after[k]) && !JSON.stringify(after[k] ?? null).includes(UNKNOWN)) {
            req.getPropertydependenciesMap().del(k);
            perProp.delete(k);
            urns.forEach(u => dropped.add(u));
        }
    }
    const kept = new Set([...perProp.values()].flat());
    req.setDependenciesList(req.getDependenciesList().filter(u => !dropped.has(u) || kept.has(u)));
}

/** Runs the transforms on each registration before the recorder (and the mock monitor) see it. */
export function applyTransforms(transforms: pulumi.ResourceTransform[]): void {
    const monitor = settings.getMonitor();
    const next = monitor.registerResource.bind(monitor);
    monitor.registerResource = async (req, cb) => {
        for (const t of transforms) {
            const object = req.getObject();
            const props = object ? rpc.deserializeProperties(object, true) : {};
            const result = await t({ custom: req.getCustom(), type: req.getType(), name: req.getName(), props, opts: {} });
            if (result) {
                const before = object?.toJavaScript() ?? {};
                const after = await rpc.serializeProperties("props", result.props);
                req.setObject(structPb.Struct.fromJavaScript(after));
                dropStaleDependencies(req, before, after);
            }
        }
        return next(req, cb);
    };
}
