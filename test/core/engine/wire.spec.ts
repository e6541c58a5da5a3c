import * as assert from "assert";
import { AnalyzeStackBytes, readAnalyzeStackRequest, readStruct } from "../../../policies/core/engine/wire";
import { encodedAnalyzeStackRequest } from "../../../support/engine";
import { RecordedResource } from "../../../support/program";
import { PROGRAMS } from "../../e2e/programs";
import * as protobuf from "../../harness/protobuf";
import { encode, Field, struct, value } from "../../harness/protobuf";
import { recorded } from "../../e2e/recordings";

const pb = require("@pulumi/pulumi/proto/analyzer_pb");

interface PlainStruct { toJavaScript(): Record<string, unknown> }
interface PbResource {
    getType(): string; getUrn(): string; getName(): string; getParent(): string; getDependenciesList(): string[];
    getPropertydependenciesMap(): { forEach(cb: (v: { getUrnsList(): string[] }, k: string) => void): void };
    getProperties(): PlainStruct | undefined;
    getProvider(): { getType(): string; getUrn(): string; getName(): string; getProperties(): PlainStruct | undefined } | undefined;
}

/** What @pulumi/policy reads from a request, through google-protobuf. */
function viaGoogleProtobuf(bytes: Uint8Array): unknown[] {
    const list = (pb.AnalyzeStackRequest.deserializeBinary(bytes) as { getResourcesList(): PbResource[] }).getResourcesList();
    return list.map(r => {
        const propertyDependencies: Record<string, string[]> = {};
        r.getPropertydependenciesMap().forEach((v, k) => { propertyDependencies[k] = v.getUrnsList(); });
        const p = r.getProvider();
        return {
            type: r.getType(), urn: r.getUrn(), name: r.getName(), parent: r.getParent(),
            dependencies: r.getDependenciesList(), propertyDependencies,
            properties: r.getProperties()?.toJavaScript(),
            provider: p && { type: p.getType(), urn: p.getUrn(), name: p.getName(), properties: p.getProperties()?.toJavaScript() },
        };
    });
}

/** The same, through the pack's reader. */
function viaWire(bytes: Uint8Array): unknown[] {
    const req = new AnalyzeStackBytes(bytes);
    return readAnalyzeStackRequest(req).map(r => ({
        type: r.type, urn: r.urn, name: r.name, parent: r.parent,
        dependencies: r.dependencies, propertyDependencies: r.propertyDependencies,
        properties: r.properties && readStruct(req, r.properties).value,
        provider: r.provider && { type: r.provider.type, urn: r.provider.urn, name: r.provider.name,
            properties: r.provider.properties && readStruct(req, r.provider.properties).value },
    }));
}

/** Same values and the same key order (deepStrictEqual alone ignores key order). */
function assertSame(bytes: Uint8Array): unknown[] {
    const expected = viaGoogleProtobuf(bytes);
    const actual = viaWire(bytes);
    assert.deepStrictEqual(actual, expected);
    assert.strictEqual(JSON.stringify(actual), JSON.stringify(expected));
    return actual;
}

function propsOf(fields: Field[]): unknown {
    const bytes = encode([{ n: 1, bytes: [{ n: 1, bytes: "t" }, { n: 2, bytes: fields }] }]);
    return (assertSame(bytes)[0] as { properties: unknown }).properties;
}

const ANY_RESOURCE = (extra: Field[]): Uint8Array => encode([{ n: 1, bytes: [{ n: 1, bytes: "azure-native:network:Subnet" }, { n: 3, bytes: "urn:x" }, ...extra] }]);

