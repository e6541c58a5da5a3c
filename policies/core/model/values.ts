// Reading resource properties without throwing, and without mistaking an unknown value for a
// missing one. @pulumi/policy wraps properties in a proxy that throws on unknown values; we read
// the underlying object and recognise the engine's unknown sentinels ourselves.

/** The engine's sentinels for values that are unknown during preview. */
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // bool
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
]);

/** The key of Pulumi's special values (secrets, assets, resource references) in serialized properties. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_REF_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
/**
 * What a secret that cannot be decrypted reads as: the Pulumi CLI's display masking
 * (`massagePropertyValue` in pkg/backend/display/json.go), sent by `pulumi policy analyze` and
 * written into every `pulumi preview --json` digest.
 */
export const SECRET_MASK = "[secret]";
/**
 * Reach: @pulumi/policy's proxy hands out its target under this key (internal `getSpecialProxyTarget`
 * of proxy.js, read from 1.21.0): the way to read a preview's unknown values without the proxy throwing.
 */
export const PROXY_TARGET = "__getSpecialProxyTarget";

export type Read<T> =
    | { state: "known"; value: T }
    | { state: "unknown"; path: string; secret?: true }
    | { state: "absent" };

export const ABSENT: Read<never> = { state: "absent" };

/** A plain object (not null, not a list): what every reader of documents and inputs checks first. */
export function isRecord(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

export function known<T>(value: T): Read<T> {
    return { state: "known", value };
}

export function unknownAt(path: string): Read<never> {
    return { state: "unknown", path };
}

/** A secret whose value cannot be seen here. */
export function secretAt(path: string): Read<never> {
    return { state: "unknown", path, secret: true };
}

/**
 * Marks an object whose properties could not be seen at all (e.g. a resource a preview only
 * reads by ID): every property it does not carry reads as unknown, not absent.
 */
export const UNSEEN = Symbol("unseen properties");

/** Unknown until apply, or a secret this reader cannot decrypt: either way a value not seen. */
export function isUnknownValue(v: unknown): boolean {
    return typeof v === "string" && (UNKNOWN_SENTINELS.has(v) || v === SECRET_MASK);
}

function unseen(v: unknown, path: string): Read<never> {
    return v === SECRET_MASK ? secretAt(path) : unknownAt(path);
}

/** How rules word a value they could not see (`secretWording` rewords it where it is a secret). */
export const UNTIL_APPLY = "unknown until apply";
const SECRET_WORDS = "secret (not readable here)";

/**
 * Why values are not known, for messages: secret only when every unseen one of `reads` is a secret
 * (a value computed at apply among them is the one that decides when the check can judge).
 */
export function whyUnknown(...reads: Unseen[]): string {
    return unseenWords(unseenReason(...reads));
}

/** How a message words a value not seen, by why. */
export function unseenWords(reason: "secret" | "unknown"): string {
    return reason === "secret" ? SECRET_WORDS : UNTIL_APPLY;
}

/** A value not seen at `path`, derived from `reads`: secret when every unseen one of them is. */
export function unseenAt(path: string, ...reads: Unseen[]): Read<never> {
    return unseenReason(...reads) === "secret" ? secretAt(path) : unknownAt(path);
}

/** A read, or a reference resolved from one: what `whyUnknown` and `unseenReason` look at. */
export type Unseen = { state: string; secret?: true };

/** `{ secret: true }` where every unseen one of `reads` is a secret, for what is derived from them. */
export function secretMark(...reads: Unseen[]): { secret?: true } {
    return unseenReason(...reads) === "secret" ? { secret: true } : {};
}

/** The evidence kind of values not seen: `secret` when every unseen one of `reads` is a secret. */
export function unseenReason(...reads: Unseen[]): "secret" | "unknown" {
    const unseen = reads.filter(r => r.state === "unknown");
    return unseen.length > 0 && unseen.every(r => r.secret) ? "secret" : "unknown";
}

/**
 * A rule's text about values it could not see, in a stack whose only unseen values are secrets
 * (an export or state: nothing there is computed at apply): said as secrets.
 */
export function secretWording(text: string): string {
    return text.split(UNTIL_APPLY).join(SECRET_WORDS).split("depends on values computed at apply").join("holds a secret value");
}

/** Which kinds of unseen value `v` holds, at any depth: unknown until apply (or not seen at all), secret. */
export function unseenIn(v: unknown): { unknown: boolean; secret: boolean } {
    const found = { unknown: false, secret: false };
    const work: unknown[] = [v];
    while (work.length > 0 && !(found.unknown && found.secret)) {
        const cur = work.pop();
        if ((cur as { [UNSEEN]?: true } | null)?.[UNSEEN]) {
            found.unknown = true;
        }
        const x = plain(cur);
        if (typeof x === "string") {
            found.secret ||= x === SECRET_MASK;
            found.unknown ||= UNKNOWN_SENTINELS.has(x);
        } else if (Array.isArray(x)) {
            work.push(...x);
        } else if (isRecord(x)) {
            work.push(...Object.values(x));
        }
    }
    return found;
}

/** The plain object behind a policy proxy; secrets and resource references reduced to their value. */
export function plain(v: unknown): unknown {
    if (v !== null && typeof v === "object") {
        let target: unknown = v;
        try {
            target = (v as Record<string, unknown>)[PROXY_TARGET] ?? v;
        } catch {
            target = v;
        }
        const o = target as Record<string, unknown>;
        const sig = Object.prototype.hasOwnProperty.call(o, SIG_KEY) ? o[SIG_KEY] : undefined;
        if (sig === SECRET_SIG) {
            // Decrypted (`value`), an export's `--show-secrets` JSON text (`plaintext`), or
            // ciphertext this reader cannot open (sdk/go/common/resource/stack/secrets.go).
            if (Object.prototype.hasOwnProperty.call(o, "value")) {
                return plain(o.value);
            }
            return typeof o.plaintext === "string" ? plainText(o.plaintext) : SECRET_MASK;
        }
        if (sig === RESOURCE_REF_SIG) {
            // A resource reference: the engine passes custom resources by ID, others by URN.
            const id = o.id;
            return typeof id === "string" && id !== "" ? id : o.urn;
        }
        return target;
    }
    return v;
}

function plainText(text: string): unknown {
    try {
        return plain(JSON.parse(text));
    } catch {
        return SECRET_MASK;
    }
}

/** Reads `obj.path[0].path[1]…`; never throws. Array indices may be numbers. */
export function read(obj: unknown, ...path: (string | number)[]): Read<unknown> {
    return readPath(obj, path);
}

function readPath(obj: unknown, path: readonly (string | number)[]): Read<unknown> {
    let cur = plain(obj);
    for (let i = 0; i < path.length; i++) {
        if (isUnknownValue(cur)) {
            return unseen(cur, path.slice(0, i).join("."));
        }
        if (cur === null || cur === undefined || typeof cur !== "object") {
            return ABSENT;
        }
        const rec = cur as Record<string | number, unknown>;
        if (!Object.prototype.hasOwnProperty.call(rec, path[i])) {
            return (rec as { [UNSEEN]?: true })[UNSEEN] ? unknownAt(path.slice(0, i + 1).join(".")) : ABSENT;
        }
        cur = plain(rec[path[i]]);
    }
    if (isUnknownValue(cur)) {
        return unseen(cur, path.join("."));
    }
    if (cur === null || cur === undefined) {
        return ABSENT;
    }
    return known(cur);
}

/** A string, or absent when the value is of another type. */
export function readString(obj: unknown, ...path: (string | number)[]): Read<string> {
    const r = readPath(obj, path);
    if (r.state !== "known") {
        return r;
    }
    return typeof r.value === "string" ? r as Read<string> : ABSENT;
}

/** A boolean; the strings "true"/"false" (as some providers and exports carry them) count too. */
export function readBool(obj: unknown, ...path: (string | number)[]): Read<boolean> {
    const r = readPath(obj, path);
    if (r.state !== "known") {
        return r;
    }
    if (typeof r.value === "boolean") {
        return known(r.value);
    }
    if (r.value === "true" || r.value === "false") {
        return known(r.value === "true");
    }
    return ABSENT;
}

/** An array (elements may themselves be unknown sentinels); absent for other shapes. */
export function readArray(obj: unknown, ...path: (string | number)[]): Read<unknown[]> {
    const r = readPath(obj, path);
    if (r.state !== "known") {
        return r;
    }
    return Array.isArray(r.value) ? r as Read<unknown[]> : ABSENT;
}

/** Strings of a string array: unknown when the array or any element is unknown. */
export function readStrings(obj: unknown, ...path: (string | number)[]): Read<string[]> {
    const r = readArray(obj, ...path);
    if (r.state !== "known") {
        return r;
    }
    const out: string[] = [];
    for (let i = 0; i < r.value.length; i++) {
        const el = plain(r.value[i]);
        if (isUnknownValue(el)) {
            return unseen(el, [...path, i].join("."));
        }
        if (typeof el === "string") {
            out.push(el);
        }
    }
    return known(out);
}

/** How a read value is shown in messages. */
export function show(r: Read<unknown>): string {
    switch (r.state) {
        case "known":
            return quote(r.value);
        case "unknown":
            return `(${whyUnknown(r)})`;
        default:
            return "(not set)";
    }
}

/** How many characters of a value from the stack or the configuration a message quotes. */
export const QUOTE_LIMIT = 100;
/**
 * How many characters of an identifier (a resource's name or type, an ARM ID, a URN) a message
 * shows: enough for any real one, which must be shown whole to be found.
 */
export const ID_LIMIT = 400;
/** How many characters of free text from the configuration (an exemption's or attestation's reason) a message shows. */
export const TEXT_LIMIT = 500;
/**
 * How many characters of one text of a finding (what was found, what is missing, the fix) a message
 * shows: a bound on what a rule wrote, whatever it quoted.
 */
export const FIELD_LIMIT = 2000;

/**
 * `text` cut to its first `max` characters, marked with how many more it has (never splitting a
 * surrogate pair): what a message or an error shows of a value from the stack or the configuration,
 * however long the value is.
 */
export function cut(text: string, max: number = QUOTE_LIMIT): string {
    if (text.length <= max) {
        return text;
    }
    const end = cutIndex(text, max);
    return `${text.slice(0, end)}${more(text.length - end)}`;
}

/** An identifier (a resource's name or type, an ARM ID, a URN) as a message shows it unquoted: `cut` to ID_LIMIT. */
export function cutId(id: string): string {
    return cut(id, ID_LIMIT);
}

/** An identifier as a message quotes it: `quote` to ID_LIMIT. */
export function quoteId(id: string): string {
    return quote(id, ID_LIMIT);
}

/** Where to cut `text` to keep at most `max` characters, never inside a surrogate pair. */
function cutIndex(text: string, max: number): number {
    const last = text.charCodeAt(max - 1);
    return last >= 0xd800 && last <= 0xdbff ? max - 1 : max;
}

function more(n: number): string {
    return `…(+${n} characters)`;
}

/**
 * A value from the stack or the configuration as a message quotes it: JSON (a string in double
 * quotes; `undefined` for an absent value), cut to its first `max` characters with a marker of how many more there are. Objects and
 * lists are written only as far as the cut, so a value of any size costs a message `max`
 * characters and its writing a walk of the value.
 */
export function quote(value: unknown, max: number = QUOTE_LIMIT): string {
    // JSON has no undefined; a message about an absent value says so.
    if (value === undefined) {
        return "undefined";
    }
    if (typeof value === "string") {
        if (value.length <= max) {
            return JSON.stringify(value);
        }
        const end = cutIndex(value, max);
        return `${JSON.stringify(value.slice(0, end))}${more(value.length - end)}`;
    }
    const out = new BoundedJson(max);
    out.value(value);
    return out.text();
}

/** The length of `JSON.stringify(s)`, without writing it. */
function jsonLength(s: string): number {
    let n = 2;
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c === 0x22 || c === 0x5c || c === 0x08 || c === 0x0c || c === 0x0a || c === 0x0d || c === 0x09) {
            n += 2;
        } else if (c < 0x20) {
            n += 6;
        } else if (c >= 0xd800 && c <= 0xdfff) {
            // A well-formed pair is written as is, a lone surrogate as \uXXXX.
            const next = s.charCodeAt(i + 1);
            if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
                n += 2;
                i++;
            } else {
                n += 6;
            }
        } else {
            n += 1;
        }
    }
    return n;
}

