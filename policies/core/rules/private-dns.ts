// Private DNS for a workspace's Databricks private endpoints, judged one way by every feature that
// relies on it: advice (a note), since a hub stack may provide the zone.

import { DATABRICKS_DNS_ZONE } from "../azure/databricks";
import { EndpointView } from "../azure/network";
import { Finding, workspaceFinding } from "./contract";
import { stackIndex, StackModel } from "../model/stack";
import { plain, readArray, readString, readStrings, Read } from "../model/values";
import { WorkspaceView } from "../azure/workspace";

function isDatabricksZone(id: string): boolean {
    return id.replace(/\/+$/, "").split("/").pop()?.toLowerCase() === DATABRICKS_DNS_ZONE;
}

/** The stack's Databricks DNS: a zone (or one whose name is unknown), or the zone ids its zone groups reference. */
const DATABRICKS_DNS = stackIndex("the stack's Databricks private DNS", (model): "present" | Read<string[]>[] => {
    const zone = model.ofKind("privateDnsZone").some(z => {
        const n = readString(z.props, z.info?.family === "azure" ? "name" : "privateZoneName");
        return n.state !== "known" || n.value.toLowerCase() === DATABRICKS_DNS_ZONE;
    });
    if (zone) {
        return "present";
    }
    const refs: Read<string[]>[] = [];
    for (const g of model.ofKind("privateDnsZoneGroup")) {
        const configs = readArray(g.props, "privateDnsZoneConfigs");
        if (configs.state === "unknown") {
            return "present";
        }
        if (configs.state === "known") {
            for (const c of configs.value) {
                const id = readString(plain(c), "privateDnsZoneId");
                refs.push(id.state === "known" ? { state: "known", value: [id.value] } : id.state === "unknown" ? id : { state: "known", value: [] });
            }
        }
    }
    return refs;
});

/**
 * A note when neither the stack nor the endpoints `used` by the workspace reference a
 * `privatelink.azuredatabricks.net` zone: a zone of that name (or of a name unknown until apply),
 * a zone group that references one, or a classic endpoint's inline zone group that does.
 */
export function databricksDnsNote(model: StackModel, ws: WorkspaceView, used: readonly EndpointView[]): Finding[] {
    const stackDns = model.index(DATABRICKS_DNS);
    if (stackDns === "present") {
        return [];
    }
    const refs = [...stackDns];
    for (const ep of used) {
        if (ep.res.info?.family === "azure") {
            refs.push(readStrings(ep.res.props, "privateDnsZoneGroup", "privateDnsZoneIds"));
        }
    }
    if (refs.some(r => r.state === "unknown" || (r.state === "known" && r.value.some(isDatabricksZone)))) {
        return [];
    }
    return [workspaceFinding(ws, "note", `the workspace's private endpoints have no private DNS zone ${DATABRICKS_DNS_ZONE} in this stack`, {
        fix: `create the zone (or reference the hub's), link it to the VNets that resolve the workspace, and attach it to the endpoints with a PrivateDnsZoneGroup (classic: \`privateDnsZoneGroup: { name: "dbx", privateDnsZoneIds: [zone.id] }\`), or confirm that a hub stack provides it`,
    })];
}
