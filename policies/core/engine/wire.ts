// A reader for the one message the pack decodes itself: AnalyzeStackRequest (pulumi/proto
// analyzer.proto), straight from its protobuf bytes. google-protobuf builds an object per field of
// every resource before the pack sees any of them; for a large stack that is most of the time and
// memory of the call. Here a resource's properties are decoded only when a rule may read them, and
// into the plain form `Struct.toJavaScript()` gives (same values, same key order).

import { SIG_KEY } from "../model/values";

/** The bytes of an AnalyzeStackRequest, as the gRPC server hands them to the handler. */
export class AnalyzeStackBytes {
    readonly bytes: Buffer;

    constructor(bytes: Uint8Array) {
        // A Buffer view (no copy): its string decoding needs no intermediate view per string.
        this.bytes = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
}

/** Where a google.protobuf.Struct sits in the request: decoded on demand. */
export interface StructRange {
    start: number;
    end: number;
}

export interface WireProvider {
    type: string;
    urn: string;
    name: string;
    properties?: StructRange;
}

export interface WireResource extends WireProvider {
    provider?: WireProvider;
    parent: string;
    dependencies: string[];
    /** Keys in property-name order, as google-protobuf iterates a map. */
    propertyDependencies: Record<string, string[]>;
}

const VARINT = 0;
const FIXED64 = 1;
const LENGTH = 2;
const FIXED32 = 5;

/** A cursor over the request's bytes; `end` is the end of the message being read. */
class Reader {
    /** Set when a Struct key met needs more than a copy to deserialize (see PlainStruct). */
    special = false;

    constructor(readonly buf: Buffer, public pos: number, public end: number) {}

    /** Narrows the reader to a sub-message ending at `end`; returns the outer end to restore. */
    enter(end: number): number {
        const outer = this.end;
        this.end = end;
        return outer;
    }

    /** Leaves a sub-message: the reader continues after it. */
    leave(outer: number): void {
        this.pos = this.end;
        this.end = outer;
    }

    more(): boolean {
        return this.pos < this.end;
    }

    varint(): number {
        if (this.pos >= this.end) {
            throw new Error("truncated message");
        }
        const buf = this.buf;
        let b = buf[this.pos++];
        if (b < 0x80) {
            return b;
        }
        let value = b & 0x7f;
        let scale = 0x80;
        for (let i = 1; i < 10; i++) {
            if (this.pos >= this.end) {
                break;
            }
            b = buf[this.pos++];
            value += (b & 0x7f) * scale;
            if (b < 0x80) {
                return value;
            }
            scale *= 0x80;
        }
        throw new Error("malformed varint");
    }

    /** The end offset of a length-delimited field whose tag was just read. */
    length(): number {
        const len = this.varint();
        const end = this.pos + len;
        if (end > this.end) {
            throw new Error("truncated field");
        }
        return end;
    }

    /** The bytes of a length-delimited field, skipped. */
    range(): StructRange {
        const end = this.length();
        const range = { start: this.pos, end };
        this.pos = end;
        return range;
    }

    string(): string {
        const end = this.length();
        const s = utf8(this.buf, this.pos, end);
        this.pos = end;
        return s;
    }

    double(): number {
        if (this.pos + 8 > this.end) {
            throw new Error("truncated double");
        }
        const v = this.buf.readDoubleLE(this.pos);
        this.pos += 8;
        return v;
    }

    skip(wireType: number): void {
        switch (wireType) {
            case VARINT: this.varint(); return;
            case FIXED64: this.pos += 8; break;
            case LENGTH: this.pos = this.length(); return;
            case FIXED32: this.pos += 4; break;
            default: throw new Error(`unsupported wire type ${wireType}`);
        }
        if (this.pos > this.end) {
            throw new Error("truncated field");
        }
    }
}

/** Very short ASCII strings are built in place; the rest are decoded by the Buffer. */
function utf8(buf: Buffer, start: number, end: number): string {
    if (end - start <= 12) {
        let s = "";
        for (let i = start; i < end; i++) {
            const c = buf[i];
            if (c >= 0x80) {
                return buf.toString("utf8", start, end);
            }
            s += String.fromCharCode(c);
        }
        return s;
    }
    return buf.toString("utf8", start, end);
}

/**
 * One copy of each string that names a resource (URN, type): a stack's dependency lists repeat the
 * same URNs many times, and the model keeps them all.
 */
class Interned {
    private readonly seen = new Map<string, string>();

