// Realistic ways to break workspace-inbound-private-link in the reference programs (fixtures/mutations.ts says how they run).

import { Mutation, edit, isType, ws } from "../../../fixtures/mutations";

export const mutations: readonly Mutation[] = [
    {
        id: "public-network-access-enabled", feature: "workspace-inbound-private-link",
        description: "Workspace `publicNetworkAccess: \"Enabled\"`",
        subject: ws,
        transform: edit(":Workspace", ws, props => ({ ...props, publicNetworkAccess: "Enabled" })),
    },
    {
        id: "remove-browser-authentication-endpoint", feature: "workspace-inbound-private-link",
        description: "The `browser_authentication` private endpoint removed",
        subject: ws,
        remove: (p, r) => isType(r, ":PrivateEndpoint") && r.name === `${p}-webauth`,
    },
];
