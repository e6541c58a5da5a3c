// A guard in front of every decoder of the requests the pack serves. google-protobuf trusts the
// lengths a request declares: a length-delimited field that claims more bytes than the request
// holds (six bytes, `12ffffffff0f`, claim 4 GiB) makes its reader run to the claimed end, a byte
// at a time, for minutes, and the pack answers nobody meanwhile. The guard walks the wire format
// once, before any decoder sees the bytes, and refuses a request in which any declared length
// (or varint, or fixed-size field) does not fit in the bytes that remain of its message.
//
// Which length-delimited fields hold messages is known from the protocol (the schema below,
// checked against the generated decoders by the tests): those are walked too, so a length
// inside a sub-message (a Struct in a resource in a request) is checked against that
// sub-message's own bytes. Strings, bytes, packed numbers and fields the schema does not know
// (newer protocol versions) are only checked to fit: decoders take them whole or skip them.
// The walk reads each byte once and keeps its own stack (no recursion): linear in the request,
// whatever its depth.

/** A message type: for each field number that holds a message, that message's type. */
export interface WireSchema {
    readonly name: string;
    readonly messages: Readonly<Record<number, WireSchema>>;
}

/** A message type whose message fields are filled in below (the Struct types refer to each other). */
function message(name: string): WireSchema & { messages: Record<number, WireSchema> } {
    return { name, messages: {} };
}

function withMessages(schema: WireSchema & { messages: Record<number, WireSchema> }, messages: Record<number, WireSchema>): WireSchema {
    Object.assign(schema.messages, messages);
    return schema;
}

// google/protobuf/struct.proto
export const VALUE = message("google.protobuf.Value");
export const LIST_VALUE = withMessages(message("google.protobuf.ListValue"), { 1: VALUE });
export const STRUCT = withMessages(message("google.protobuf.Struct"), { 1: withMessages(message("google.protobuf.Struct.FieldsEntry"), { 2: VALUE }) });
withMessages(VALUE, { 5: STRUCT, 6: LIST_VALUE });
export const EMPTY = message("google.protobuf.Empty");

// pulumi/analyzer.proto (the requests)
export const RESOURCE_OPTIONS = withMessages(message("pulumirpc.AnalyzerResourceOptions"), { 7: message("pulumirpc.AnalyzerResourceOptions.CustomTimeouts") });
export const PROVIDER_RESOURCE = withMessages(message("pulumirpc.AnalyzerProviderResource"), { 2: STRUCT });
export const ANALYZE_REQUEST = withMessages(message("pulumirpc.AnalyzeRequest"), { 2: STRUCT, 5: RESOURCE_OPTIONS, 6: PROVIDER_RESOURCE });
export const ANALYZER_RESOURCE = withMessages(message("pulumirpc.AnalyzerResource"), {
    2: STRUCT, 5: RESOURCE_OPTIONS, 6: PROVIDER_RESOURCE,
    9: withMessages(message("pulumirpc.AnalyzerResource.PropertyDependenciesEntry"), { 2: message("pulumirpc.AnalyzerPropertyDependencies") }),
});
export const ANALYZE_STACK_REQUEST = withMessages(message("pulumirpc.AnalyzeStackRequest"), { 1: ANALYZER_RESOURCE });
export const CONFIGURE_ANALYZER_REQUEST = withMessages(message("pulumirpc.ConfigureAnalyzerRequest"), {
    1: withMessages(message("pulumirpc.ConfigureAnalyzerRequest.PolicyConfigEntry"), { 2: withMessages(message("pulumirpc.PolicyConfig"), { 2: STRUCT }) }),
});
const STRING_MAP_ENTRY = message("map<string, string> entry");
export const STACK_CONFIGURE_REQUEST = withMessages(message("pulumirpc.AnalyzerStackConfigureRequest"), { 7: STRING_MAP_ENTRY, 8: STRING_MAP_ENTRY });
export const HANDSHAKE_REQUEST = message("pulumirpc.AnalyzerHandshakeRequest");

/** The request type of each method of the Analyzer service; a method not listed is walked as a message of unknown fields. */
export const REQUEST_SCHEMAS: Readonly<Record<string, WireSchema>> = {
    analyze: ANALYZE_REQUEST,
    analyzeStack: ANALYZE_STACK_REQUEST,
    remediate: ANALYZE_REQUEST,
    getAnalyzerInfo: EMPTY,
    getPluginInfo: EMPTY,
    configure: CONFIGURE_ANALYZER_REQUEST,
    handshake: HANDSHAKE_REQUEST,
    configureStack: STACK_CONFIGURE_REQUEST,
    cancel: EMPTY,
};

const UNKNOWN_MESSAGE = message("message");

/** Why a request was refused: where, and what did not fit. */
export class WireError extends Error {}

interface Frame {
    /** Where this message (or group) ends. */
    end: number;
    schema: WireSchema;
    /** The field number of an open group (wire type 3), which must close before `end`. */
    group?: number;
}

/**
 * Walks `bytes` as a message of type `root`; throws a WireError when a declared length, a varint
 * or a fixed-size field runs past the end of its message, a group is left open or closed
 * unopened, or a wire type is invalid.
 */
