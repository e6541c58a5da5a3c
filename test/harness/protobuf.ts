// A protobuf writer for requests google-protobuf would never produce but other clients (the Go
// engine) may: map keys out of order, repeated keys, fields in any order, fields from newer
// protocol versions.

import { options, providerIdentity } from "../../support/engine";
import { RecordedResource } from "../../support/program";

/** A field: number, then a varint, a double, or length-delimited bytes (a string or a sub-message). */
export type Field =
    | { n: number; varint: number }
    | { n: number; double: number }
    | { n: number; fixed32: number }
    | { n: number; bytes: string | Uint8Array | Field[] };

function varint(out: number[], v: number): void {
    while (v >= 0x80) {
        out.push((v % 0x80) | 0x80);
        v = Math.floor(v / 0x80);
    }
    out.push(v);
}

function write(out: number[], fields: Field[]): void {
    for (const f of fields) {
        if ("varint" in f) {
            varint(out, f.n << 3);
            varint(out, f.varint);
        } else if ("double" in f) {
            varint(out, f.n << 3 | 1);
            const b = Buffer.alloc(8);
            b.writeDoubleLE(f.double);
            out.push(...b);
        } else if ("fixed32" in f) {
            varint(out, f.n << 3 | 5);
            const b = Buffer.alloc(4);
            b.writeUInt32LE(f.fixed32);
            out.push(...b);
        } else {
            const body = typeof f.bytes === "string" ? [...Buffer.from(f.bytes, "utf8")]
                : f.bytes instanceof Uint8Array ? [...f.bytes] : encodeFields(f.bytes);
            varint(out, f.n << 3 | 2);
            varint(out, body.length);
            for (const b of body) {
                out.push(b);
            }
        }
    }
}

function encodeFields(fields: Field[]): number[] {
    const out: number[] = [];
    write(out, fields);
    return out;
}

export function encode(fields: Field[]): Uint8Array {
    return Uint8Array.from(encodeFields(fields));
}

/** How a Struct's entries are laid out on the wire. */
export type KeyOrder = "sorted" | "reversed";

/** google.protobuf.Value of a JSON-like value. */
export function value(v: unknown, order: KeyOrder = "sorted"): Field[] {
    if (v === null || v === undefined) {
        return [{ n: 1, varint: 0 }];
    }
    if (typeof v === "number") {
        return [{ n: 2, double: v }];
    }
    if (typeof v === "string") {
        return [{ n: 3, bytes: v }];
    }
    if (typeof v === "boolean") {
        return [{ n: 4, varint: v ? 1 : 0 }];
    }
    if (Array.isArray(v)) {
        return [{ n: 6, bytes: v.map(e => ({ n: 1, bytes: value(e, order) })) }];
    }
    return [{ n: 5, bytes: struct(Object.entries(v as Record<string, unknown>), order) }];
}

/** google.protobuf.Struct of entries, in the given order (repeated keys kept). */
export function struct(entries: [string, unknown][], order: KeyOrder = "sorted"): Field[] {
    const laid = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (order === "reversed") {
        laid.reverse();
    }
    return laid.map(([k, v]) => ({ n: 1, bytes: [{ n: 1, bytes: k }, { n: 2, bytes: value(v, order) }] }));
}

/** The AnalyzeStackRequest the engine sends for these resources, with Struct keys in `order`. */
export function analyzeStackRequest(resources: RecordedResource[], order: KeyOrder): Uint8Array {
    const byUrn = new Map(resources.map(r => [r.urn, r]));
    return encode(resources.map(r => {
        const fields: Field[] = [
            { n: 1, bytes: r.type },
            { n: 2, bytes: struct(Object.entries(r.outputs), order) },
            { n: 3, bytes: r.urn },
            { n: 4, bytes: r.name },
            { n: 5, bytes: (options(r) as { serializeBinary(): Uint8Array }).serializeBinary() },
        ];
        const p = providerIdentity(r, byUrn);
        if (p) {
            fields.push({ n: 6, bytes: [
                { n: 1, bytes: p.type },
                { n: 2, bytes: struct(Object.entries(p.outputs), order) },
                { n: 3, bytes: p.urn },
                { n: 4, bytes: p.name },
            ] });
        }
        if (r.parent) {
            fields.push({ n: 7, bytes: r.parent });
        }
        for (const d of r.dependencies) {
            fields.push({ n: 8, bytes: d });
        }
        const deps = Object.entries(r.propertyDependencies);
        for (const [k, urns] of order === "reversed" ? deps.reverse() : deps) {
            fields.push({ n: 9, bytes: [{ n: 1, bytes: k }, { n: 2, bytes: urns.map(u => ({ n: 1, bytes: u })) }] });
        }
        return { n: 1, bytes: fields };
    }));
}
