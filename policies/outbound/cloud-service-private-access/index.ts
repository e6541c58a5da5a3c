// Private endpoints for cloud service access: the Hardened connectivity description (prose only,
// no row in the feature matrix) adds private access to the cloud services the workspace uses.
// For Azure that is storage: reached over private endpoints or service endpoints, closed to the
// public (firewall default Deny or public network access disabled), and the workspace's own
// default (DBFS root) storage behind its firewall.

import { collapseFindings, FeatureModule, Finding, listed, workspaceFinding } from "../../core/rules/contract";
import { StackModel } from "../../core/model/stack";
import { allowsWorkspaceSubnets, endpointsTo, storageSubject, storageUsedBy, StorageView, judgeWorkspacesAndStorage, unlinkedStorage } from "../../core/rules/storage";
import { readBool, readString, Read, known, whyUnknown } from "../../core/model/values";
import { describe, WorkspaceView } from "../../core/azure/workspace";
import { endpointSnippet } from "../../core/rules/snippets";

const FIREWALL_CODE = 'defaultStorageFirewall: "Enabled"';
const CONNECTOR_CODE = 'accessConnector: { id: connector.id, identityType: "SystemAssigned" }';
const CLOSED_CODE = 'publicNetworkAccess: "Disabled"';
const DENY_CODE = 'networkRuleSet: { defaultAction: "Deny" }';
const ENDPOINT_CODE = endpointSnippet("azure-native", "blob", "peSubnet", "storage.id", "blob");

const FIX_DEFAULT = `set \`${FIREWALL_CODE}\` with \`${CONNECTOR_CODE}\` (classic: \`defaultStorageFirewallEnabled: true\`, \`accessConnectorId\`)`;
const FIX_STORAGE = `close the account to the public (\`${CLOSED_CODE}\` or \`${DENY_CODE}\`; classic: \`publicNetworkAccessEnabled: false\` or \`networkRules: { defaultAction: "Deny" }\`) and reach it through a private endpoint: \`${ENDPOINT_CODE}\``;

export const cloudServicePrivateAccess: FeatureModule = {
    id: "cloud-service-private-access",
    description: "Storage that an Azure Databricks workspace uses is reached privately: the workspace's default storage firewall is enabled, and each storage account is closed to the public (default action Deny or public access disabled) and reached over a private or service endpoint.",
    severity: "high",
    url: "https://learn.microsoft.com/azure/databricks/security/network/storage/firewall-support",
    remediationSteps: [
        "Enable the workspace's default storage firewall and reach storage privately:",
        "",
        `    const ws = new azure_native.databricks.Workspace("ws", { /* … */ ${FIREWALL_CODE}, ${CONNECTOR_CODE} });`,
        `    const storage = new azure_native.storage.StorageAccount("data", { /* … */ ${CLOSED_CODE}, ${DENY_CODE} });`,
        `    ${ENDPOINT_CODE}; // and "dfs" for ADLS Gen2`,
        "",
        "A service endpoint (Microsoft.Storage on the Databricks subnets plus a VNet rule on the account) is the alternative to a private endpoint.",
    ].join("\n"),
    evaluate: ctx => {
        const judged = judgeWorkspacesAndStorage(ctx, (ws, count) => judge(ctx.model, ws, count, ctx.workspaceStorageAccounts), s => judgeStorage(ctx.model, undefined, s));
        const unlinked = unlinkedStorage(ctx.model, ctx.workspaceStorageAccounts);
        if (Array.isArray(judged) && unlinked.length > 0) {
            // Said once, so that a reader knows why those accounts got no verdict.
            judged.push({ status: "note", found: `storage ${listed(unlinked.map(describe))} has no link to a Databricks workspace of this stack (default storage, access connector, external location, NCC rule, network policy destination, or an endpoint from the workspace's VNet), so this pack does not judge it (name it in workspaceStorageAccounts if a workspace uses it)` });
        }
        return judged;
    },
};

function defaultFirewall(ws: WorkspaceView): Read<boolean> {
    if (ws.family === "azure") {
        return readBool(ws.res.props, "defaultStorageFirewallEnabled");
    }
    const v = readString(ws.res.props, "defaultStorageFirewall");
    return v.state === "known" ? known(v.value.toLowerCase() === "enabled") : v;
}

function judge(model: StackModel, ws: WorkspaceView, count: number, configured: readonly string[] = []): Finding[] {
    const out: Finding[] = [];
    const field = ws.family === "azure" ? "defaultStorageFirewallEnabled" : "defaultStorageFirewall";
    if (!(ws.serverless.state === "known" && ws.serverless.value)) {
        const fw = defaultFirewall(ws);
        if (fw.state === "unknown") {
            out.push(workspaceFinding(ws, "unverified", `${field} is ${whyUnknown(fw)}`, { missing: "the workspace's default storage firewall enabled" }));
        } else if (fw.state === "absent" || !fw.value) {
            out.push(workspaceFinding(ws, "fail", fw.state === "absent"
                ? `${field} is not set (the default storage account accepts public access)`
                : `${field} is ${ws.family === "azure" ? "false" : "\"Disabled\""} (the default storage account accepts public access)`, {
                missing: "the workspace's default storage firewall enabled",
                fix: FIX_DEFAULT,
            }));
        } else {
            out.push(workspaceFinding(ws, "pass", "the default storage firewall is enabled"));
        }
    }
    for (const s of storageUsedBy(model, ws, count, configured)) {
        out.push(judgeStorage(model, ws, s));
    }
    return collapseFindings(ws, out, out.length > 0 ? undefined : "no storage of this workspace is declared in this stack");
}

/** Judges a storage account for a workspace, or for the stack (`ws` undefined: used by no VNet of it). */
function judgeStorage(model: StackModel, ws: WorkspaceView | undefined, s: StorageView): Finding {
    const name = describe(s.res);
    const say = storageSubject(ws, s);
    const closed = s.publicDisabled.state === "known" && s.publicDisabled.value || s.deny.state === "known" && s.deny.value;
    if (!closed) {
        if (s.publicDisabled.state === "unknown" || s.deny.state === "unknown") {
            return say("unverified", `storage ${name}: its public network access or firewall default action is ${whyUnknown(s.publicDisabled, s.deny)}`, {
                missing: "public network access disabled or firewall default action Deny",
            });
        }
        return say("fail", `storage ${name} accepts public traffic (public network access enabled, firewall default action Allow)`, {
            missing: "public network access disabled or firewall default action Deny",
            fix: FIX_STORAGE,
        });
    }
    const pes = endpointsTo(model, s.res);
    if (pes.length > 0) {
        return say("pass", `storage ${name} is closed to the public and reached by private endpoint ${listed(pes.map(describe))}`);
    }
    const viaSubnets = ws ? allowsWorkspaceSubnets(model, s, ws) : known(false);
    if (viaSubnets.state === "known" && viaSubnets.value) {
        return say("pass", `storage ${name} is closed to the public and allows the workspace's host and container subnets (service endpoint)`);
    }
    if (viaSubnets.state === "unknown") {
        return say("unverified", `storage ${name} is closed to the public; whether its VNet rules allow the workspace's subnets is ${whyUnknown(viaSubnets)}`, {
            missing: "a private endpoint to it, or a VNet rule (service endpoint) for the workspace's subnets",
        });
    }
    return say("fail", `storage ${name} is closed to the public but no private endpoint in this stack targets it and its VNet rules do not allow both of the workspace's subnets`, {
        missing: "a private endpoint to it (or a service endpoint and VNet rule for the workspace's subnets)",
        fix: FIX_STORAGE,
        reason: "missing",
    });
}
