// Pass/fail cases of serverless-stable-ips (fixtures/cases.ts says how they run).

import { FeatureCases, attested, advisory, mandatory } from "../../../fixtures/cases";
import { nativeWorkspace } from "../../../fixtures/native";
import { ncc, nccBinding, nccRule } from "../../../fixtures/outbound";
import { classicStorage, dataStorage, externalLocation } from "../../../fixtures/outbound-network";

const NCC_SUBNET = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/prod-westeurope-nephos/providers/Microsoft.Network/virtualNetworks/kaas-vnet/subnets/worker-subnet";
const NCC_OUTPUTS = { ncc: { egressConfig: { defaultRules: { azureServiceEndpointRule: { subnets: [NCC_SUBNET], targetRegion: "westeurope" } } } } };

function denyLake(subnetIds?: string[]) {
    const { workspace } = nativeWorkspace();
    nccBinding("bind", ncc("ncc"), workspace);
    dataStorage({ defaultAction: "Deny", subnetIds });
    externalLocation("lake-data", "lake");
}

export const cases: FeatureCases = {
    feature: "serverless-stable-ips",
    cases: [
        {
            name: "a plain workspace passes in every tier: Databricks provides stable IPs",
            program: () => nativeWorkspace(),
            expect: { all: [] },
        },
        {
            name: "a workspace bound to an NCC of another region fails",
            program: () => nccBinding("bind", ncc("ncc", "eastus2"), nativeWorkspace().workspace),
            expect: { "managed-security": [mandatory("wrong", "prod-ws")] },
        },
        {
            name: "a Deny storage firewall that neither allows the NCC's subnets nor has an NCC rule fails",
            program: () => denyLake(),
            outputs: NCC_OUTPUTS,
            expect: { all: [mandatory("missing", "prod-ws")] },
        },
        {
            name: "an attestation covers a Deny storage firewall without NCC access",
            program: () => denyLake(),
            outputs: NCC_OUTPUTS,
            config: { "serverless-stable-ips": { attestations: [{ reason: "NCC rule in account stack" }] } },
            expect: { all: [attested("missing", "prod-ws")] },
        },
        {
            name: "a Deny storage firewall that allows the NCC's published subnets (ID in other letter case) passes",
            program: () => denyLake([NCC_SUBNET.toUpperCase().replace("/SUBSCRIPTIONS/", "/subscriptions/")]),
            outputs: NCC_OUTPUTS,
            expect: { all: [] },
        },
        {
            name: "a Deny storage firewall reached by an NCC private endpoint rule passes",
            program: () => {
                const { workspace } = nativeWorkspace();
                const config = ncc("ncc");
                nccBinding("bind", config, workspace);
                nccRule("blob", config, dataStorage({ defaultAction: "Deny" }).id);
            },
            mode: "both",
            expect: { all: [] },
        },
        {
            name: "a Deny firewall allowing subnets outside the stack (maybe the NCC's) is unverified, not mandatory",
            program: () => {
                nativeWorkspace();
                dataStorage({ defaultAction: "Deny", subnetIds: [NCC_SUBNET] });
                externalLocation("lake-data", "lake");
            },
            expect: { "managed-security": [advisory("outside", "prod-ws")] },
        },
        {
            name: "classic storage closed by an AccountNetworkRules resource fails without NCC access",
            program: () => {
                nativeWorkspace();
                classicStorage("classiclake", true);
                externalLocation("lake-data", "classiclake");
            },
            expect: { "managed-security": [mandatory("missing", "prod-ws")] },
        },
        {
            name: "classic storage left open passes",
            program: () => {
                nativeWorkspace();
                classicStorage("classiclake", false);
            },
            expect: { "managed-security": [] },
        },
        {
            name: "several workspaces are judged separately",
            program: () => {
                const a = nativeWorkspace({ name: "a" }).workspace;
                const b = nativeWorkspace({ name: "b" }).workspace;
                nccBinding("bind-a", ncc("ncc-a"), a);
                nccBinding("bind-b", ncc("ncc-b", "northeurope"), b);
            },
            expect: { "managed-security": [mandatory("wrong", "b-ws")] },
        },
    ],
};
