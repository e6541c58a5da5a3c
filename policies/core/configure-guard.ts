// The Pulumi CLI validates policy configuration against each policy's JSON schema before it calls
// Configure, but @pulumi/policy itself accepts anything. This guard wraps the Analyzer's Configure
// handler while the pack's gRPC service is registered, so that malformed configuration from any
// client is refused at Configure with a message naming the field, instead of failing later.

import * as path from "path";

type UnaryCallback = (err: { code: number; details: string; message: string } | null, value?: unknown) => void;
type UnaryHandler = (call: { request: ConfigureRequest }, callback: UnaryCallback) => unknown;

interface ConfigureRequest {
    getPolicyconfigMap(): { entries(): Iterable<[string, { getProperties(): { toJavaScript(): unknown } | undefined }]> };
}

interface GrpcServerPrototype {
    addService(service: unknown, implementation: Record<string, unknown>): void;
}

const INVALID_ARGUMENT = 3;

/** Runs `fn` (which constructs the PolicyPack) with Configure validated by `validate`. */
export function withConfigureGuard<T>(validate: (policyName: string, props: unknown) => void, fn: () => T): T {
    // Patch the copy of grpc-js that @pulumi/policy loads: that is the one whose Server it creates.
    const policyDir = path.dirname(require.resolve("@pulumi/policy"));
    const grpc = require(require.resolve("@grpc/grpc-js", { paths: [policyDir] })) as { Server: { prototype: GrpcServerPrototype } };
    const proto = grpc.Server.prototype;
    const original = proto.addService;
    proto.addService = function (this: unknown, service: unknown, implementation: Record<string, unknown>) {
        const configure = implementation.configure as UnaryHandler | undefined;
        if (typeof configure === "function") {
            implementation = {
                ...implementation,
                configure: (call: { request: ConfigureRequest }, callback: UnaryCallback) => {
                    try {
                        for (const [name, cfg] of call.request.getPolicyconfigMap().entries()) {
                            validate(name, cfg.getProperties()?.toJavaScript() ?? {});
                        }
                    } catch (e) {
                        const details = `invalid policy pack configuration: ${e instanceof Error ? e.message : String(e)}`;
                        callback({ code: INVALID_ARGUMENT, details, message: details });
                        return undefined;
                    }
                    return configure(call, callback);
                },
            };
        }
        return original.call(this, service, implementation);
    };
    try {
        return fn();
    } finally {
        proto.addService = original;
    }
}
