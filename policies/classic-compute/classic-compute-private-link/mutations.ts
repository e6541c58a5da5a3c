// Realistic ways to break classic-compute-private-link in the reference programs (fixtures/mutations.ts says how they run).

import { Mutation, edit, isType, ws, OTHER_WORKSPACE } from "../../../fixtures/mutations";

export const mutations: readonly Mutation[] = [
    {
        id: "remove-backend-endpoint", feature: "classic-compute-private-link",
        description: "Back-end `databricks_ui_api` private endpoint removed (with its DNS zone group)",
        subject: ws,
        remove: (p, r) => isType(r, ":PrivateEndpoint") && r.name === `${p}-backend`,
    },
    {
        id: "backend-endpoint-to-other-workspace", feature: "classic-compute-private-link",
        description: "Back-end endpoint's `privateLinkServiceId` points at another workspace",
        subject: ws,
        transform: edit(":PrivateEndpoint", p => `${p}-backend`, props => ({
            ...props,
            privateLinkServiceConnections: [{ name: "backend", privateLinkServiceId: OTHER_WORKSPACE, groupIds: ["databricks_ui_api"] }],
        })),
    },
    {
        id: "public-control-plane-nsg-rules", feature: "classic-compute-private-link",
        description: "Workspace `requiredNsgRules: \"AllRules\"` (public control-plane NSG rules)",
        // With public network access disabled Azure rejects AllRules, and the inbound feature says so too.
        programs: ["managed-security", "hardened-connectivity"],
        subject: ws,
        transform: edit(":Workspace", ws, props => ({ ...props, requiredNsgRules: "AllRules" })),
    },
];
