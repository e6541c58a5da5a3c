// The stack as a graph: resources indexed by kind and identity, and references between them
// resolved by ID when known and through (property) dependencies when not.

import { armKeyOf, makeArmKey, parseArmId, ArmId } from "./arm";
import { armShape, classify, Kind, TypeInfo } from "./types";
import { isRecord, plain, read, readString, Read, secretMark, UNSEEN } from "./values";

type UrnLike = string | { urn: string };

/** What a stack resource looks like to the model: a PolicyResource fits, and so does an export. */
export interface ResourceInput {
    urn: string;
    type: string;
    name: string;
    props: unknown;
    parent?: UrnLike;
    dependencies?: readonly UrnLike[];
    propertyDependencies?: Readonly<Record<string, readonly UrnLike[]>>;
    provider?: { type: string; urn: string; name: string; props: unknown };
}

/**
 * A resource's properties as AnalyzeStack should read them. At preview the engine hands back an
 * empty property map for a resource whose provider's configuration is not known yet (a provider
 * configured from a new workspace's URL): `Create` with `preview` returns no properties when the
 * configuration is unknown (sdk/go/common/resource/plugin/provider_plugin.go), and AnalyzeStack
 * sends a resource's outputs (pkg/resource/deploy/step_generator.go, AnalyzeResources). Such a
 * resource reads as `inputs`, what the same run's Analyze saw the program declare (as a preview
 * reads any new resource of a provider that does not preview); without them, every property is
 * unknown, never absent.
 */
export function stackProps(type: string, props: unknown, inputs?: () => unknown): unknown {
    const own = plain(props);
    if (classify(type) === undefined || !isRecord(own) || Object.keys(own).length > 0) {
        return props;
    }
    // Read only here: the inputs of every other resource are never needed.
    const declared = plain(inputs?.());
    return isRecord(declared) ? declared : { [UNSEEN]: true };
}

export interface StackResource {
    urn: string;
    type: string;
    name: string;
    info?: TypeInfo;
    kind?: Kind;
    /** Plain properties (never a throwing proxy). */
    props: Record<string, unknown>;
    parentUrn?: string;
    dependencyUrns: readonly string[];
    propertyDependencyUrns: Readonly<Record<string, readonly string[]>>;
    providerUrn?: string;
    providerType?: string;
    /** Version of the provider plugin that manages the resource, when the engine says. */
    providerVersion?: string;
    /** Identity keys: ARM keys (`arm:` + key) and plain IDs (`id:` + value), lower-case. */
    keys: string[];
}

/** What a reference leads to (glossary: docs/internals.md, "Words"). */
export type Ref =
    /** A resource of this stack, found by its ID or through the dependencies. */
    | { state: "resolved"; target: StackResource; via: "id" | "dependency" }
    /** A known ID that names nothing in this stack. */
    | { state: "outside"; id: string; arm?: ArmId }
    /** Unknown until apply (or secret), the dependencies singling out no resource. */
    | { state: "unknown"; path: string; candidates: StackResource[]; secret?: true }
    /** Not set. */
    | { state: "absent" };

function urnOf(u: UrnLike | undefined): string | undefined {
    if (u === undefined || u === null) {
        return undefined;
    }
    return typeof u === "string" ? u : typeof u.urn === "string" ? u.urn : undefined;
}

/** Whether `list` is already an array of non-empty URN strings. */
function isUrnList(list: unknown): boolean {
    return Array.isArray(list) && list.every(u => typeof u === "string" && u !== "");
}

function urnsOf(list: readonly UrnLike[] | undefined): readonly string[] {
    if (!Array.isArray(list)) {
        return [];
    }
    if (isUrnList(list)) {
        // Already plain URNs (the engine path): no copy.
        return list as readonly string[];
    }
    const out: string[] = [];
    for (const u of list) {
        const s = urnOf(u);
        if (s) {
            out.push(s);
        }
    }
    return out;
}

const PROVIDER_URN_TYPE = /::pulumi:providers:([A-Za-z0-9-]+)::/;

/** `lookupId`'s answers for one ID: its key, the answer for the first kinds asked, any others. */
interface IdAnswers {
    key: string;
    kinds?: string;
    hits?: readonly StackResource[];
    more?: Map<string, readonly StackResource[]>;
}

