// Secure Cluster Connectivity (no public IP on cluster nodes).

import { FeatureModule, Finding, fromCheck, workspaceFinding } from "../../core/rules/contract";
import { noPublicIpCode, noPublicIpSnippet } from "../../core/rules/snippets";
import { classicWorkspace, classicWorkspaces } from "../../core/rules/compute-plane";
import { classify } from "../../core/model/types";
import { workspaceView, WorkspaceView } from "../../core/azure/workspace";
import { cut, isUnknownValue, plain, whyUnknown } from "../../core/model/values";

const NO_PUBLIC_IP = "secure-cluster-connectivity/no-public-ip";

/** Since API 2024-05-01 an omitted enableNoPublicIp means true; earlier versions defaulted to false. */
const DEFAULT_TRUE_SINCE = "2024-05-01";

export const secureClusterConnectivity: FeatureModule = {
    id: "secure-cluster-connectivity",
    description: "Classic compute nodes of every Azure Databricks workspace have no public IP addresses (Secure Cluster Connectivity).",
    severity: "high",
    url: "https://learn.microsoft.com/azure/databricks/security/network/classic/secure-cluster-connectivity",
    remediationSteps: [
        "Enable Secure Cluster Connectivity (no public IP) on the workspace:",
        "",
        `    new azure_native.databricks.Workspace("ws", { /* … */ ${noPublicIpCode("azure-native")} });`,
        "",
        "The other parameters are those of VNet injection. Classic provider: `" + noPublicIpCode("azure") + "`. Run the policy at enforcement level",
        "\"remediate\" (secure-cluster-connectivity-remediation) to set it automatically.",
    ].join("\n"),
    // No public IP is decided by the workspace's own inputs: the same check runs per resource.
    resourceCheck: {
        id: NO_PUBLIC_IP,
        summary: "Refuses a classic workspace whose cluster nodes would get public IP addresses (enableNoPublicIp false, or not set on an API version that defaults it to false).",
        kinds: ["workspace"],
        check: res => classicWorkspace(workspaceView(res), judge),
    },
    evaluate: ctx => classicWorkspaces(ctx, judge),
    remediation: {
        apply(type, props) {
            const info = classify(type);
            if (info?.kind !== "workspace") {
                return undefined;
            }
            if (info.family === "azure") {
                const cp = plain(props.customParameters);
                if (isUnknownValue(cp)) {
                    return undefined;
                }
                const current = cp !== null && typeof cp === "object" ? cp as Record<string, unknown> : {};
                return current.noPublicIp === true ? undefined : { ...props, customParameters: { ...current, noPublicIp: true } };
            }
            if (typeof props.computeMode === "string" && props.computeMode.toLowerCase() === "serverless") {
                return undefined;
            }
            const params = plain(props.parameters);
            if (isUnknownValue(params)) {
                return undefined;
            }
            const current = params !== null && typeof params === "object" ? params as Record<string, unknown> : {};
            const existing = plain(current.enableNoPublicIp) as { value?: unknown } | undefined;
            if (existing && typeof existing === "object" && existing.value === true) {
                return undefined;
            }
            return { ...props, parameters: { ...current, enableNoPublicIp: { value: true } } };
        },
    },
};

function judge(ws: WorkspaceView): Finding[] {
    return fromCheck(NO_PUBLIC_IP, noPublicIp(ws));
}

function noPublicIp(ws: WorkspaceView): Finding[] {
    const field = ws.family === "azure" ? "customParameters.noPublicIp" : "parameters.enableNoPublicIp.value";
    const v = ws.noPublicIp;
    switch (v.state) {
        case "known":
            return v.value
                ? [workspaceFinding(ws, "pass", `${field} is true`)]
                : [workspaceFinding(ws, "fail", `${field} is false: cluster nodes get public IP addresses`, {
                    missing: "Secure Cluster Connectivity (no public IP)",
                    fix: noPublicIpSnippet(ws.family),
                })];
        case "unknown":
            return [workspaceFinding(ws, "unverified", v.secret ? `${field} is ${whyUnknown(v)}` : `${field} is unknown until apply (${cut(v.path)} depends on values computed at apply)`, {
                missing: `${field} must be true; it is checked again when the value is known`,
            })];
        default: {
            const api = ws.apiVersion;
            if (api !== undefined && api < DEFAULT_TRUE_SINCE) {
                return [workspaceFinding(ws, "fail", `${field} is not set, and API version ${cut(api)} defaults it to false (public IPs)`, {
                    missing: "an explicit enableNoPublicIp of true",
                    fix: noPublicIpSnippet(ws.family),
                })];
            }
            const basis = api !== undefined
                ? `API version ${cut(api)} defaults it to true`
                : `the current provider (API ${DEFAULT_TRUE_SINCE} and later) defaults it to true; the provider version was not reported`;
            return [
                workspaceFinding(ws, "pass", `${field} is not set and ${basis}`),
                workspaceFinding(ws, "note", `${field} is not set; Secure Cluster Connectivity relies on the API default (${basis})`, {
                    fix: `pin it: ${noPublicIpSnippet(ws.family)}`,
                }),
            ];
        }
    }
}
