// Prerequisites shared by several features, judged the same way everywhere.

import { Finding, workspaceFinding } from "./contract";
import { premium, WorkspaceView } from "../azure/workspace";
import { quote, whyUnknown } from "../model/values";

const SKU = "SKU";

/**
 * The Premium SKU prerequisite of Private Link, IP access lists and the like: a fail (not
 * attestable: the stack says otherwise) for a known non-Premium or missing SKU, unverified when
 * unknown, undefined when Premium.
 */
export function premiumPrerequisite(ws: WorkspaceView, what: string): Finding | undefined {
    const p = premium(ws);
    const field = ws.family === "azure" ? "sku" : "sku.name";
    const fix = ws.family === "azure" ? "set `sku: \"premium\"` on the azure.databricks.Workspace" : "set `sku: { name: \"premium\" }` on the workspace";
    if (p.state === "known") {
        return p.value ? undefined : workspaceFinding(ws, "fail", `the workspace SKU is ${quote(ws.sku.state === "known" ? ws.sku.value : "")}: ${what} requires the Premium SKU`, {
            missing: "SKU premium (a prerequisite)", fix, aspect: SKU,
        });
    }
    if (p.state === "unknown") {
        return workspaceFinding(ws, "unverified", `the workspace ${field} is ${whyUnknown(p)}`, { missing: `SKU premium, a prerequisite of ${what}`, aspect: SKU });
    }
    return workspaceFinding(ws, "fail", `the workspace ${field} is not set: ${what} requires the Premium SKU`, { missing: "SKU premium (a prerequisite)", fix, aspect: SKU });
}
