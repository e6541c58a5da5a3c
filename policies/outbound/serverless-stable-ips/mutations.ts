// Realistic ways to break serverless-stable-ips in the reference programs (fixtures/mutations.ts says how they run).

import { Mutation, edit, ws, OTHER_STORAGE } from "../../../fixtures/mutations";

export const mutations: readonly Mutation[] = [
    {
        id: "ncc-of-other-region", feature: "serverless-stable-ips",
        description: "The workspace's NCC is in another region (`region: \"northeurope\"`)",
        // Where serverless Private Link is required too, the same NCC breaks both features.
        programs: ["managed-security"],
        subject: ws,
        transform: edit(":MwsNetworkConnectivityConfig", p => `${p}-ncc`, props => ({ ...props, region: "northeurope" })),
    },
    {
        id: "lake-firewall-without-serverless-subnets", feature: "serverless-stable-ips",
        description: "Data lake firewall (default action Deny) allows only the workspace subnets, not the NCC's stable subnets",
        programs: ["managed-security"],
        subject: ws,
        transform: p => args => {
            if (!args.type.endsWith(":StorageAccount") || args.name !== `${p}-lake`) {
                return undefined;
            }
            // The workspace subnets by ARM ID (as the mocks name them), known at preview too: the
            // firewall visibly names the workspace's VNet and nothing of the NCC.
            const subnet = (role: string) => `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${p}-rg/providers/Microsoft.Network/virtualNetworks/${p}-vnet/subnets/${p}-${role}`;
            const own = ["host", "container"].map(role => ({ virtualNetworkResourceId: subnet(role), action: "Allow" }));
            return { props: { ...args.props, networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices", virtualNetworkRules: own } }, opts: args.opts };
        },
    },
    {
        id: "ncc-rules-to-other-storage", feature: "serverless-stable-ips",
        description: "The NCC private endpoint rules target another storage account, so nothing lets serverless compute through the data lake's Deny firewall",
        programs: ["hardened-connectivity", "isolated-environment"],
        subject: ws,
        transform: p => args => args.type.endsWith(":MwsNccPrivateEndpointRule") && args.name.startsWith(`${p}-ncc-lake-`)
            ? { props: { ...args.props, resourceId: OTHER_STORAGE }, opts: args.opts }
            : undefined,
    },
];
