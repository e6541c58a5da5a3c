// Serverless stable IPs: Databricks gives serverless compute stable egress subnets (published by
// the workspace's NCC) without any configuration. A stack can break them in two ways only: bind
// the workspace to an NCC of another region, or put a storage account the workspace uses behind
// a Deny firewall that neither allows the NCC's subnets nor is reached by an NCC private endpoint.

import { nccBindingsOf } from "../../core/azure/account";
import { collapseFindings, FeatureModule, Finding, listed } from "../../core/rules/contract";
import { StackModel, StackResource } from "../../core/model/stack";
import { nccRulesTo, storageSubject, storageUsedBy, StorageView, subnetKeys, judgeWorkspacesAndStorage } from "../../core/rules/storage";
import { readStrings, whyUnknown } from "../../core/model/values";
import { describe, WorkspaceView } from "../../core/azure/workspace";
import { judgeRegion } from "../../core/rules/ncc-region";

const NCC_SUBNETS = ["egressConfig", "defaultRules", "azureServiceEndpointRule", "subnets"];

export const serverlessStableIps: FeatureModule = {
    id: "serverless-stable-ips",
    description: "Serverless compute keeps its stable egress path: the workspace's NCC is in the workspace's region, and storage accounts with a Deny firewall that the workspace uses allow the NCC's subnets or are reached through an NCC private endpoint rule.",
    severity: "medium",
    url: "https://learn.microsoft.com/azure/databricks/security/network/serverless-network-security/serverless-firewall",
    remediationSteps: [
        "Bind the workspace to an NCC of its own region, and let serverless compute through storage firewalls:",
        "",
        "    const ncc = new databricks.MwsNetworkConnectivityConfig(\"ncc\", { name: \"ncc-westeurope\", region: ws.location });",
        "    new azure_native.storage.StorageAccount(\"data\", { /* … */ networkRuleSet: {",
        "        defaultAction: \"Deny\",",
        "        virtualNetworkRules: ncc.egressConfig.apply(e => (e?.defaultRules?.azureServiceEndpointRule?.subnets ?? [])",
        "            .map(id => ({ virtualNetworkResourceId: id, action: \"Allow\" }))),",
        "    } });",
        "",
        "or add `new databricks.MwsNccPrivateEndpointRule(\"blob\", { networkConnectivityConfigId: ncc.networkConnectivityConfigId, resourceId: data.id, groupId: \"blob\" })`.",
    ].join("\n"),
    evaluate: ctx => judgeWorkspacesAndStorage(ctx, (ws, count) => judge(ctx.model, ws, count, ctx.workspaceStorageAccounts), s => judgeStorage(ctx.model, undefined, s, [])),
};

function judge(model: StackModel, ws: WorkspaceView, count: number, configured: readonly string[] = []): Finding[] {
    const out: Finding[] = [];
    const bindings = nccBindingsOf(model, ws);
    const nccs: StackResource[] = [];
    for (const b of bindings.known) {
        if (b.ncc.state === "resolved") {
            nccs.push(b.ncc.target);
            const r = judgeRegion(ws, b.ncc.target);
            if (r) {
                out.push(r);
            }
        }
    }
    for (const s of storageUsedBy(model, ws, count, configured)) {
        out.push(judgeStorage(model, ws, s, nccs));
    }
    return collapseFindings(ws, out, out.length > 0 ? undefined : "nothing in this stack blocks the stable egress path Databricks provides");
}

/** Judges a storage account for a workspace (and its NCCs), or for the stack (`ws` undefined: used by no VNet of it). */
function judgeStorage(model: StackModel, ws: WorkspaceView | undefined, s: StorageView, nccs: StackResource[]): Finding {
    const name = describe(s.res);
    const say = storageSubject(ws, s);
    if (s.deny.state === "unknown") {
        return say("unverified", `storage ${name}: its firewall default action is ${whyUnknown(s.deny)}`, {
            missing: "with a Deny firewall: the NCC's subnets allowed, or an NCC private endpoint rule to it",
        });
    }
    if (s.deny.state !== "known" || !s.deny.value) {
        return say("pass", `storage ${name} has no Deny firewall in the way`);
    }
    const rules = nccRulesTo(model, s.res);
    if (rules.length > 0) {
        return say("pass", `storage ${name} is reached by NCC private endpoint rule ${listed(rules.map(describe))}`);
    }
    // Rules fed from an NCC's outputs: resolved through their dependencies when unknown.
    const fedByNcc = s.rulesFrom.some(f => model.dependencyCandidates(f.res, f.prop, ["ncc"]).some(n => nccs.length === 0 || nccs.includes(n)));
    if (s.subnetRules.state !== "known") {
        return fedByNcc
            ? say("pass", `storage ${name} allows subnets taken from the workspace's NCC`)
            : say("unverified", `storage ${name} has a Deny firewall whose VNet rules are ${whyUnknown(s.subnetRules)}`, {
                missing: "the NCC's subnets among its VNet rules, or an NCC private endpoint rule to it",
            });
    }
    const allowed = subnetKeys(s.subnetRules.value);
    for (const n of nccs.length > 0 ? nccs : model.ofKind("ncc")) {
        const published = readStrings(n.props, ...NCC_SUBNETS);
        if (published.state === "known" && published.value.length > 0 && [...subnetKeys(published.value)].every(k => allowed.has(k))) {
            return say("pass", `storage ${name} allows the subnets of NCC ${describe(n)}`);
        }
    }
    if (fedByNcc && s.subnetRules.value.length > 0) {
        return say("pass", `storage ${name} allows subnets taken from the workspace's NCC`);
    }
    // Subnets that belong to no VNet of this stack may be the NCC's (published outside the stack).
    const foreign = s.subnetRules.value.filter(id => model.lookupId(id, ["subnet"]).length === 0
        && model.lookupId(id.replace(/\/subnets\/[^/]+\/?$/i, ""), ["virtualNetwork"]).length === 0);
    if (foreign.length > 0) {
        return say("unverified", `storage ${name} has a Deny firewall allowing subnets outside this stack (${listed(foreign)}), which may be the NCC's`, {
            reason: "outside",
            missing: "confirmation that they are the subnets the workspace's NCC publishes (egressConfig.defaultRules.azureServiceEndpointRule.subnets)",
        });
    }
    return say("fail", `storage ${name} has a Deny firewall that allows none of the NCC's subnets and no NCC private endpoint rule in this stack reaches it: serverless compute cannot reach it`, {
        missing: "the NCC's stable subnets in its VNet rules, or an MwsNccPrivateEndpointRule to it",
        fix: "add the NCC's subnets to `networkRuleSet.virtualNetworkRules` (from `ncc.egressConfig`), or `new databricks.MwsNccPrivateEndpointRule(\"blob\", { networkConnectivityConfigId: ncc.networkConnectivityConfigId, resourceId: storage.id, groupId: \"blob\" })`",
        reason: "missing",
    });
}