export function checkWire(bytes: Uint8Array, root: WireSchema): void {
    const stack: Frame[] = [{ end: bytes.length, schema: root }];
    let pos = 0;
    /** Where the field being read starts. */
    let at = 0;
    const fail = (what: string): never => {
        const frame = stack[stack.length - 1];
        throw new WireError(`${what} (the field at byte ${at}, in ${frame.group !== undefined ? `group ${frame.group} of ` : ""}${frame.schema.name})`);
    };
    // What a varint is, for a failure's message (written only then).
    const TAG = 0;
    const VARINT = 1;
    const LENGTH = 2;
    const whatVarint = (kind: number, field: number) => (kind === TAG ? "a field tag" : kind === VARINT ? `varint field ${field}` : `the length of field ${field}`);
    /** A varint of at most 10 bytes that ends before `end`; returned as a number (exact up to 2^53). */
    const varint = (end: number, kind: number, field: number): number => {
        // One byte, the common case.
        if (pos < end && bytes[pos] < 0x80) {
            return bytes[pos++];
        }
        let value = 0;
        let scale = 1;
        for (let i = 0; i < 10; i++) {
            if (pos >= end) {
                return fail(`${whatVarint(kind, field)} runs past the end of its message`);
            }
            const b = bytes[pos++];
            value += (b & 0x7f) * scale;
            if (b < 0x80) {
                return value;
            }
            scale *= 128;
        }
        return fail(`${whatVarint(kind, field)} is longer than 10 bytes`);
    };
    let frame = stack[0];
    for (;;) {
        if (pos >= frame.end) {
            if (frame.group !== undefined) {
                return fail(`group ${frame.group} is not closed`);
            }
            stack.pop();
            if (stack.length === 0) {
                return;
            }
            frame = stack[stack.length - 1];
            continue;
        }
        at = pos;
        const tag = varint(frame.end, TAG, 0);
        const field = Math.floor(tag / 8);
        const wireType = tag % 8;
        if (field === 0 || field > 0x1fffffff) {
            return fail(`field number ${field} is not valid`);
        }
        switch (wireType) {
            case 0:
                varint(frame.end, VARINT, field);
                break;
            case 1:
            case 5: {
                const size = wireType === 1 ? 8 : 4;
                if (frame.end - pos < size) {
                    return fail(`field ${field} needs ${size} bytes, ${frame.end - pos} remain`);
                }
                pos += size;
                break;
            }
            case 2: {
                const length = varint(frame.end, LENGTH, field);
                if (length > frame.end - pos) {
                    return fail(`field ${field} declares ${length} bytes where ${frame.end - pos} remain`);
                }
                const sub = frame.schema.messages[field];
                if (sub !== undefined) {
                    frame = { end: pos + length, schema: sub };
                    stack.push(frame);
                } else {
                    pos += length;
                }
                break;
            }
            case 3:
                // A group (proto2; only in fields this protocol does not define): its fields follow
                // until the matching end tag, within the enclosing message.
                frame = { end: frame.end, schema: UNKNOWN_MESSAGE, group: field };
                stack.push(frame);
                break;
            case 4:
                if (frame.group !== field) {
                    return fail(`group ${field} is closed but not open`);
                }
                // The enclosing frame goes on from here.
                stack.pop();
                frame = stack[stack.length - 1];
                break;
            default:
                return fail(`field ${field} has wire type ${wireType}, which does not exist`);
        }
    }
}

/** What `requestDeserialize` answers for a request the guard refused. */
export class RefusedRequest {
    constructor(readonly message: string) {}
}

const INVALID_ARGUMENT = 3;

type Callback = (err: { code: number; details: string; message: string } | null, value?: unknown) => void;
type Handler = (call: { request: unknown }, callback: Callback) => unknown;
interface Method { requestDeserialize(bytes: Uint8Array): unknown }

/**
 * The service with the guard before every method's decoder, and the implementation with every
 * handler answering a refused request with INVALID_ARGUMENT (naming the request type and the
 * field; the pack goes on serving). Methods without a handler answer UNIMPLEMENTED as before,
 * without decoding what was refused.
 */
export function guardService<S extends Record<string, Method>>(service: S, implementation: Record<string, unknown>):
    { service: S; implementation: Record<string, unknown> } {
    const guarded: Record<string, Method> = {};
    for (const [name, method] of Object.entries(service)) {
        if (typeof method?.requestDeserialize !== "function") {
            // Not a method shape this guard knows: served as it is.
            guarded[name] = method;
            continue;
        }
        const root = REQUEST_SCHEMAS[name] ?? message(`${name} request`);
        const decode = method.requestDeserialize.bind(method);
        guarded[name] = {
            ...method,
            requestDeserialize: (bytes: Uint8Array) => {
                try {
                    checkWire(bytes, root);
                } catch (e) {
                    if (e instanceof WireError) {
                        return new RefusedRequest(`malformed ${root.name.slice(root.name.lastIndexOf(".") + 1)}: ${e.message}`);
                    }
                    throw e;
                }
                return decode(bytes);
            },
        };
    }
    const handlers: Record<string, unknown> = { ...implementation };
    for (const [name, handler] of Object.entries(implementation)) {
        if (typeof handler !== "function" || !(name in service)) {
            continue;
        }
        handlers[name] = (call: { request: unknown }, callback: Callback) => {
            if (call.request instanceof RefusedRequest) {
                const details = call.request.message;
                callback({ code: INVALID_ARGUMENT, details, message: details });
                return undefined;
            }
            return (handler as Handler).call(implementation, call, callback);
        };
    }
    return { service: guarded as S, implementation: handlers };
}
