// Whether the NCC bound to a workspace serves the workspace's region: an NCC serves the workspaces
// of its own region only. Judged by serverless Private Link and serverless stable IPs alike.

import { nccRegion, sameRegion } from "../azure/account";
import { describe, WorkspaceView } from "../azure/workspace";
import { StackResource } from "../model/stack";
import { quote, unseenReason, whyUnknown } from "../model/values";
import { Finding, workspaceFinding } from "./contract";

/** A finding when the NCC's region is not (known to be) the workspace's; undefined when it matches. */
export function judgeRegion(ws: WorkspaceView, ncc: StackResource): Finding | undefined {
    const region = nccRegion(ncc);
    const loc = ws.location;
    if (region.state === "known" && loc.state === "known") {
        if (sameRegion(region.value, loc.value)) {
            return undefined;
        }
        return workspaceFinding(ws, "fail", `the workspace is bound to NCC ${describe(ncc)} of region ${quote(region.value)}, but the workspace is in ${quote(loc.value)}`, {
            missing: `an NCC of region ${quote(loc.value)} (an NCC serves the workspaces of its own region only)`,
            fix: `bind an NCC whose \`region\` is ${quote(loc.value)}`,
        });
    }
    if (region.state === "unknown" || loc.state === "unknown") {
        return workspaceFinding(ws, "unverified", `the region of NCC ${describe(ncc)} or of the workspace is ${whyUnknown(region, loc)}`, {
            reason: unseenReason(region, loc),
            missing: "the NCC's region equal to the workspace's",
        });
    }
    // Neither value is set: nothing here shows the NCC serves the workspace's region.
    return workspaceFinding(ws, "fail", `the region of NCC ${describe(ncc)} or of the workspace is not set in this stack`, {
        reason: "missing",
        missing: "the NCC's region equal to the workspace's",
        fix: "set the NCC's `region` to the workspace's `location`",
    });
}
