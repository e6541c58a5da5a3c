// Pass/fail cases of serverless-private-link (fixtures/cases.ts says how they run).

import * as pulumi from "@pulumi/pulumi";
import { FeatureCases, advisory, attested, mandatory } from "../../../fixtures/cases";
import { nativeWorkspace } from "../../../fixtures/native";
import { classicWorkspace, ncc, nccBinding, nccRule, tokenWorkspace, workspaceIdOf } from "../../../fixtures/outbound";

const STORAGE = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/lake";
const VERSIONED_WORKSPACE = "azure-native:databricks/v20240501:Workspace";

/** A workspace bound to an NCC of `region`, with one blob rule unless `rule` is false. */
function boundWithRule(region = "westeurope", rule = true): void {
    const { workspace } = nativeWorkspace();
    const config = ncc("ncc", region);
    nccBinding("bind", config, workspace);
    if (rule) {
        nccRule("blob", config, STORAGE);
    }
}

export const cases: FeatureCases = {
    feature: "serverless-private-link",
    cases: [
        {
            name: "a workspace bound to an NCC of its region with a private endpoint rule passes (update and preview)",
            program: () => boundWithRule(),
            mode: "both",
            expect: { "hardened-connectivity": [], "isolated-environment": [] },
        },
        {
            name: "regions compare the way Azure does (\"West Europe\" = westeurope)",
            program: () => boundWithRule("West Europe"),
            expect: { "hardened-connectivity": [] },
        },
        {
            name: "a workspace bound to an NCC of another region fails, and an attestation does not cover it",
            program: () => boundWithRule("eastus"),
            config: { "serverless-private-link": { attestations: [{ reason: "irrelevant: the stack contradicts it" }] } },
            expect: { "hardened-connectivity": [mandatory("wrong", "prod-ws")] },
        },
        {
            name: "a bound NCC without private endpoint rules is missing (mandatory in Hardened and Isolated)",
            program: () => boundWithRule("westeurope", false),
            expect: { "hardened-connectivity": [mandatory("missing", "prod-ws")], "isolated-environment": [mandatory("missing", "prod-ws")] },
        },
        {
            name: "an attestation covers a bound NCC whose rules live in another stack",
            program: () => boundWithRule("westeurope", false),
            config: { "serverless-private-link": { attestations: [{ reason: "rules managed by the data platform stack" }] } },
            expect: { "hardened-connectivity": [attested("missing", "prod-ws")] },
        },
        {
            name: "not part of Managed security",
            program: () => boundWithRule("westeurope", false),
            expect: { "managed-security": "not-applicable" },
        },
        {
            name: "an NCC with rules that is bound to no workspace does not serve this workspace",
            program: () => {
                nativeWorkspace();
                nccRule("blob", ncc("ncc"), STORAGE);
            },
            expect: { "hardened-connectivity": [mandatory("missing", "prod-ws")] },
        },
        {
            name: "several workspaces are judged separately: a binding to another workspace does not count",
            program: () => {
                const a = nativeWorkspace({ name: "a" }).workspace;
                nativeWorkspace({ name: "b" });
                const config = ncc("ncc");
                nccBinding("bind-a", config, a);
                nccRule("blob", config, STORAGE);
            },
            expect: { "hardened-connectivity": [mandatory("missing", "b-ws")] },
        },
        {
            name: "with no NCC resources in the stack the workspace's private endpoints are missing",
            program: () => nativeWorkspace(),
            expect: { "hardened-connectivity": [mandatory("missing", "prod-ws")] },
        },
        {
            name: "an attestation covers a stack with no NCC resources",
            program: () => nativeWorkspace(),
            config: { "serverless-private-link": { attestations: [{ reason: "NCC in the account stack" }] } },
            expect: { "hardened-connectivity": [attested("missing", "prod-ws")] },
        },
        {
            name: "a binding to an NCC of another stack is unverified (outside), not mandatory",
            program: () => nccBinding("bind", "ncc-from-account-stack", nativeWorkspace().workspace),
            expect: { "hardened-connectivity": [advisory("outside", "prod-ws")] },
        },
        {
            name: "at preview, a binding whose workspace cannot be told apart leaves both workspaces unverified, not mandatory",
            program: () => {
                const a = nativeWorkspace({ name: "a" }).workspace;
                const b = nativeWorkspace({ name: "b" }).workspace;
                const config = ncc("ncc");
                const either = pulumi.all([workspaceIdOf(a), workspaceIdOf(b)]).apply(([x]) => x);
                nccBinding("bind", config, either as unknown as string);
                nccRule("blob", config, STORAGE);
            },
            mode: "preview",
            expect: { "hardened-connectivity": [advisory("unknown", "a-ws"), advisory("unknown", "b-ws")] },
        },
        {
            name: "a versioned workspace token and a classic-provider workspace: the classic one, in eastus, is bound to a westeurope NCC",
            program: () => {
                const versioned = tokenWorkspace(VERSIONED_WORKSPACE, "versioned-ws");
                const classic = classicWorkspace("classic-ws", "eastus");
                const we = ncc("ncc-we");
                nccBinding("bind-v", we, versioned);
                nccBinding("bind-c", we, classic);
                nccRule("blob", we, STORAGE);
            },
            expect: { "hardened-connectivity": [mandatory("wrong", "classic-ws")] },
        },
        {
            name: "a versioned workspace token is judged: bound to an NCC of another region it fails",
            program: () => {
                const we = ncc("ncc-eu", "eastus");
                nccBinding("bind-v", we, tokenWorkspace(VERSIONED_WORKSPACE, "versioned-ws"));
                nccRule("blob", we, STORAGE);
            },
            expect: { "hardened-connectivity": [mandatory("wrong", "versioned-ws")] },
        },
        {
            name: "a classic-provider workspace bound to an NCC of its region passes",
            program: () => {
                const we = ncc("ncc-we");
                nccBinding("bind-c", we, classicWorkspace("classic-ws"));
                nccRule("blob", we, STORAGE);
            },
            expect: { "hardened-connectivity": [] },
        },
    ],
};
