// Databricks account-level resources (network policies, network connectivity configurations)
// and how they point at workspaces: by the numeric Databricks workspace ID, an output of the
// Azure workspace resource (known after apply, resolved through dependencies at preview).

import { push, Ref, StackModel, StackResource } from "../model/stack";
import { Kind } from "../model/types";
import { known, read, readString, Read } from "../model/values";
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
    external: StackResource[];
    position: Map<StackResource, number>;
}

/** Resources of `kind` by what their `prop` reference resolves to (`targetKind`), once per stack. */
function pointerIndex(model: StackModel, kind: Kind, prop: string, targetKind: Kind): PointerIndex {
    return model.memo(`account:pointers:${kind}:${prop}`, () => {
        const index: PointerIndex = { resolved: new Map(), candidates: new Map(), anywhere: [], external: [], position: new Map() };
        model.ofKind(kind).forEach((r, i) => {
            index.position.set(r, i);
            const ref = model.resolve(r, prop, readId(r.props, prop), [targetKind]);
            if (ref.state === "resolved") {
                push(index.resolved, ref.target, r);
            } else if (ref.state === "external") {
                index.external.push(r);
            } else if (ref.state === "unknown") {
                if (ref.candidates.length === 0) {
                    index.anywhere.push(r);
                }
                ref.candidates.forEach(c => push(index.candidates, c, r));
            }
        });
        return index;
    });
}

/**
 * Resources of `kind` whose `prop` names `target` (`mine`) or may (`open`: a value unseen, or an
 * ID outside the stack while `targetIdKnown` is false), in stack order: the same answers as
 * a per-resource check, without visiting every resource for every target.
 */
export function pointersTo(model: StackModel, kind: Kind, prop: string, targetKind: Kind, target: StackResource,
    targetIdKnown: boolean): { mine: StackResource[]; open: StackResource[] } {
    const index = pointerIndex(model, kind, prop, targetKind);
    // Kept per target: where copies share an ID, every workspace asks about the same target, whose
    // lists then hold a resource per copy.
    const answers = model.memo(`account:pointers-to:${kind}:${prop}:${targetKind}:${targetIdKnown}`,
        () => new Map<StackResource, { mine: StackResource[]; open: StackResource[] }>());
    const known = answers.get(target);
    if (known !== undefined) {
        return { mine: [...known.mine], open: [...known.open] };
    }
    const order = (list: StackResource[]) => [...new Set(list)].sort((a, b) => (index.position.get(a) ?? 0) - (index.position.get(b) ?? 0));
    const answer = {
        mine: order(index.resolved.get(target) ?? []),
        open: order([...index.anywhere, ...(index.candidates.get(target) ?? []), ...(targetIdKnown ? [] : index.external)]),
    };
    answers.set(target, answer);
    return { mine: [...answer.mine], open: [...answer.open] };
}

/** Resources of `kind` whose `workspaceId` names this workspace, or may. */
export function pointersToWorkspace(model: StackModel, kind: Kind, ws: WorkspaceView): { mine: StackResource[]; open: StackResource[] } {
    return pointersTo(model, kind, "workspaceId", "workspace", ws.res, readId(ws.res.props, "workspaceId").state === "known");
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
export function nccBindingsOf(model: StackModel, ws: WorkspaceView): { known: NccBindingView[]; open: StackResource[] } {
    const { mine, open } = pointersToWorkspace(model, "nccBinding", ws);
    return { known: mine.map(b => ({ binding: b, ncc: nccRef(model, b) })), open };
}

/** The private endpoint rules of this NCC (`mine`), and those that may belong to it (`open`). */
export function rulesOf(model: StackModel, ncc: StackResource): { mine: StackResource[]; open: StackResource[] } {
    // An NCC ID outside the stack never names this NCC (ruleOf: external is "no").
    return pointersTo(model, "nccPrivateEndpointRule", "networkConnectivityConfigId", "ncc", ncc, true);
}

/** The NCC's region. */
export function nccRegion(ncc: StackResource): Read<string> {
    return readString(ncc.props, "region");
}