/**
 * A lookup over the whole stack (resources by name, routes by table…), declared once beside the
 * reading it serves. The model builds it on first use and keeps it for its own lifetime, so rules
 * and readers hold no caches of their own.
 */
export interface StackIndex<T> {
    /** What it answers, for readers of the code and of profiles. */
    readonly name: string;
    build(model: StackModel): T;
}

/** What one resource means to the features (a workspace's subnets, an endpoint's targets…), read once per model. */
export interface ResourceView<T> {
    readonly name: string;
    build(model: StackModel, r: StackResource): T;
}

export class StackModel {
    readonly resources: StackResource[];
    private readonly byUrn = new Map<string, StackResource>();
    private readonly byKind = new Map<Kind, StackResource[]>();
    private readonly byKey = new Map<string, StackResource[]>();
    private readonly indexes = new Map<StackIndex<unknown>, unknown>();
    private readonly views = new Map<ResourceView<unknown>, Map<StackResource, unknown>>();
    /**
     * What `lookupId` found per ID: one entry per ID however many kinds it is asked for (most IDs
     * are asked for with one), so a question costs one probe of one large map.
     */
    private readonly lookups = new Map<string, IdAnswers>();

    constructor(inputs: readonly ResourceInput[]) {
        this.resources = inputs.map(toStackResource);
        for (const r of this.resources) {
            this.byUrn.set(r.urn, r);
            if (r.kind) {
                push(this.byKind, r.kind, r);
            }
            for (const k of r.keys) {
                push(this.byKey, k, r);
            }
        }
    }

    /** A lookup over the whole stack, built on first use and kept with the model. */
    index<T>(ix: StackIndex<T>): T {
        if (!this.indexes.has(ix)) {
            this.indexes.set(ix, ix.build(this));
        }
        return this.indexes.get(ix) as T;
    }

    /** What a view makes of one resource, built on first use and kept with the model. */
    view<T>(v: ResourceView<T>, r: StackResource): T {
        let byResource = this.views.get(v) as Map<StackResource, T> | undefined;
        if (byResource === undefined) {
            byResource = new Map();
            this.views.set(v, byResource);
        }
        if (!byResource.has(r)) {
            byResource.set(r, v.build(this, r));
        }
        return byResource.get(r) as T;
    }

    /** Resources that depend on `r` (through any input). */
    dependentsOf(r: StackResource, kinds?: readonly Kind[]): StackResource[] {
        const list = this.index(DEPENDENTS).get(r.urn) ?? [];
        return kinds ? list.filter(d => d.kind !== undefined && kinds.includes(d.kind)) : list;
    }

    ofKind(kind: Kind): StackResource[] {
        return this.byKind.get(kind) ?? [];
    }

    get(urn: string | undefined): StackResource | undefined {
        return urn === undefined ? undefined : this.byUrn.get(urn);
    }

    /**
     * Resources of the given kinds known by this ID (ARM ID in any letter case, or a plain ID). The
     * answer is kept per ID and kinds: copies of a stack share IDs, so one key's list can hold a
     * resource per copy, and each copy asks for the same ID again. Callers must not modify it.
     */
    lookupId(id: string, kinds: readonly Kind[]): readonly StackResource[] {
        const kindsKey = kinds.length === 1 ? kinds[0] : kinds.join(",");
        let entry = this.lookups.get(id);
        if (entry === undefined) {
            entry = { key: idKey(id) };
            this.lookups.set(id, entry);
        } else if (entry.kinds === kindsKey) {
            return entry.hits as readonly StackResource[];
        } else {
            const known = entry.more?.get(kindsKey);
            if (known !== undefined) {
                return known;
            }
        }
        // Each resource is listed once under a key.
        const hits = (this.byKey.get(entry.key) ?? []).filter(r => r.kind !== undefined && kinds.includes(r.kind));
        if (entry.kinds === undefined) {
            entry.kinds = kindsKey;
            entry.hits = hits;
        } else {
            (entry.more ??= new Map()).set(kindsKey, hits);
        }
        return hits;
    }