    of(s: string): string {
        const known = this.seen.get(s);
        if (known !== undefined) {
            return known;
        }
        this.seen.set(s, s);
        return s;
    }
}

/** Decodes the resources of an AnalyzeStackRequest, leaving their properties undecoded. */
export function readAnalyzeStackRequest(bytes: AnalyzeStackBytes): WireResource[] {
    const r = new Reader(bytes.bytes, 0, bytes.bytes.length);
    const out: WireResource[] = [];
    const names = new Interned();
    while (r.more()) {
        const tag = r.varint();
        if (tag === (1 << 3 | LENGTH)) {
            const outer = r.enter(r.length());
            out.push(readResource(r, names));
            r.leave(outer);
        } else {
            r.skip(tag & 7);
        }
    }
    return out;
}

function readResource(r: Reader, names: Interned): WireResource {
    const res: WireResource = { type: "", urn: "", name: "", parent: "", dependencies: [], propertyDependencies: {} };
    let sorted = true;
    let last: string | undefined;
    while (r.more()) {
        const tag = r.varint();
        if ((tag & 7) !== LENGTH) {
            r.skip(tag & 7);
            continue;
        }
        const field = tag >>> 3;
        if (readIdentity(r, field, res, names)) {
            continue;
        }
        switch (field) {
            case 6: {
                const outer = r.enter(r.length());
                res.provider = readProvider(r, names);
                r.leave(outer);
                break;
            }
            case 7: res.parent = names.of(r.string()); break;
            case 8: res.dependencies.push(names.of(r.string())); break;
            case 9: {
                const outer = r.enter(r.length());
                const [key, urns] = readPropertyDependencies(r, names);
                r.leave(outer);
                if (last !== undefined && !(last < key)) {
                    sorted = false;
                }
                last = key;
                // A repeated key keeps its last value, as in a map. No property is named
                // `__proto__`, which would set the record's prototype instead.
                if (key !== "__proto__") {
                    res.propertyDependencies[key] = urns;
                }
                break;
            }
            default: r.skip(LENGTH);
        }
    }
    if (!sorted) {
        const pd = res.propertyDependencies;
        res.propertyDependencies = {};
        for (const k of Object.keys(pd).sort()) {
            res.propertyDependencies[k] = pd[k];
        }
    }
    return res;
}

function readProvider(r: Reader, names: Interned): WireProvider {
    const p: WireProvider = { type: "", urn: "", name: "" };
    while (r.more()) {
        const tag = r.varint();
        if ((tag & 7) !== LENGTH) {
            r.skip(tag & 7);
        } else if (!readIdentity(r, tag >>> 3, p, names)) {
            r.skip(LENGTH);
        }
    }
    return p;
}

/**
 * Fields 1 to 4 (type, properties, URN, name), which AnalyzerResource and AnalyzerProviderResource
 * number alike; false for any other field, left unread.
 */
function readIdentity(r: Reader, field: number, into: WireProvider, names: Interned): boolean {
    switch (field) {
        case 1: into.type = names.of(r.string()); return true;
        case 2: into.properties = r.range(); return true;
        case 3: into.urn = names.of(r.string()); return true;
        case 4: into.name = r.string(); return true;
        default: return false;
    }
}

/** One entry of map<string, AnalyzerPropertyDependencies>. */
function readPropertyDependencies(r: Reader, names: Interned): [string, string[]] {
    let key = "";
    let urns: string[] = [];
    while (r.more()) {
        const tag = r.varint();
        if (tag === (1 << 3 | LENGTH)) {
            key = r.string();
        } else if (tag === (2 << 3 | LENGTH)) {
            const outer = r.enter(r.length());
            urns = [];
            while (r.more()) {
                const t = r.varint();
                if (t === (1 << 3 | LENGTH)) {
                    urns.push(names.of(r.string()));
                } else {
                    r.skip(t & 7);
                }
            }
            r.leave(outer);
        } else {
            r.skip(tag & 7);
        }
    }
    return [key, urns];
}

/** Map semantics: sorted by key, the last of equal keys kept. */
function lastWins<T>(entries: [string, T][]): [string, T][] {
    const byKey = new Map<string, T>();
    for (const [k, v] of entries) {
        byKey.set(k, v);
    }
    return [...byKey.keys()].sort().map(k => [k, byKey.get(k) as T]);
}

export interface PlainStruct {
    /** As `Struct.toJavaScript()` returns it. */
    value: Record<string, unknown>;
    /**
     * Whether any object in it has a key that needs more than a copy to deserialize: Pulumi's
     * special-value signature, or `__proto__` (which `toJavaScript()` assigns as a prototype).
     */
    special: boolean;
}

/** The plain value of the google.protobuf.Struct at `range`. */
export function readStruct(bytes: AnalyzeStackBytes, range: StructRange): PlainStruct {
    const r = new Reader(bytes.bytes, range.start, range.end);
    const value = struct(r);
    return { value, special: r.special };
}

// A Value without a kind (or a map entry without a value) is what google-protobuf refuses with
// this message.
const NO_KIND = "Unexpected struct type";

function struct(r: Reader): Record<string, unknown> {
    const entries: [string, unknown][] = [];
    let sorted = true;
    while (r.more()) {
        const tag = r.varint();
        if (tag !== (1 << 3 | LENGTH)) {
            r.skip(tag & 7);
            continue;
        }
        const outer = r.enter(r.length());
        let key = "";
        let value: unknown = undefined;
        let hasValue = false;
        while (r.more()) {
            const t = r.varint();
            if (t === (1 << 3 | LENGTH)) {
                key = r.string();
                if (key === SIG_KEY || key === "__proto__") {
                    r.special = true;
                }
            } else if (t === (2 << 3 | LENGTH)) {
                const inner = r.enter(r.length());
                value = value_(r);
                r.leave(inner);
                hasValue = true;
            } else {
                r.skip(t & 7);
            }
        }
        r.leave(outer);
        if (!hasValue) {
            throw new Error(NO_KIND);
        }
        if (entries.length > 0 && !(entries[entries.length - 1][0] < key)) {
            sorted = false;
        }
        entries.push([key, value]);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of sorted ? entries : lastWins(entries)) {
        out[k] = v;
    }
    return out;
}

/** A google.protobuf.Value; the last kind on the wire wins, as for any oneof. */
function value_(r: Reader): unknown {
    let value: unknown = undefined;
    let kind = false;
    while (r.more()) {
        const tag = r.varint();
        switch (tag) {
            case 1 << 3 | VARINT: r.varint(); value = null; break;
            case 2 << 3 | FIXED64: value = r.double(); break;
            case 3 << 3 | LENGTH: value = r.string(); break;
            case 4 << 3 | VARINT: value = r.varint() !== 0; break;
            case 5 << 3 | LENGTH: {
                const outer = r.enter(r.length());
                value = struct(r);
                r.leave(outer);
                break;
            }
            case 6 << 3 | LENGTH: {
                const outer = r.enter(r.length());
                value = list(r);
                r.leave(outer);
                break;
            }
            default: r.skip(tag & 7); continue;
        }
        kind = true;
    }
    if (!kind) {
        throw new Error(NO_KIND);
    }
    return value;
}

function list(r: Reader): unknown[] {
    const out: unknown[] = [];
    while (r.more()) {
        const tag = r.varint();
        if (tag === (1 << 3 | LENGTH)) {
            const outer = r.enter(r.length());
            out.push(value_(r));
            r.leave(outer);
        } else {
            r.skip(tag & 7);
        }
    }
    return out;
}
