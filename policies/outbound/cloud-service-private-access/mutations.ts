// Realistic ways to break cloud-service-private-access in the reference programs (fixtures/mutations.ts says how they run).

import { Mutation, edit, isType, ws } from "../../../fixtures/mutations";

export const mutations: readonly Mutation[] = [
    {
        id: "default-storage-firewall-disabled", feature: "cloud-service-private-access",
        description: "Workspace `defaultStorageFirewall: \"Disabled\"` (DBFS root open to the public)",
        subject: ws,
        transform: edit(":Workspace", ws, props => ({ ...props, defaultStorageFirewall: "Disabled" })),
    },
    {
        id: "lake-open-to-public", feature: "cloud-service-private-access",
        description: "Data lake `publicNetworkAccess: \"Enabled\"` with firewall default action `Allow`",
        subject: ws,
        transform: edit(":StorageAccount", p => `${p}-lake`, props => ({ ...props, publicNetworkAccess: "Enabled", networkRuleSet: { defaultAction: "Allow", bypass: "AzureServices" } })),
    },
    {
        id: "remove-lake-private-endpoints", feature: "cloud-service-private-access",
        description: "The data lake's `blob` and `dfs` private endpoints removed (with their DNS zone groups)",
        subject: ws,
        remove: (p, r) => isType(r, ":PrivateEndpoint") && (r.name === `${p}-lake-blob` || r.name === `${p}-lake-dfs`),
    },
];