    /**
     * Resolves a reference held in `from`'s top-level input `prop` (whose value is `value`) to a
     * resource of one of `kinds`. A known ID is looked up in the stack (else it is outside); an
     * unknown one is resolved through the property's dependencies, then the resource's.
     */
    resolve(from: StackResource, prop: string, value: Read<string>, kinds: readonly Kind[]): Ref {
        if (value.state === "absent") {
            return { state: "absent" };
        }
        if (value.state === "known") {
            const hits = this.lookupId(value.value, kinds);
            if (hits.length >= 1) {
                return { state: "resolved", target: hits[0], via: "id" };
            }
            return { state: "outside", id: value.value, arm: parseArmId(value.value) };
        }
        const candidates = this.dependencyCandidates(from, prop, kinds);
        if (candidates.length === 1) {
            return { state: "resolved", target: candidates[0], via: "dependency" };
        }
        return { state: "unknown", path: value.path, candidates, ...secretMark(value) };
    }

    /** The resources of `kinds` that `from`'s input `prop` depends on (all its dependencies if the engine gave none per property). */
    dependencyCandidates(from: StackResource, prop: string, kinds: readonly Kind[]): StackResource[] {
        const perProp = from.propertyDependencyUrns[prop];
        const urns = perProp !== undefined && perProp.length > 0 ? perProp : from.dependencyUrns;
        const out: StackResource[] = [];
        for (const u of urns) {
            const r = this.byUrn.get(u);
            if (r && r.kind !== undefined && kinds.includes(r.kind) && !out.includes(r)) {
                out.push(r);
            }
        }
        return out;
    }

    /** The provider resource (e.g. an explicit `databricks.Provider`) of `r`, if it is in the stack. */
    providerOf(r: StackResource): StackResource | undefined {
        return this.get(r.providerUrn);
    }

    /** Whether `a` depends on `b`, directly or through other resources (bounded walk). */
    dependsOn(a: StackResource, b: StackResource): boolean {
        const seen = new Set<string>();
        const stack = [a];
        while (stack.length > 0) {
            const cur = stack.pop() as StackResource;
            const next = new Set(cur.dependencyUrns);
            Object.values(cur.propertyDependencyUrns).forEach(l => l.forEach(u => next.add(u)));
            for (const u of next) {
                if (u === b.urn) {
                    return true;
                }
                if (!seen.has(u)) {
                    seen.add(u);
                    const r = this.byUrn.get(u);
                    if (r) {
                        stack.push(r);
                    }
                }
            }
        }
        return false;
    }
}

/** URN → the resources that depend on it. */
const DEPENDENTS: StackIndex<Map<string, StackResource[]>> = {
    name: "dependents by URN",
    build: model => {
        const m = new Map<string, StackResource[]>();
        const add = (u: string, r: StackResource) => {
            const list = m.get(u);
            if (list === undefined) {
                m.set(u, [r]);
            } else if (list[list.length - 1] !== r) {
                // Resources are visited in turn, so a repeat of `r` is always the last entry.
                list.push(r);
            }
        };
        for (const r of model.resources) {
            for (const u of r.dependencyUrns) {
                add(u, r);
            }
            for (const k in r.propertyDependencyUrns) {
                for (const u of r.propertyDependencyUrns[k]) {
                    add(u, r);
                }
            }
        }
        return m;
    },
};

/** Orders items by their index in a list (`position`), as the list had them. */
export function byPosition<T>(position: ReadonlyMap<T, number>): (a: T, b: T) => number {
    return (a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0);
}

/** Appends to the list under `k` (a multimap), creating it on first use. */
export function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
    const list = m.get(k);
    if (list) {
        list.push(v);
    } else {
        m.set(k, [v]);
    }
}

/**
 * The key under which an ID string can be found: its ARM key when it is an ARM ID, else the plain
 * ID in lower case. One key, not both: two ARM IDs equal in lower case have the same ARM key, so a
 * plain key beside it would find nothing more and cost a map entry per resource.
 */
export function idKey(id: string): string {
    const arm = armKeyOf(id);
    return arm ? `arm:${arm}` : `id:${id.toLowerCase()}`;
}

