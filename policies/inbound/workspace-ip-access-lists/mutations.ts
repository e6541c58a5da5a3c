// Realistic ways to break workspace-ip-access-lists in the reference programs (fixtures/mutations.ts says how they run).

import { Mutation, edit } from "../../../fixtures/mutations";

export const mutations: readonly Mutation[] = [
    {
        id: "ip-access-lists-disabled", feature: "workspace-ip-access-lists",
        description: "`WorkspaceConf.customConfig.enableIpAccessLists` set to `\"false\"`",
        // The WorkspaceConf's own value, reported on it (no ingress policy restricts the workspace instead).
        subject: p => `${p}-conf`,
        transform: edit(":WorkspaceConf", p => `${p}-conf`, props => ({ ...props, customConfig: { enableIpAccessLists: "false" } })),
    },
    {
        id: "allow-list-allows-all", feature: "workspace-ip-access-lists",
        description: "The workspace ALLOW list is `0.0.0.0/0` (allow-all)",
        // The list's own value, reported on it (no ingress policy restricts the workspace instead).
        subject: p => `${p}-allowed`,
        transform: edit(":IpAccessList", p => `${p}-allowed`, props => ({ ...props, ipAddresses: ["0.0.0.0/0"] })),
    },
    {
        id: "allow-list-disabled", feature: "workspace-ip-access-lists",
        description: "The workspace ALLOW list is disabled (`enabled: false`)",
        // The list's own setting, reported on it (no ingress policy restricts the workspace instead).
        subject: p => `${p}-allowed`,
        transform: edit(":IpAccessList", p => `${p}-allowed`, props => ({ ...props, enabled: false })),
    },
];
