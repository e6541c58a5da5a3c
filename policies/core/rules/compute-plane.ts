// Classic compute features apply only to workspaces with a classic compute plane: a serverless-only
// workspace (`computeMode: "Serverless"`) has no VNet, no cluster nodes and no back-end endpoint.
// Every classic feature decides this the same way, in stack and resource policies alike.

import { FeatureContext, Finding, NotApplicable, workspaceFinding } from "./contract";
import { WorkspaceView } from "../azure/workspace";
import { unseenReason, whyUnknown } from "../model/values";

const NO_CLASSIC_PLANE = "serverless-only workspace (computeMode \"Serverless\"): no classic compute plane";

function serverless(ws: WorkspaceView): boolean {
    return ws.serverless.state === "known" && ws.serverless.value;
}

/**
 * A classic feature's stack rule: not applicable when every workspace is serverless-only; each
 * serverless workspace passes as not applicable; an unknown compute mode waits until it is known.
 */
export function classicWorkspaces(ctx: FeatureContext, judge: (ws: WorkspaceView) => Finding[]): Finding[] | NotApplicable {
    if (ctx.workspaces.length > 0 && ctx.workspaces.every(serverless)) {
        return { notApplicable: `every workspace in this stack is a ${NO_CLASSIC_PLANE}` };
    }
    return ctx.workspaces.flatMap(ws => {
        if (serverless(ws)) {
            return [workspaceFinding(ws, "pass", `not applicable: ${NO_CLASSIC_PLANE}`)];
        }
        if (ws.serverless.state === "unknown") {
            return [workspaceFinding(ws, "unverified", `computeMode is ${whyUnknown(ws.serverless)}: the classic compute checks apply once it is read as not "Serverless"`, {
                reason: unseenReason(ws.serverless), missing: "a known computeMode (a Hybrid workspace is judged as classic)",
            })];
        }
        return judge(ws);
    });
}

/** A classic feature's resource check: only a workspace known to have a classic plane is judged on its own inputs. */
export function classicWorkspace(ws: WorkspaceView, check: (ws: WorkspaceView) => Finding[]): Finding[] {
    return ws.serverless.state === "known" && !ws.serverless.value ? check(ws) : [];
}
