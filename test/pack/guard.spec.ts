// The length guard (policies/core/engine/guard.ts) on its own: its schema is the generated
// decoders' own, it accepts every valid request the harness makes, and it refuses every declared
// length that runs past its message, at any depth, in one walk.

import * as assert from "assert";
import { analyzeStackRequest as googleRequest, configureRequest, encodedAnalyzeStackRequest, resourceRequest, AnalyzerInfo } from "../../support/engine";
import { analyzeStackRequest, encode, Field, value } from "../harness/protobuf";
import { tierConfig } from "../../support/engine";
import { runProgram } from "../../support/program";
import { PROGRAMS } from "../e2e/programs";
import { thePack } from "../harness/global";
import { nativeWorkspace } from "../../fixtures/native";
import { recorded } from "../e2e/recordings";
import {
    ANALYZE_REQUEST, ANALYZE_STACK_REQUEST, checkWire, CONFIGURE_ANALYZER_REQUEST, EMPTY, HANDSHAKE_REQUEST, LIST_VALUE, REQUEST_SCHEMAS,
    STACK_CONFIGURE_REQUEST, STRUCT, VALUE, WireError, WireSchema,
} from "../../policies/core/engine/guard";

const pb = require("@pulumi/pulumi/proto/analyzer_pb");
const structPb = require("google-protobuf/google/protobuf/struct_pb");
const emptyPb = require("google-protobuf/google/protobuf/empty_pb");
const analyzerRpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");

type Generated = { deserializeBinaryFromReader: (...a: unknown[]) => unknown };

/**
 * The message fields a generated decoder reads, from its source: field number → the type it
 * decodes (its full name), or for a map field, the map entry's value type (or "" for scalars).
 */