/** JSON text written up to a limit; what lies beyond it is counted, not written. */
class BoundedJson {
    private readonly parts: string[] = [];
    private written = 0;
    private beyond = 0;

    constructor(private readonly max: number) {}

    /** What may still be written: nothing once anything was left out (the text stays a prefix). */
    private get room(): number {
        return this.beyond > 0 ? 0 : this.max - this.written;
    }

    private put(s: string): void {
        const room = this.room;
        if (room <= 0) {
            this.beyond += s.length;
            return;
        }
        const head = s.length <= room ? s : s.slice(0, cutIndex(s, room));
        this.parts.push(head);
        this.written += head.length;
        this.beyond += s.length - head.length;
    }

    /** A string as JSON; only as much of a long one as fits is written. */
    private string(s: string): void {
        const room = this.room;
        if (room <= 0) {
            this.beyond += jsonLength(s);
        } else if (s.length <= room) {
            this.put(JSON.stringify(s));
        } else {
            const head = JSON.stringify(s.slice(0, room));
            this.put(head);
            this.beyond += jsonLength(s) - head.length;
        }
    }

    private scalar(v: unknown): void {
        if (typeof v === "string") {
            this.string(v);
        } else if (typeof v === "number" || typeof v === "boolean") {
            this.put(JSON.stringify(v));
        } else {
            this.put("null");
        }
    }