describe("The pack reads AnalyzeStack requests exactly as google-protobuf does", () => {
    let stacks: RecordedResource[][];

    before(async () => {
        stacks = [];
        for (const p of PROGRAMS) {
            for (const preview of [true, false]) {
                stacks.push((await recorded(p, preview ? "preview" : "update")).resources);
            }
        }
    });

    it("the reference programs in preview and update: every resource, provider, dependency and property", () => {
        for (const resources of stacks) {
            const bytes = encodedAnalyzeStackRequest(resources);
            const read = assertSame(bytes);
            // And the root stack resource, which the engine sends with them.
            assert.strictEqual(read.length, resources.length + 1);
        }
    });

    it("Struct and map keys out of order (as the Go engine may send them): sorted, as google-protobuf iterates them", () => {
        for (const resources of stacks) {
            const reversed = protobuf.analyzeStackRequest(resources, "reversed");
            const read = assertSame(reversed);
            // The same request with sorted keys reads the same.
            assert.deepStrictEqual(read, viaWire(protobuf.analyzeStackRequest(resources, "sorted")));
        }
    });

    it("a key repeated in a Struct or a map keeps its last value", () => {
        const props = propsOf([
            { n: 1, bytes: [{ n: 1, bytes: "b" }, { n: 2, bytes: value("first") }] },
            { n: 1, bytes: [{ n: 1, bytes: "a" }, { n: 2, bytes: value(1) }] },
            { n: 1, bytes: [{ n: 1, bytes: "b" }, { n: 2, bytes: value("last") }] },
        ]);
        assert.deepStrictEqual(props, { a: 1, b: "last" });
        const read = assertSame(ANY_RESOURCE([
            { n: 9, bytes: [{ n: 1, bytes: "subnet" }, { n: 2, bytes: [{ n: 1, bytes: "urn:old" }] }] },
            { n: 9, bytes: [{ n: 1, bytes: "name" }, { n: 2, bytes: [] }] },
            { n: 9, bytes: [{ n: 1, bytes: "subnet" }, { n: 2, bytes: [{ n: 1, bytes: "urn:new" }] }] },
        ]));
        assert.deepStrictEqual((read[0] as { propertyDependencies: unknown }).propertyDependencies, { name: [], subnet: ["urn:new"] });
    });

    it("fields in any order, and fields it does not know (newer protocol versions), are read or skipped", () => {
        const read = assertSame(encode([
            { n: 7, varint: 300 },
            { n: 1, bytes: [
                { n: 2, bytes: struct([["x", true]]) },
                { n: 15, varint: 2 ** 40 },
                { n: 16, fixed32: 7 },
                { n: 17, double: 1.5 },
                { n: 8, bytes: "urn:dep" },
                { n: 1, bytes: "azure-native:network:VirtualNetwork" },
                { n: 5, bytes: [{ n: 1, varint: 1 }] },
                { n: 3, bytes: "urn:vnet" },
                { n: 6, bytes: [{ n: 9, bytes: "future" }, { n: 3, bytes: "urn:prov" }, { n: 1, bytes: "pulumi:providers:azure-native" }] },
                { n: 8, bytes: "urn:dep2" },
                { n: 4, bytes: "vnet" },
            ] },
            { n: 20, bytes: "a field of the request this version does not know" },
        ]));
        assert.strictEqual(read.length, 1);
        assert.deepStrictEqual(read[0], {
            type: "azure-native:network:VirtualNetwork", urn: "urn:vnet", name: "vnet", parent: "",
            dependencies: ["urn:dep", "urn:dep2"], propertyDependencies: {}, properties: { x: true },
            provider: { type: "pulumi:providers:azure-native", urn: "urn:prov", name: "", properties: undefined },
        });
    });

    it("every kind of Value: null, numbers, booleans, empty, short, long and non-ASCII strings, nested lists and structs", () => {
        const sample: Record<string, unknown> = {
            nothing: null, zero: 0, negative: -42.5, large: 2 ** 60, tiny: 5e-324, yes: true, no: false,
            empty: "", short: "10.0.0.0/16", long: "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet",
            accents: "réseau-privé", emoji: "ws-🔒-with-a-longer-name-than-twenty-four-bytes", cjk: "网络",
            list: [1, "two", null, [false, {}], { deep: { deeper: [] } }], object: {}, "": "empty key",
        };
        const props = propsOf(struct(Object.entries(sample)));
        assert.deepStrictEqual(props, sample);
    });

    it("a Value with no kind is refused, as google-protobuf refuses it", () => {
        const bytes = encode([{ n: 1, bytes: [{ n: 2, bytes: [{ n: 1, bytes: [{ n: 1, bytes: "k" }, { n: 2, bytes: [] }] }] }] }]);
        assert.throws(() => viaGoogleProtobuf(bytes), /Unexpected struct type/);
        assert.throws(() => viaWire(bytes), /Unexpected struct type/);
    });

    it("cut anywhere, a request either reads as google-protobuf reads it or is refused: never a partial resource", () => {
        const whole = protobuf.analyzeStackRequest(stacks[0].slice(0, 3), "sorted");
        let refused = 0;
        for (let cut = 1; cut < whole.length; cut++) {
            const bytes = whole.subarray(0, cut);
            let read: unknown[] | undefined;
            try {
                read = viaWire(bytes);
            } catch {
                refused++;
                continue;
            }
            assert.deepStrictEqual(read, viaGoogleProtobuf(bytes), `cut at ${cut} of ${whole.length}`);
        }
        // Only the cuts between two resources are whole requests.
        assert.strictEqual(refused, whole.length - 1 - 2);
    });
});
