// Pass/fail cases of serverless-egress-control (fixtures/cases.ts says how they run).

import * as pulumi from "@pulumi/pulumi";
import { FeatureCases, advisory, attested, mandatory, of } from "../../../fixtures/cases";
import { nativeWorkspace } from "../../../fixtures/native";
import { classicWorkspace, egressPolicy, ncc, nccBinding, networkOption, PolicyOptions, tokenWorkspace, workspaceIdOf } from "../../../fixtures/outbound";

const VERSIONED_WORKSPACE = "azure-native:databricks/v20240501:Workspace";

/** A workspace with a network option applying a policy declared here. */
function withPolicy(name: string, o: PolicyOptions = {}): void {
    networkOption("opt", nativeWorkspace().workspace, egressPolicy(name, o));
}

export const cases: FeatureCases = {
    feature: "serverless-egress-control",
    cases: [
        {
            name: "a RESTRICTED_ACCESS, ENFORCED policy applied by a WorkspaceNetworkOption passes",
            program: () => withPolicy("restricted", { enforcementMode: "ENFORCED" }),
            expect: { "hardened-connectivity": [], "isolated-environment": [] },
        },
        {
            name: "a restricted policy whose enforcement mode is left unset passes",
            program: () => withPolicy("restricted"),
            expect: { "hardened-connectivity": [] },
        },
        {
            name: "a FULL_ACCESS policy applied to the workspace fails (mandatory in Hardened and Isolated)",
            program: () => withPolicy("open", { restrictionMode: "FULL_ACCESS" }),
            expect: { "hardened-connectivity": [mandatory("wrong", "prod-ws")], "isolated-environment": [mandatory("wrong", "prod-ws")] },
        },
        {
            name: "not part of Managed security",
            program: () => withPolicy("open", { restrictionMode: "FULL_ACCESS" }),
            expect: { "managed-security": "not-applicable" },
        },
        {
            name: "a restricted policy in DRY_RUN mode fails",
            program: () => withPolicy("dry", { enforcementMode: "DRY_RUN" }),
            expect: { "hardened-connectivity": [mandatory("wrong", "prod-ws")] },
        },
        {
            name: "a policy without an egress block fails",
            program: () => withPolicy("bare", { restrictionMode: "omit" }),
            expect: { "hardened-connectivity": [mandatory("wrong", "prod-ws")] },
        },
        {
            name: "several workspaces are judged separately: a restricted policy bound to another workspace does not count",
            program: () => {
                const a = nativeWorkspace({ name: "a" }).workspace;
                nativeWorkspace({ name: "b" });
                networkOption("opt-a", a, egressPolicy("restricted"));
            },
            expect: { "hardened-connectivity": [mandatory("missing", "b-ws")] },
        },
        {
            name: "a workspace without an option is judged by a restricted default-policy: passes",
            program: () => {
                nativeWorkspace();
                egressPolicy("default", { networkPolicyId: "default-policy" });
            },
            expect: { "hardened-connectivity": [] },
        },
        {
            name: "a workspace without an option is judged by a FULL_ACCESS default-policy: fails",
            program: () => {
                nativeWorkspace();
                egressPolicy("default", { networkPolicyId: "default-policy", restrictionMode: "FULL_ACCESS" });
            },
            expect: { "hardened-connectivity": [mandatory("wrong", "prod-ws")] },
        },
        {
            name: "an explicit FULL_ACCESS option overrides a restricted default-policy",
            program: () => {
                const { workspace } = nativeWorkspace();
                egressPolicy("default", { networkPolicyId: "default-policy" });
                networkOption("opt", workspace, egressPolicy("open", { restrictionMode: "FULL_ACCESS" }));
            },
            expect: { "hardened-connectivity": [mandatory("wrong", "prod-ws")] },
        },
        {
            name: "an explicit restricted option overrides a FULL_ACCESS default-policy",
            program: () => {
                const { workspace } = nativeWorkspace();
                egressPolicy("default", { networkPolicyId: "default-policy", restrictionMode: "FULL_ACCESS" });
                networkOption("opt", workspace, egressPolicy("restricted"));
            },
            expect: { "hardened-connectivity": [] },
        },
        {
            name: "with no account-level resources in the stack the workspace's egress control is missing",
            program: () => nativeWorkspace(),
            expect: { "hardened-connectivity": [mandatory("missing", "prod-ws")] },
        },
        {
            name: "an attestation covers the egress control applied outside the stack",
            program: () => nativeWorkspace(),
            config: { "serverless-egress-control": { attestations: [{ reason: "account stack applies restricted-egress", reference: "stacks/account" }] } },
            expect: { "hardened-connectivity": [attested("missing", "prod-ws")] },
        },
        {
            name: "an attestation does not cover a FULL_ACCESS policy the stack applies",
            program: () => withPolicy("open", { restrictionMode: "FULL_ACCESS" }),
            config: { "serverless-egress-control": { attestations: [{ reason: "account stack applies restricted-egress" }] } },
            expect: { "hardened-connectivity": [mandatory("wrong", "prod-ws")] },
        },
        {
            name: "an option naming a policy of another stack is unverified (outside), not mandatory",
            program: () => networkOption("opt", nativeWorkspace().workspace, "restricted-in-account-stack"),
            expect: { "hardened-connectivity": [advisory("outside", "prod-ws")] },
        },
        {
            name: "at preview, the workspace ID (unknown) resolves through the option's dependencies: restricted passes",
            program: () => withPolicy("restricted"),
            mode: "preview",
            expect: { "hardened-connectivity": [] },
        },
        {
            name: "at preview, the workspace ID (unknown) resolves through the option's dependencies: FULL_ACCESS fails",
            program: () => withPolicy("open", { restrictionMode: "FULL_ACCESS" }),
            mode: "preview",
            expect: { "hardened-connectivity": [mandatory("wrong", "prod-ws")] },
        },
        {
            name: "at preview, an option whose workspace cannot be told apart leaves both workspaces unverified, not mandatory",
            program: () => {
                const a = nativeWorkspace({ name: "a" }).workspace;
                const b = nativeWorkspace({ name: "b" }).workspace;
                const either = pulumi.all([workspaceIdOf(a), workspaceIdOf(b)]).apply(([x]) => x);
                networkOption("opt", either as unknown as string, egressPolicy("restricted"));
            },
            mode: "preview",
            expect: { "hardened-connectivity": [advisory("unknown", "a-ws"), advisory("unknown", "b-ws")] },
        },
        {
            name: "a literal workspace ID of a workspace outside the stack does not cover this workspace",
            program: () => {
                nativeWorkspace();
                networkOption("opt", "1234567890123456", egressPolicy("restricted"));
            },
            expect: { "hardened-connectivity": [mandatory("missing", "prod-ws")] },
        },
        {
            name: "a versioned workspace token with a restricted policy passes; a classic-provider workspace with FULL_ACCESS fails",
            program: () => {
                networkOption("opt-v", tokenWorkspace(VERSIONED_WORKSPACE, "versioned-ws"), egressPolicy("restricted"));
                networkOption("opt-c", classicWorkspace("classic-ws"), egressPolicy("open", { restrictionMode: "FULL_ACCESS" }));
            },
            expect: { "hardened-connectivity": [mandatory("wrong", "classic-ws")] },
        },
        {
            name: "a versioned workspace token is judged: with FULL_ACCESS it fails; a classic-provider workspace with a restricted policy passes",
            program: () => {
                networkOption("opt-v", tokenWorkspace(VERSIONED_WORKSPACE, "versioned-ws"), egressPolicy("open", { restrictionMode: "FULL_ACCESS" }));
                networkOption("opt-c", classicWorkspace("classic-ws"), egressPolicy("restricted"));
            },
            expect: { "hardened-connectivity": [mandatory("wrong", "versioned-ws")] },
        },
        {
            name: "a Standard-SKU workspace fails even with a restricted policy",
            program: () => networkOption("opt", nativeWorkspace({ sku: "standard" }).workspace, egressPolicy("restricted")),
            expect: { "hardened-connectivity": [mandatory("wrong", "prod-ws")] },
        },
        {
            name: "one stack judged by every outbound feature at its tier's level",
            program: () => {
                const { workspace } = nativeWorkspace();
                networkOption("opt", workspace, egressPolicy("open", { restrictionMode: "FULL_ACCESS" }));
                nccBinding("bind", ncc("ncc", "eastus"), workspace);
            },
            alsoJudges: ["serverless-private-link", "serverless-stable-ips", "external-firewall", "cloud-service-private-access"],
            expect: {
                "managed-security": [
                    of("serverless-stable-ips", mandatory("wrong", "prod-ws")),
                    of("external-firewall", advisory("missing", "prod-ws")),
                    of("external-firewall", advisory("missing", "prod-ws")),
                ],
                "hardened-connectivity": [
                    mandatory("wrong", "prod-ws"),
                    of("serverless-private-link", mandatory("wrong", "prod-ws")),
                    of("serverless-stable-ips", mandatory("wrong", "prod-ws")),
                    of("external-firewall", advisory("missing", "prod-ws")),
                    of("external-firewall", advisory("missing", "prod-ws")),
                    of("cloud-service-private-access", mandatory("wrong", "prod-ws")),
                ],
            },
        },
    ],
};
