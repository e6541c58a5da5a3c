// Pieces shared by the preview and export readers: one `apitype.ResourceV3` state
// (sdk/go/common/apitype/core.go) into the resource shape the policies evaluate.

import { ResourceInput } from "../../policies/core/model/stack";
import { isRecord, quote, SECRET_MASK, SIG_KEY } from "../../policies/core/model/values";

export class InputError extends Error {}

/** The fields of `apitype.ResourceV3` the policies need, as found in a file. */
export interface ResourceV3 {
    urn?: unknown;
    type?: unknown;
    id?: unknown;
    custom?: unknown;
    delete?: unknown;
    external?: unknown;
    inputs?: unknown;
    outputs?: unknown;
    parent?: unknown;
    provider?: unknown;
    dependencies?: unknown;
    propertyDependencies?: unknown;
}

/** A resource read from a file, before its provider reference is resolved. */
export interface Entry {
    urn: string;
    type: string;
    props: Record<string, unknown>;
    state: ResourceV3;
}


/**
 * A URN's logical name: everything after its third `::` (names may contain `:`), per
 * `resource.URN.Name()` in sdk/go/common/resource/urn.go. Undefined when it is no URN.
 */
export function urnName(urn: string): string | undefined {
    const parts = urn.split("::");
    return urn.startsWith("urn:pulumi:") && parts.length >= 4 ? parts.slice(3).join("::") : undefined;
}

/** `urn::id` provider references → the provider's URN (the ID never contains `::`). */
export function providerUrn(ref: unknown): string | undefined {
    if (typeof ref !== "string" || ref === "") {
        return undefined;
    }
    const cut = ref.lastIndexOf("::");
    return cut > 0 ? ref.slice(0, cut) : ref;
}

function urnList(v: unknown): string[] {
    return Array.isArray(v) ? v.filter((u): u is string => typeof u === "string") : [];
}

function propertyDependencies(v: unknown): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    if (isRecord(v)) {
        for (const [k, list] of Object.entries(v)) {
            out[k] = urnList(list);
        }
    }
    return out;
}

const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/**
 * Export secrets (sdk/go/common/resource/stack/secrets.go, deployment.go): `{sig, ciphertext}`
 * becomes the mask the pack reads as a secret it cannot see; `{sig, plaintext: "<JSON text>"}`
 * (`--show-secrets`) its value. Bad JSON text is an input error naming where it is.
 */
export function revealSecrets(v: unknown, where: () => string, path = ""): unknown {
    if (Array.isArray(v)) {
        return v.map((e, i) => revealSecrets(e, where, `${path}[${i}]`));
    }
    if (!isRecord(v)) {
        return v;
    }
    if (v[SIG_KEY] === SECRET_SIG) {
        if (typeof v.plaintext === "string") {
            let parsed: unknown;
            try {
                parsed = JSON.parse(v.plaintext);
            } catch {
                throw new InputError(`${where()}: the secret at ${path || "(top)"} has plaintext that is not JSON text (${quote(v.plaintext)})`);
            }
            return revealSecrets(parsed, where, path);
        }
        return "value" in v ? revealSecrets(v.value, where, path) : SECRET_MASK;
    }
    const out: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(v)) {
        out[k] = revealSecrets(e, where, path ? `${path}.${k}` : k);
    }
    return out;
}

/**
 * `over` laid on `base`: objects merge key by key, arrays of the same length element by element,
 * anything else is `over`'s. So a planned input never hides the richer output beside it (the
 * `privateIPAddress` an output adds to an input's `ipConfigurations[0]`).
 */
export function layer(base: unknown, over: unknown): unknown {
    if (over === undefined) {
        return base;
    }
    if (isRecord(base) && isRecord(over)) {
        const out: Record<string, unknown> = { ...base };
        for (const [k, v] of Object.entries(over)) {
            out[k] = layer(base[k], v);
        }
        return out;
    }
    if (Array.isArray(base) && Array.isArray(over) && base.length === over.length) {
        return over.map((v, i) => layer(base[i], v));
    }
    return over;
}

export function objectOr(v: unknown): Record<string, unknown> {
    return isRecord(v) ? v : {};
}

/** A resource read from a file or recorded from a program: its provider named by URN, not yet resolved. */
export interface StackEntry {
    urn: string;
    type: string;
    name: string;
    props: Record<string, unknown>;
    parent?: string;
    /** The provider resource's URN. */
    provider?: string;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
}

/** A file's entry with its state's references read. */
export function stackEntry(e: Entry): StackEntry {
    const s = e.state;
    return {
        urn: e.urn,
        type: e.type,
        name: urnName(e.urn) ?? e.urn,
        props: e.props,
        parent: typeof s.parent === "string" && s.parent !== "" ? s.parent : undefined,
        provider: providerUrn(s.provider),
        dependencies: urnList(s.dependencies),
        propertyDependencies: propertyDependencies(s.propertyDependencies),
    };
}

/** The policies' inputs: each entry with its provider resolved against the other entries. */
export function toResourceInputs(entries: readonly StackEntry[]): ResourceInput[] {
    const byUrn = new Map(entries.map(e => [e.urn, e]));
    return entries.map(e => {
        const { provider, ...input } = e;
        if (!provider) {
            return input;
        }
        const prov = byUrn.get(provider);
        return {
            ...input,
            provider: {
                urn: provider,
                type: prov?.type ?? `pulumi:providers:${provider.split("::pulumi:providers:")[1]?.split("::")[0] ?? ""}`,
                name: prov?.name ?? urnName(provider) ?? provider,
                props: prov?.props ?? {},
            },
        };
    });
}
