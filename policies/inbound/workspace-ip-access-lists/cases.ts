// Pass/fail cases of workspace-ip-access-lists (fixtures/cases.ts says how they run).

import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as databricks from "@pulumi/databricks";
import { FeatureCases, FeatureCase, TierExpectation, advisory, attested, beforeCreation, mandatory, note, of } from "../../../fixtures/cases";
import { nativeWorkspace, SUBSCRIPTION } from "../../../fixtures/native";
import { allowFrom, classicWorkspace, GOOD_LIST, OTHER_SUB, IngressRule, ingressPolicy, ipAccessLists, recipient, WORKSPACE_DOORS } from "../../../fixtures/inbound";
import { networkOption, workspaceIdOf } from "../../../fixtures/outbound";
import { SECRET_MASK } from "../../core/model/values";

const F = "workspace-ip-access-lists";
const DELTA = "delta-sharing-ip-access-lists";
const ATTESTED = { [F]: { attestations: [{ reason: "IP access lists are managed by the platform team's workspace-config stack" }] } };

/** The same findings at both tiers that require the feature. */
function required(e: TierExpectation): FeatureCase["expect"] {
    return { "hardened-connectivity": e, "isolated-environment": e };
}

/** Neither a WorkspaceConf nor an ALLOW list for the workspace: both parts missing (attestable). */
const nothingFor = (ws: string) => [mandatory("missing", ws), mandatory("missing", ws)];

/** A workspace governed by a network policy with this public ingress (default: restricted to one range). */
function governed(mode: string, rules?: IngressRule[], classic = false) {
    return () => {
        const ws = classic ? classicWorkspace() : nativeWorkspace().workspace;
        const p = ingressPolicy("ws-policy", { networkPolicyId: "ws-ingress", restrictionMode: mode, allowRules: rules ?? [allowFrom(["203.0.113.0/24"], WORKSPACE_DOORS)] });
        networkOption("ws-option", ws, p);
        return ws;
    };
}

/** A workspace governed by a policy whose ranges depend on the workspace's ID (unknown until apply at preview). */
function governedAfterApply(ranges: string[]) {
    return () => {
        const ws = nativeWorkspace().workspace;
        networkOption("opt", ws, ingressPolicy("p", { networkPolicyId: "ws-ingress", allowRules: [allowFrom(workspaceIdOf(ws).apply(() => ranges), WORKSPACE_DOORS)] }));
    };
}

/** A WorkspaceConf (optionally) and an ALLOW list for a workspace of another stack, by its ARM ID. */
function externalLists(name: string, workspace: string, conf: boolean): void {
    const provider = new databricks.Provider(`${name}-provider`, { azureWorkspaceResourceId: `/subscriptions/${OTHER_SUB}/resourceGroups/rg-hub/providers/Microsoft.Databricks/workspaces/${workspace}` });
    if (conf) {
        new databricks.WorkspaceConf(`${name}-conf`, { customConfig: { enableIpAccessLists: "true" } }, { provider });
    }
    new databricks.IpAccessList(`${name}-list`, { label: name, listType: "ALLOW", ipAddresses: ["203.0.113.0/24"] }, { provider });
}

