// A record of what the engine sends the pack, for finding out what a real engine run gave it: with
// DATABRICKS_NETWORK_TRACE=<file> set, every Analyzer request is appended to the file as one JSON
// line `{"method": …, "request": …}` (the request decoded by the SDK's own decoder, as protobuf's
// toObject() writes it) before the pack serves it. Off by default; it costs a second decoding.

import * as fs from "fs";

export const TRACE_ENV = "DATABRICKS_NETWORK_TRACE";

// The SDK's decoder returns a google-protobuf message (@pulumi/pulumi 3.248.0's generated classes),
// whose toObject() the trace writes.
interface Method { requestDeserialize(bytes: Uint8Array): unknown }

/**
 * `served`, with each method decoding its request for the trace first, with the decoder of the
 * same method in `original` (the SDK's service definition).
 */
export function traceService<S extends Record<string, Method>>(original: Record<string, Method>, served: S): S {
    const file = process.env[TRACE_ENV];
    if (!file) {
        return served;
    }
    const out: Record<string, Method> = {};
    for (const [name, method] of Object.entries(served)) {
        const sdk = original[name];
        if (typeof method?.requestDeserialize !== "function" || typeof sdk?.requestDeserialize !== "function") {
            out[name] = method;
            continue;
        }
        out[name] = {
            ...method,
            requestDeserialize: (bytes: Uint8Array) => {
                let request: unknown;
                try {
                    request = (sdk.requestDeserialize(bytes) as { toObject(): unknown }).toObject();
                } catch (e) {
                    request = { undecodable: e instanceof Error ? e.message : String(e) };
                }
                fs.appendFileSync(file, `${JSON.stringify({ method: name, request })}\n`);
                return method.requestDeserialize(bytes);
            },
        };
    }
    return out as S;
}