function decodedMessages(cls: Generated): Map<number, { type: string; map: boolean }> {
    const source = cls.deserializeBinaryFromReader.toString();
    const out = new Map<number, { type: string; map: boolean }>();
    const cases = source.split(/\bcase (\d+):/);
    for (let i = 1; i < cases.length; i += 2) {
        const body = cases[i + 1].split(/\bdefault:/)[0];
        if (!/readMessage/.test(body)) {
            continue;
        }
        const map = /jspb\.Map\.deserializeBinary\(([^;]*)\)/.exec(body);
        if (map) {
            const args = map[1].split(",").map(s => s.trim());
            // (message, reader, keyReader, valueReader, valueDeserializer, …)
            out.set(Number(cases[i]), { type: args[3].endsWith("readMessage") ? typeName(args[4]) : "", map: true });
        } else {
            const m = /readMessage\(\s*value\s*,\s*([\w.]+)\.deserializeBinaryFromReader/.exec(body);
            out.set(Number(cases[i]), { type: m ? typeName(m[1]) : "?", map: false });
        }
    }
    return out;
}

function typeName(expr: string): string {
    return expr.replace(/\.deserializeBinaryFromReader$/, "").replace(/^proto\./, "").replace(/^google_protobuf_struct_pb\./, "google.protobuf.");
}

const CLASSES: [Generated, WireSchema][] = [
    [pb.AnalyzeRequest, ANALYZE_REQUEST],
    [pb.AnalyzeStackRequest, ANALYZE_STACK_REQUEST],
    [pb.AnalyzerResource, ANALYZE_STACK_REQUEST.messages[1]],
    [pb.AnalyzerResourceOptions, ANALYZE_REQUEST.messages[5]],
    [pb.AnalyzerResourceOptions.CustomTimeouts, ANALYZE_REQUEST.messages[5].messages[7]],
    [pb.AnalyzerProviderResource, ANALYZE_REQUEST.messages[6]],
    [pb.AnalyzerPropertyDependencies, ANALYZE_STACK_REQUEST.messages[1].messages[9].messages[2]],
    [pb.ConfigureAnalyzerRequest, CONFIGURE_ANALYZER_REQUEST],
    [pb.PolicyConfig, CONFIGURE_ANALYZER_REQUEST.messages[1].messages[2]],
    [pb.AnalyzerStackConfigureRequest, STACK_CONFIGURE_REQUEST],
    [pb.AnalyzerHandshakeRequest, HANDSHAKE_REQUEST],
    [structPb.Struct, STRUCT],
    [structPb.Value, VALUE],
    [structPb.ListValue, LIST_VALUE],
    [emptyPb.Empty, EMPTY],
];

function varint(v: number): number[] {
    const out: number[] = [];
    while (v >= 0x80) {
        out.push((v % 0x80) | 0x80);
        v = Math.floor(v / 0x80);
    }
    out.push(v);
    return out;
}

/**
 * Value { list_value: ListValue { values: [ … Value { string_value: "leaf" } … ] } }, `levels`
 * lists deep, written in one pass (lengths computed from the inside out).
 */
function nestedValue(levels: number): Uint8Array {
    const leaf = [0x1a, 0x04, ...Buffer.from("leaf")];
    const headers: number[][] = [];
    let size = leaf.length;
    for (let i = 0; i < levels; i++) {
        const list = [0x0a, ...varint(size)];
        const listSize = list.length + size;
        const val = [0x32, ...varint(listSize)];
        headers.push([...val, ...list]);
        size = val.length + listSize;
    }
    const out = new Uint8Array(size);
    let pos = 0;
    for (let i = headers.length - 1; i >= 0; i--) {
        out.set(headers[i], pos);
        pos += headers[i].length;
    }
    out.set(leaf, pos);
    return out;
}

function refuses(bytes: Uint8Array, schema: WireSchema, pattern: RegExp): void {
    assert.throws(() => checkWire(bytes, schema), (e: Error) => e instanceof WireError && pattern.test(e.message));
}

describe("the length guard", () => {
    it("knows which fields hold messages exactly as the generated decoders do", () => {
        for (const [cls, schema] of CLASSES) {
            const decoded = decodedMessages(cls);
            assert.deepStrictEqual([...decoded.keys()].sort(), Object.keys(schema.messages).map(Number).sort(), schema.name);
            for (const [field, { type, map }] of decoded) {
                const sub = schema.messages[field];
                if (map) {
                    // A map field is a repeated entry message: key 1, value 2 (a message when the value is one).
                    const valueType = sub.messages[2];
                    assert.strictEqual(valueType?.name ?? "", type, `${schema.name}.${field}`);
                    assert.deepStrictEqual(Object.keys(sub.messages).filter(k => k !== "2"), [], `${schema.name}.${field}`);
                } else {
                    assert.strictEqual(sub.name, type, `${schema.name}.${field}`);
                }
            }
        }
        // Every method of the service has its request's schema.
        for (const [name, method] of Object.entries(analyzerRpc.AnalyzerService as Record<string, { requestType: Generated }>)) {
            const schema = REQUEST_SCHEMAS[name];
            assert.ok(schema, name);
            const pair = CLASSES.find(([cls]) => cls === method.requestType);
            assert.ok(pair && pair[1] === schema, `${name}: ${schema.name}`);
        }
    });

    it("accepts every request of the harness: the reference programs, preview and update, each resource, configuration and stack", async () => {
        const info: AnalyzerInfo = await thePack().getAnalyzerInfo();
        for (const p of PROGRAMS) {
            for (const preview of [true, false]) {
                const stack = await recorded(p, preview ? "preview" : "update");
                checkWire(encodedAnalyzeStackRequest(stack), ANALYZE_STACK_REQUEST);
                checkWire(analyzeStackRequest(stack.resources, "reversed"), ANALYZE_STACK_REQUEST);
                for (const r of stack.resources) {
                    checkWire((resourceRequest(r, stack.resources) as { serializeBinary(): Uint8Array }).serializeBinary(), ANALYZE_REQUEST);
                }
                const one = (googleRequest(stack.resources.slice(0, 1)) as { serializeBinary(): Uint8Array }).serializeBinary();
                checkWire(one, ANALYZE_STACK_REQUEST);
            }
            for (const tier of ["managed-security", "isolated-environment"] as const) {
                const cfg = configureRequest(tierConfig(tier, { ...p.packConfig, "vnet-injection": { exemptions: [{ resource: "x", reason: "lab", expires: "2028-02-29" }] } }, info.policies.map(x => x.name)), info);
                checkWire(cfg.serializeBinary(), CONFIGURE_ANALYZER_REQUEST);
            }
        }
        const stackCfg = new pb.AnalyzerStackConfigureRequest();
        stackCfg.setStack("dev");
        stackCfg.setProject("p");
        stackCfg.setOrganization("o");
        stackCfg.setDryRun(true);
        stackCfg.getTagsMap().set("databricks-network-tier", "isolated-environment");
        stackCfg.getConfigMap().set("p:k", "v");
        stackCfg.addConfigSecretKeys("p:k");
        checkWire(stackCfg.serializeBinary(), STACK_CONFIGURE_REQUEST);
        checkWire(new emptyPb.Empty().serializeBinary(), EMPTY);
        checkWire(new Uint8Array(0), ANALYZE_STACK_REQUEST);
    });

    it("accepts fields it does not know (newer protocol versions): every wire type, groups included", () => {
        const unknown: Field[] = [
            { n: 99, varint: 2 ** 40 }, { n: 100, double: 1.5 }, { n: 101, fixed32: 7 }, { n: 102, bytes: "0affffffff0f as text" },
            { n: 103, bytes: Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]) },
        ];
        const bytes = encode([{ n: 1, bytes: [{ n: 1, bytes: "t" }, { n: 2, bytes: [{ n: 1, bytes: [{ n: 1, bytes: "k" }, { n: 2, bytes: value("v") }] }] }, ...unknown] }, ...unknown]);
        checkWire(bytes, ANALYZE_STACK_REQUEST);
        // A group (wire type 3 … 4), nested, with fields inside.
        const group = Uint8Array.from([0xa3, 0x06, 0x08, 0x01, 0xab, 0x06, 0x12, 0x01, 0x78, 0xac, 0x06, 0xa4, 0x06]);
        checkWire(Uint8Array.from([...group, ...encode([{ n: 3, bytes: "urn" }])]), ANALYZE_REQUEST);
        // A length-delimited field the schema does not know is only checked to fit: its content is not read.
        checkWire(encode([{ n: 2, bytes: [{ n: 1, bytes: [{ n: 77, bytes: Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]) }] }] }]), ANALYZE_REQUEST);
    });

    it("refuses a length that runs past its message, at the top and at any depth, naming the field", () => {
        refuses(Buffer.from("12ffffffff0f", "hex"), ANALYZE_REQUEST, /^field 2 declares 4294967295 bytes where 0 remain \(the field at byte 0, in pulumirpc\.AnalyzeRequest\)$/);
        refuses(Buffer.from("0affffffff0f", "hex"), CONFIGURE_ANALYZER_REQUEST, /^field 1 declares 4294967295 bytes where 0 remain/);
        refuses(Buffer.from("0affffffff0f", "hex"), EMPTY, /in google\.protobuf\.Empty/);
        // Inside a Struct inside a request: a length that fits the request but not its sub-message.
        refuses(Buffer.from("12060affffffff0f", "hex"), ANALYZE_REQUEST, /field 1 declares 4294967295 bytes where 0 remain \(the field at byte 2, in google\.protobuf\.Struct\)/);
        const inner = encode([{ n: 1, bytes: [{ n: 2, bytes: [{ n: 1, bytes: [{ n: 1, bytes: "k" }, { n: 2, bytes: value({ a: [1, "x"] }) }] }] }] }]);
        checkWire(inner, ANALYZE_STACK_REQUEST);
        // The last entry claims one byte more than its Struct holds, though the request holds more after it.
        const spoilt = encode([
            { n: 1, bytes: [{ n: 2, bytes: Uint8Array.from([0x0a, 0x04, 0x0a, 0x01, 0x6b]) }, { n: 3, bytes: "urn" }] },
        ]);
        refuses(spoilt, ANALYZE_STACK_REQUEST, /^field 1 declares 4 bytes where 3 remain \(the field at byte 4, in google\.protobuf\.Struct\)$/);
        // Varints and fixed-size fields that run past the end.
        refuses(Uint8Array.from([0x08, 0xff]), ANALYZE_REQUEST, /varint field 1 runs past the end of its message/);
        refuses(Uint8Array.from([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), ANALYZE_REQUEST, /longer than 10 bytes/);
        refuses(Uint8Array.from([0x11, 1, 2, 3]), ANALYZE_REQUEST, /field 2 needs 8 bytes, 3 remain/);
        refuses(Uint8Array.from([0x15, 1, 2, 3]), ANALYZE_REQUEST, /field 2 needs 4 bytes, 3 remain/);
        // Wire types 6 and 7 do not exist; field number 0 is not valid; groups must match.
        refuses(Uint8Array.from([0x0e]), ANALYZE_REQUEST, /wire type 6/);
        refuses(Uint8Array.from([0x02, 0x00]), ANALYZE_REQUEST, /field number 0/);
        refuses(Uint8Array.from([0x0b, 0x08, 0x01]), ANALYZE_REQUEST, /group 1 is not closed/);
        refuses(Uint8Array.from([0x0c]), ANALYZE_REQUEST, /group 1 is closed but not open/);
        refuses(Uint8Array.from([0x0b, 0x14]), ANALYZE_REQUEST, /group 2 is closed but not open/);
    });

    it("cut anywhere, a real request either passes whole fields only or is refused with a WireError", async () => {
        const stack = await runProgram(() => nativeWorkspace(), { preview: false });
        const whole = encodedAnalyzeStackRequest(stack);
        const decode = (b: Uint8Array) => pb.AnalyzeStackRequest.deserializeBinary(b);
        for (let cut = 0; cut < whole.length; cut += 3) {
            const part = whole.subarray(0, cut);
            try {
                checkWire(part, ANALYZE_STACK_REQUEST);
            } catch (e) {
                assert.ok(e instanceof WireError, `cut at ${cut}: ${e}`);
                continue;
            }
            // What passes is a sequence of whole fields, which google-protobuf reads at once.
            decode(part);
        }
    });

    it("walks without recursion: a value nested 200 000 deep", () => {
        const inner = nestedValue(100_000);
        const request = encode([{ n: 2, bytes: encode([{ n: 1, bytes: encode([{ n: 1, bytes: "k" }, { n: 2, bytes: inner }]) }]) }]);
        checkWire(request, ANALYZE_REQUEST);
        // One byte short at the very bottom is found too.
        const short = Uint8Array.from(request);
        const at = short.lastIndexOf(0x1a);
        short[at + 1] += 1;
        assert.throws(() => checkWire(short, ANALYZE_REQUEST), WireError);
    });
});