function toStackResource(input: ResourceInput): StackResource {
    const info = classify(input.type);
    const rawProps = plain(input.props);
    const props = (rawProps !== null && typeof rawProps === "object" ? rawProps : {}) as Record<string, unknown>;
    let propertyDependencyUrns: Readonly<Record<string, readonly string[]>> = {};
    const pd = input.propertyDependencies;
    if (pd && typeof pd === "object") {
        if (Object.keys(pd).every(k => isUrnList(pd[k]))) {
            // Already plain URN lists (the engine path): shared, not copied.
            propertyDependencyUrns = pd as Readonly<Record<string, readonly string[]>>;
        } else {
            const out: Record<string, readonly string[]> = {};
            for (const k of Object.keys(pd)) {
                out[k] = urnsOf(pd[k]);
            }
            propertyDependencyUrns = out;
        }
    }
    const provider = input.provider;
    const providerVersion = provider ? readString(provider.props, "version") : undefined;
    const r: StackResource = {
        urn: input.urn,
        type: input.type,
        name: input.name,
        info,
        kind: info?.kind,
        props,
        parentUrn: urnOf(input.parent),
        dependencyUrns: urnsOf(input.dependencies),
        propertyDependencyUrns,
        providerUrn: provider?.urn,
        providerType: provider?.type ?? PROVIDER_URN_TYPE.exec(provider?.urn ?? "")?.[1],
        providerVersion: providerVersion?.state === "known" ? providerVersion.value : undefined,
        keys: [],
    };
    r.keys = identityKeys(r);
    return r;
}

/** Which Databricks-side identity each kind is pointed at by (a workspace URL for any kind). */
const DATABRICKS_IDENTITY: Partial<Record<Kind, string>> = {
    workspace: "workspaceId",
    ncc: "networkConnectivityConfigId",
    accountNetworkPolicy: "networkPolicyId",
};

/**
 * ID keys a resource can be referenced by, from its `id` output or its naming inputs; each key
 * once, so that a key's list in the model holds each resource once.
 */
function identityKeys(r: StackResource): string[] {
    const keys: string[] = [];
    const add = (k: string) => {
        if (!keys.includes(k)) {
            keys.push(k);
        }
    };
    const id = readString(r.props, "id");
    if (id.state === "known" && id.value !== "") {
        keys.push(idKey(id.value));
    }
    const info = r.info;
    if (!info || !r.kind) {
        return keys;
    }
    const shape = armShape(info);
    if (shape) {
        const rg = readString(r.props, "resourceGroupName");
        if (rg.state === "known") {
            const names = shape.names.map(p => readString(r.props, p));
            if (names.every(n => n.state === "known")) {
                const pairs: string[] = [];
                shape.types.forEach((t, k) => pairs.push(t, (names[k] as { value: string }).value));
                // Usually the key of the `id` output again.
                add(`arm:${makeArmKey(rg.value, shape.namespace, ...pairs)}`);
            }
        }
    }
    // Databricks-side identities that other resources use to point at this one.
    const own = DATABRICKS_IDENTITY[r.kind];
    for (const p of own === undefined ? ["workspaceUrl"] : [own, "workspaceUrl"]) {
        if (r.props[p] === undefined) {
            continue;
        }
        const v = read(r.props, p);
        if (v.state === "known" && (typeof v.value === "string" || typeof v.value === "number")) {
            add(`id:${String(v.value).toLowerCase()}`);
            if (p === "workspaceUrl") {
                add(`id:https://${String(v.value).toLowerCase()}`);
            }
        }
    }
    return keys;
}

/** The ARM key of a resource's own identity, if it has one. */
export function ownArmKey(r: StackResource): string | undefined {
    const k = r.keys.find(key => key.startsWith("arm:"));
    return k?.slice(4);
}

/** Declares a lookup over the whole stack (its type inferred from `build`). */
export function stackIndex<T>(name: string, build: (model: StackModel) => T): StackIndex<T> {
    return { name, build };
}

/** Declares what one resource means to the features (its type inferred from `build`). */
export function resourceView<T>(name: string, build: (model: StackModel, r: StackResource) => T): ResourceView<T> {
    return { name, build };
}