    /** Writes `v` (plain data: JSON values, any depth) without recursion. */
    value(v: unknown): void {
        type Item = { text: string } | { value: unknown };
        const work: Item[] = [{ value: v }];
        while (work.length > 0) {
            const item = work.pop() as Item;
            if ("text" in item) {
                this.put(item.text);
                continue;
            }
            const cur = item.value;
            if (cur === null || typeof cur !== "object") {
                this.scalar(cur);
                continue;
            }
            const items: Item[] = [];
            if (Array.isArray(cur)) {
                items.push({ text: "[" });
                cur.forEach((el, i) => items.push(...(i > 0 ? [{ text: "," }] : []), { value: el }));
                items.push({ text: "]" });
            } else {
                items.push({ text: "{" });
                let first = true;
                for (const k of Object.keys(cur)) {
                    const el = (cur as Record<string, unknown>)[k];
                    if (el === undefined || typeof el === "function") {
                        continue;
                    }
                    if (!first) {
                        items.push({ text: "," });
                    }
                    items.push({ value: k }, { text: ":" }, { value: el });
                    first = false;
                }
                items.push({ text: "}" });
            }
            for (let i = items.length - 1; i >= 0; i--) {
                work.push(items[i]);
            }
        }
    }

    text(): string {
        const s = this.parts.join("");
        return this.beyond > 0 ? `${s}${more(this.beyond)}` : s;
    }
}
