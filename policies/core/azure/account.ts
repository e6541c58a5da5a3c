// Databricks account-level resources (network policies, network connectivity configurations)
// and how they point at workspaces: by the numeric Databricks workspace ID, an output of the
// Azure workspace resource (known after apply, resolved through dependencies at preview).

import { push, Ref, ResourceView, StackIndex, StackModel, StackResource } from "../model/stack";
import { Kind } from "../model/types";
import { known, read, readString, Read, Unseen } from "../model/values";
import { WorkspaceView } from "./workspace";
import { regionKey } from "./databricks";

/** Whether the stack declares any of these kinds. */
export function hasAny(model: StackModel, kinds: readonly Kind[]): boolean {
    return kinds.some(k => model.ofKind(k).length > 0);
}

/** A string or numeric ID input, as a string. */
export function readId(obj: unknown, ...path: string[]): Read<string> {
    const r = read(obj, ...path);
    if (r.state !== "known") {
        return r;
    }
    return typeof r.value === "string" || typeof r.value === "number" ? known(String(r.value)) : { state: "absent" };
}

interface PointerIndex {
    resolved: Map<StackResource, StackResource[]>;
    candidates: Map<StackResource, StackResource[]>;
    /** Unknown with no candidate: may point at anything. */
    anywhere: StackResource[];
    /** A known ID outside the stack. */
    outside: StackResource[];
    position: Map<StackResource, number>;
}

/**
 * A reference from resources of one kind to another (a binding's `workspaceId`, a rule's NCC): the
 * resources of `kind` indexed once per stack by what their `prop` resolves to, and per target the
 * resources that name it (`mine`) or may (`open`: a value unseen, or an ID outside the stack while
 * the target's own ID is not known).
 */
/** The resources that name a target (`mine`), and those that may (`open`), in stack order. */
export interface Pointing {
    readonly mine: readonly StackResource[];
    readonly open: readonly StackResource[];
    /** What left each `open` link unseen: its own value, or the target's ID (for an ID outside the stack). */
    readonly unseen: readonly Unseen[];
}

class Pointer {
    private readonly byTarget: StackIndex<PointerIndex>;
    private readonly answers: ResourceView<Pointing>;

    /** `targetId`: the ID a target is named by, where an ID outside the stack may yet be it (none: it never is). */
    constructor(readonly kind: Kind, readonly prop: string, readonly targetKind: Kind, targetId?: (target: StackResource) => Read<string>) {
        this.byTarget = { name: `${kind} by ${prop}`, build: model => this.build(model) };
        // Kept per target: where copies share an ID, every workspace asks about the same target,
        // whose lists then hold a resource per copy.
        this.answers = {
            name: `${kind} naming a ${targetKind}`,
            build: (model, target) => {
                const index = model.index(this.byTarget);
                const order = (list: StackResource[]) => [...new Set(list)].sort((a, b) => (index.position.get(a) ?? 0) - (index.position.get(b) ?? 0));
                const id = targetId?.(target);
                const open = order([...index.anywhere, ...(index.candidates.get(target) ?? []), ...(id && id.state !== "known" ? index.outside : [])]);
                return {
                    mine: order(index.resolved.get(target) ?? []),
                    open,
                    unseen: open.map(r => {
                        const own = readId(r.props, this.prop);
                        return own.state === "unknown" || !id ? own : id;
                    }),
                };
            },
        };
    }

    private build(model: StackModel): PointerIndex {
        const index: PointerIndex = { resolved: new Map(), candidates: new Map(), anywhere: [], outside: [], position: new Map() };
        model.ofKind(this.kind).forEach((r, i) => {
            index.position.set(r, i);
            const ref = model.resolve(r, this.prop, readId(r.props, this.prop), [this.targetKind]);
            if (ref.state === "resolved") {
                push(index.resolved, ref.target, r);
            } else if (ref.state === "outside") {
                index.outside.push(r);
            } else if (ref.state === "unknown") {
                if (ref.candidates.length === 0) {
                    index.anywhere.push(r);
                }
                ref.candidates.forEach(c => push(index.candidates, c, r));
            }
        });
        return index;
    }

    /** The resources that name `target`, and those that may, in stack order. */
    to(model: StackModel, target: StackResource): Pointing {
        return model.view(this.answers, target);
    }
}

const workspaceId = (ws: StackResource) => readId(ws.props, "workspaceId");
const BINDINGS = new Pointer("nccBinding", "workspaceId", "workspace", workspaceId);
const NETWORK_OPTIONS = new Pointer("workspaceNetworkOption", "workspaceId", "workspace", workspaceId);
// An NCC ID outside the stack never names this NCC (ruleOf: outside is "no").
const NCC_RULES = new Pointer("nccPrivateEndpointRule", "networkConnectivityConfigId", "ncc");

/** The network options that name this workspace (`mine`), or may (`open`). */
export function networkOptionsOf(model: StackModel, ws: WorkspaceView): Pointing {
    return NETWORK_OPTIONS.to(model, ws.res);
}

/** Azure region names compared the way Azure does: `West Europe` = `westeurope`. */
export function sameRegion(a: string, b: string): boolean {
    return regionKey(known(a)) === regionKey(known(b));
}

/** The NCC a resource's `networkConnectivityConfigId` points at. */
export function nccRef(model: StackModel, res: StackResource): Ref {
    return model.resolve(res, "networkConnectivityConfigId", readId(res.props, "networkConnectivityConfigId"), ["ncc"]);
}

export interface NccBindingView {
    binding: StackResource;
    ncc: Ref;
}

/** The NCC bindings that bind this workspace (`known`) or may bind it (`open`, a value unseen). */
export function nccBindingsOf(model: StackModel, ws: WorkspaceView): { known: NccBindingView[]; open: readonly StackResource[]; unseen: readonly Unseen[] } {
    const { mine, open, unseen } = BINDINGS.to(model, ws.res);
    return { known: mine.map(b => ({ binding: b, ncc: nccRef(model, b) })), open, unseen };
}

/** The private endpoint rules of this NCC (`mine`), and those that may belong to it (`open`). */
export function rulesOf(model: StackModel, ncc: StackResource): Pointing {
    return NCC_RULES.to(model, ncc);
}

/** The NCC's region. */
export function nccRegion(ncc: StackResource): Read<string> {
    return readString(ncc.props, "region");
}