export const cases: FeatureCases = {
    feature: F,
    cases: [
        // Reaching the workspace.
        {
            name: "a WorkspaceConf and an ALLOW list through a provider's azureWorkspaceResourceId pass (update and preview)",
            program: () => ipAccessLists(nativeWorkspace().workspace),
            mode: "both",
            expect: { "managed-security": "not-applicable", ...required([]) },
        },
        {
            name: "through a provider's host (the workspace URL with a trailing slash) they pass",
            program: () => ipAccessLists(nativeWorkspace().workspace, { via: "host" }),
            mode: "both",
            expect: { "hardened-connectivity": [] },
        },
        {
            name: "through providerConfig.workspaceId under an account-level provider they pass",
            program: () => ipAccessLists(nativeWorkspace().workspace, { via: "workspaceId" }),
            mode: "both",
            expect: { "hardened-connectivity": [] },
        },
        {
            name: "through a provider naming the workspace by an ARM ID in other letter case they pass",
            program: () => {
                nativeWorkspace();
                const p = new databricks.Provider("upper", { azureWorkspaceResourceId: `/subscriptions/${SUBSCRIPTION}/RESOURCEGROUPS/RG-DBX/providers/MICROSOFT.DATABRICKS/workspaces/PROD-WS` });
                new databricks.WorkspaceConf("conf", { customConfig: { enableIpAccessLists: "true" } }, { provider: p });
                new databricks.IpAccessList("corp", { label: "corp", listType: "ALLOW", ipAddresses: ["203.0.113.0/24"] }, { provider: p });
            },
            expect: { "hardened-connectivity": [] },
        },
        {
            name: "a classic @pulumi/azure workspace with its lists passes",
            program: () => ipAccessLists(classicWorkspace()),
            expect: { "hardened-connectivity": [] },
        },
        {
            name: "a workspace declared with a versioned azure-native token with its lists passes",
            program: () => ipAccessLists(nativeWorkspace({ workspaceToken: "azure-native:databricks/v20240501:Workspace" }).workspace),
            expect: { "hardened-connectivity": [] },
        },
        {
            name: "the default provider names no workspace: both parts unverified (advisory), never a pass",
            program: () => ipAccessLists(nativeWorkspace().workspace, { via: "default" }),
            expect: { "hardened-connectivity": [advisory("unknown", "prod-ws"), advisory("unknown", "prod-ws")] },
        },

        // WorkspaceConf.
        {
            name: "a WorkspaceConf setting enableIpAccessLists \"false\" fails on it; an attestation does not cover the stack's own value",
            program: () => ipAccessLists(nativeWorkspace().workspace, { conf: "false" }),
            config: ATTESTED,
            expect: required([mandatory("wrong", "acl-conf")]),
        },
        {
            name: "a boolean true is not the string \"true\": fails on the WorkspaceConf",
            program: () => ipAccessLists(nativeWorkspace().workspace, { conf: true }),
            expect: { "hardened-connectivity": [mandatory("wrong", "acl-conf")] },
        },
        {
            name: "no WorkspaceConf: missing (mandatory) for the workspace",
            program: () => ipAccessLists(nativeWorkspace().workspace, { conf: "none" }),
            expect: { "hardened-connectivity": [mandatory("missing", "prod-ws")] },
        },
        {
            name: "no WorkspaceConf, attested",
            program: () => ipAccessLists(nativeWorkspace().workspace, { conf: "none" }),
            config: ATTESTED,
            expect: { "hardened-connectivity": [attested("missing", "prod-ws")] },
        },

        // IpAccessList.
        {
            name: "an ALLOW list of 0.0.0.0/0 beside a good one fails on that list",
            program: () => ipAccessLists(nativeWorkspace().workspace, { lists: [GOOD_LIST, { ipAddresses: ["10.0.0.0/8", "0.0.0.0/0"] }] }),
            expect: required([mandatory("wrong", "acl-list-1")]),
        },
        {
            name: "an ALLOW list of ::/0 beside a good one fails on that list",
            program: () => ipAccessLists(nativeWorkspace().workspace, { lists: [GOOD_LIST, { ipAddresses: ["10.0.0.0/8", "::/0"] }] }),
            expect: { "hardened-connectivity": [mandatory("wrong", "acl-list-1")] },
        },
        {
            name: "a disabled ALLOW list fails on the list, not again on the workspace (a BLOCK list beside it does not count)",
            program: () => ipAccessLists(nativeWorkspace().workspace, { lists: [{ ...GOOD_LIST, enabled: false }, { listType: "BLOCK", ipAddresses: ["198.51.100.7/32"] }] }),
            config: ATTESTED,
            expect: { "hardened-connectivity": [mandatory("wrong", "acl-list-0")] },
        },
        {
            name: "only a BLOCK list: fails for the workspace, the stack's own lists not attestable",
            program: () => ipAccessLists(nativeWorkspace().workspace, { lists: [{ listType: "BLOCK", ipAddresses: ["198.51.100.7/32"] }] }),
            config: ATTESTED,
            expect: { "hardened-connectivity": [mandatory("wrong", "prod-ws")] },
        },
        {
            name: "no list at all: missing (mandatory) for the workspace",
            program: () => ipAccessLists(nativeWorkspace().workspace, { lists: [] }),
            expect: required([mandatory("missing", "prod-ws")]),
        },
        {
            name: "no list at all, attested",
            program: () => ipAccessLists(nativeWorkspace().workspace, { lists: [] }),
            config: ATTESTED,
            expect: { "hardened-connectivity": [attested("missing", "prod-ws")] },
        },
        {
            name: "list addresses unknown at preview: unverified (advisory)",
            program: () => {
                const { workspace } = nativeWorkspace();
                const p = new databricks.Provider("ws", { azureWorkspaceResourceId: workspace.id });
                const nat = new network.PublicIPAddress("nat-ip", { resourceGroupName: "rg-dbx", publicIpAddressName: "nat-ip" });
                new databricks.WorkspaceConf("conf", { customConfig: { enableIpAccessLists: "true" } }, { provider: p });
                new databricks.IpAccessList("egress", { label: "egress", listType: "ALLOW", ipAddresses: [pulumi.interpolate`${nat.ipAddress}/32`] }, { provider: p });
            },
            mode: "preview",
            expect: { "hardened-connectivity": [advisory("unknown", "prod-ws")] },
        },
        {
            name: "ranges that cover every address in pieces (0.0.0.0/1 + 128.0.0.0/1) fail on the list; a recipient's (::/1 + 8000::/1) is refused before creation",
            program: () => {
                ipAccessLists(nativeWorkspace().workspace, { lists: [{ listType: "ALLOW", ipAddresses: ["0.0.0.0/1", "128.0.0.0/1"] }] });
                recipient("partner", "TOKEN", ["::/1", "8000::/1"]);
            },
            alsoJudges: [DELTA],
            expect: { "hardened-connectivity": [mandatory("wrong", "acl-list-0"), of(DELTA, beforeCreation(mandatory("wrong", "partner")))] },
        },
        {
            name: "two enabled ALLOW lists whose ranges together cover every address (0.0.0.0/1 and 128.0.0.0/1) restrict nothing",
            program: () => ipAccessLists(nativeWorkspace().workspace, { lists: [{ listType: "ALLOW", ipAddresses: ["0.0.0.0/1"] }, { listType: "ALLOW", ipAddresses: ["128.0.0.0/1"] }] }),
            mode: "both",
            expect: { "hardened-connectivity": [mandatory("wrong", "prod-ws")] },
        },
        {
            name: "two enabled ALLOW lists of specific ranges pass",
            program: () => ipAccessLists(nativeWorkspace().workspace, { lists: [{ listType: "ALLOW", ipAddresses: ["0.0.0.0/1"] }, { listType: "ALLOW", ipAddresses: ["198.51.100.0/24"] }] }),
            expect: { "hardened-connectivity": [] },
        },
        {
            name: "half of every address (0.0.0.0/1 alone, ::/1 alone) is a specific range",
            program: () => {
                ipAccessLists(nativeWorkspace().workspace, { lists: [{ listType: "ALLOW", ipAddresses: ["0.0.0.0/1"] }] });
                recipient("partner", "TOKEN", ["::/1"]);
            },
            alsoJudges: [DELTA],
            expect: { "hardened-connectivity": [] },
        },
        {
            name: "a recipient's malformed range is refused before creation, never a crash",
            program: () => recipient("partner", "TOKEN", ["203.0.113.0/24", "203.0.113.300"]),
            alsoJudges: [DELTA],
            expect: { "hardened-connectivity": [of(DELTA, beforeCreation(mandatory("wrong", "partner")))] },
        },

        // Several workspaces, and workspaces of other stacks.
        {
            name: "several workspaces are judged separately",
            program: () => {
                ipAccessLists(nativeWorkspace({ name: "a" }).workspace, { name: "a-acl" });
                nativeWorkspace({ name: "b" });
            },
            expect: { "hardened-connectivity": nothingFor("b-ws") },
        },
        {
            name: "at preview, lists through a provider that could reach either of two workspaces leave both unverified, the third missing",
            program: () => {
                const a = nativeWorkspace({ name: "a" }).workspace;
                const b = nativeWorkspace({ name: "b" }).workspace;
                nativeWorkspace({ name: "c" });
                // The provider's workspace ID depends on both a and b: either may be the one.
                const provider = new databricks.Provider("ab-provider", { azureWorkspaceResourceId: pulumi.all([a.id, b.id]).apply(([x]) => x) });
                new databricks.WorkspaceConf("ab-conf", { customConfig: { enableIpAccessLists: "true" } }, { provider });
                new databricks.IpAccessList("ab-list", { label: "ab", listType: "ALLOW", ipAddresses: GOOD_LIST.ipAddresses ?? [] }, { provider });
            },
            mode: "preview",
            expect: {
                "hardened-connectivity": [
                    advisory("unknown", "a-ws"), advisory("unknown", "a-ws"),
                    advisory("unknown", "b-ws"), advisory("unknown", "b-ws"),
                    ...nothingFor("c-ws"),
                ],
            },
        },
        {
            name: "lists for a workspace of another stack without a WorkspaceConf: missing, reported on the resource that reaches it",
            program: () => ipAccessLists(undefined, { via: "outside", conf: "none" }),
            expect: { "hardened-connectivity": [mandatory("missing", "acl-list-0")] },
        },
        {
            name: "a catch-all list for a workspace of another stack fails on the list",
            program: () => ipAccessLists(undefined, { via: "outside", lists: [{ ipAddresses: ["0.0.0.0/0"] }] }),
            expect: { "hardened-connectivity": [mandatory("wrong", "acl-list-0")] },
        },
        {
            name: "resources for two workspaces of other stacks are judged per workspace: only the one without a WorkspaceConf is missing",
            program: () => { externalLists("x", "x-ws", true); externalLists("y", "y-ws", false); },
            expect: { "hardened-connectivity": [mandatory("missing", "y-list")] },
        },
        {
            name: "a WorkspaceConf and an ALLOW list for a workspace of another stack pass",
            program: () => ipAccessLists(undefined, { via: "outside" }),
            expect: { "hardened-connectivity": [] },
        },

        // Prerequisite and applicability.
        {
            name: "a Standard workspace is refused before creation (Premium is a prerequisite)",
            program: () => ipAccessLists(nativeWorkspace({ sku: "standard" }).workspace),
            expect: required([beforeCreation(mandatory("wrong", "prod-ws"))]),
        },
        {
            name: "a stack with neither a workspace nor IP access list resources is not judged",
            program: () => new network.VirtualNetwork("lonely", { resourceGroupName: "rg", addressSpace: { addressPrefixes: ["10.0.0.0/16"] } }),
            expect: { "hardened-connectivity": "not-applicable" },
        },

        // The other gate: context-based ingress of the network policy that governs the workspace.
        {
            name: "a governing policy restricting public access proves the feature without IP access lists (azure-native)",
            program: governed("RESTRICTED_ACCESS"),
            mode: "both",
            expect: required([]),
        },
        {
            name: "a governing policy restricting public access proves the feature without IP access lists (classic workspace)",
            program: governed("RESTRICTED_ACCESS", undefined, true),
            mode: "both",
            expect: { "hardened-connectivity": [] },
        },
        {
            name: "default-policy governs a workspace without a network option",
            program: () => { nativeWorkspace(); ingressPolicy("def", { networkPolicyId: "default-policy", allowRules: [allowFrom(["203.0.113.0/24"], { allDestinations: true })] }); },
            expect: { "hardened-connectivity": [] },
        },
        {
            name: "a FULL_ACCESS governing policy and no IP access lists: both parts missing",
            program: governed("FULL_ACCESS"),
            expect: { "hardened-connectivity": nothingFor("prod-ws") },
        },
        {
            name: "a governing policy with an allIpRanges rule and no IP access lists: both parts missing",
            program: governed("RESTRICTED_ACCESS", [{ origin: { allIpRanges: true } }]),
            expect: { "hardened-connectivity": nothingFor("prod-ws") },
        },
        {
            name: "a governing policy whose ranges cover every address in pieces and no IP access lists: both parts missing",
            program: governed("RESTRICTED_ACCESS", [allowFrom(["0.0.0.0/1", "128.0.0.0/1"], WORKSPACE_DOORS)]),
            expect: { "hardened-connectivity": nothingFor("prod-ws") },
        },
        {
            name: "IP access lists restrict while the governing policy is FULL_ACCESS: a note on the workspace",
            program: () => ipAccessLists(governed("FULL_ACCESS")()),
            expect: { "hardened-connectivity": [note("prod-ws")] },
        },
        {
            name: "the governing policy restricts while the WorkspaceConf is off and the list allows 0.0.0.0/0: notes on them",
            program: () => ipAccessLists(governed("RESTRICTED_ACCESS")(), { conf: "false", lists: [{ listType: "ALLOW", ipAddresses: ["0.0.0.0/0"] }] }),
            expect: { "hardened-connectivity": [note("acl-conf"), note("acl-list-0")] },
        },
        {
            name: "without a governing policy the same 0.0.0.0/0 list fails on the list",
            program: () => ipAccessLists(nativeWorkspace().workspace, { lists: [{ listType: "ALLOW", ipAddresses: ["0.0.0.0/0"] }] }),
            expect: { "hardened-connectivity": [mandatory("wrong", "acl-list-0")] },
        },
        {
            name: "several workspaces bound to different policies are each judged by their own",
            program: () => {
                const a = nativeWorkspace({ name: "a" }).workspace;
                const b = nativeWorkspace({ name: "b" }).workspace;
                networkOption("a-opt", a, ingressPolicy("a-pol", { networkPolicyId: "a-ingress", allowRules: [allowFrom(["203.0.113.0/24"], WORKSPACE_DOORS)] }));
                networkOption("b-opt", b, ingressPolicy("b-pol", { networkPolicyId: "b-ingress", restrictionMode: "FULL_ACCESS" }));
            },
            expect: { "hardened-connectivity": nothingFor("b-ws") },
        },
        {
            name: "a governing policy outside the stack is no evidence alone: the IP access lists stay required",
            program: () => networkOption("opt", nativeWorkspace().workspace, "policy-of-the-account-stack"),
            expect: { "hardened-connectivity": nothingFor("prod-ws") },
        },
        {
            name: "governing ingress ranges unknown at preview leave the workspace unverified (advisory)",
            program: governedAfterApply(["0.0.0.0/0"]),
            mode: "preview",
            expect: { "hardened-connectivity": [advisory("unknown", "prod-ws")] },
        },
        {
            name: "the same ranges known at update as 0.0.0.0/0 restrict nothing: both parts missing",
            program: governedAfterApply(["0.0.0.0/0"]),
            expect: { "hardened-connectivity": nothingFor("prod-ws") },
        },
        {
            name: "the same ranges known at update as specific ranges pass",
            program: governedAfterApply(["203.0.113.0/24"]),
            expect: { "hardened-connectivity": [] },
        },
        {
            name: "governing ranges masked as the CLI masks an undecrypted secret: secret (advisory), never a pass",
            program: () => {
                const ws = nativeWorkspace().workspace;
                networkOption("opt", ws, ingressPolicy("p", { networkPolicyId: "ws-ingress", allowRules: [allowFrom([SECRET_MASK], WORKSPACE_DOORS)] }));
            },
            expect: { "hardened-connectivity": [advisory("secret", "prod-ws")] },
        },
    ],
};
