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
/** @pulumi/policy's proxy hands out its target under this key. */
const PROXY_TARGET = "__getSpecialProxyTarget";

export type Read<T> =
    | { state: "known"; value: T }
    | { state: "unknown"; path: string; secret?: true }
    | { state: "absent" };

export const ABSENT: Read<never> = { state: "absent" };

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

/** Why a value is not known, for messages. */
export function whyUnknown(r: Read<unknown>): string {
    return r.state === "unknown" && r.secret ? "secret (not readable here)" : "unknown until apply";
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
            return JSON.stringify(r.value);
        case "unknown":
            return `(${whyUnknown(r)})`;
        default:
            return "(not set)";
    }
}
