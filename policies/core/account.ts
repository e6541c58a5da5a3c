// Databricks account-level resources (network policies, network connectivity configurations)
// and how they point at workspaces: by the numeric Databricks workspace ID, an output of the
// Azure workspace resource (known after apply, resolved through dependencies at preview).

import { Ref, StackModel, StackResource } from "./stack";
import { Kind } from "./types";
import { known, read, readString, Read } from "./values";
import { WorkspaceView } from "./workspace";

/** Account-level kinds that configure serverless networking. */
export const ACCOUNT_NETWORK_KINDS: readonly Kind[] = [
    "accountNetworkPolicy", "workspaceNetworkOption", "ncc", "nccBinding", "nccPrivateEndpointRule",
];

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

/** The workspace a resource's `prop` (a Databricks workspace ID) points at. */
export function workspaceRef(model: StackModel, res: StackResource, prop = "workspaceId"): Ref {
    return model.resolve(res, prop, readId(res.props, prop), ["workspace"]);
}

/**
 * Whether `res.prop` names this workspace. A known ID that names no workspace of the stack means
 * another workspace only when this workspace's own ID is known too; otherwise it stays open.
 */
export function pointsAt(model: StackModel, res: StackResource, ws: WorkspaceView, prop = "workspaceId"): Read<boolean> {
    const ref = workspaceRef(model, res, prop);
    switch (ref.state) {
        case "resolved":
            return known(ref.target === ws.res);
        case "absent":
            return known(false);
        case "external": {
            const own = readId(ws.res.props, "workspaceId");
            return own.state === "known" ? known(false) : { state: "unknown", path: `${res.name}.${prop}` };
        }
        default:
            return ref.candidates.length === 0 || ref.candidates.includes(ws.res)
                ? { state: "unknown", path: `${res.name}.${prop}` }
                : known(false);
    }
}

/** Azure region names compared the way Azure does: `West Europe` = `westeurope`. */
export function sameRegion(a: string, b: string): boolean {
    const norm = (s: string) => s.toLowerCase().replace(/[\s_-]/g, "");
    return norm(a) === norm(b);
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
    const out: NccBindingView[] = [];
    const open: StackResource[] = [];
    for (const b of model.ofKind("nccBinding")) {
        const p = pointsAt(model, b, ws);
        if (p.state === "known" && p.value) {
            out.push({ binding: b, ncc: nccRef(model, b) });
        } else if (p.state === "unknown") {
            open.push(b);
        }
    }
    return { known: out, open };
}

/** Whether an NCC private endpoint rule belongs to this NCC: yes, no, or unknown. */
export function ruleOf(model: StackModel, rule: StackResource, ncc: StackResource): Read<boolean> {
    const ref = nccRef(model, rule);
    if (ref.state === "resolved") {
        return known(ref.target === ncc);
    }
    if (ref.state === "unknown") {
        return ref.candidates.length === 0 || ref.candidates.includes(ncc) ? { state: "unknown", path: `${rule.name}.networkConnectivityConfigId` } : known(false);
    }
    return known(false);
}

/** The NCC's region. */
export function nccRegion(ncc: StackResource): Read<string> {
    return readString(ncc.props, "region");
}
