// Realistic ways to break serverless-private-link in the reference programs (fixtures/mutations.ts says how they run).

import { Mutation, edit, isType, ws } from "../../../fixtures/mutations";

export const mutations: readonly Mutation[] = [
    {
        id: "ncc-resources-removed", feature: "serverless-private-link",
        description: "Account resources removed: no NCC, `MwsNccBinding` or `MwsNccPrivateEndpointRule` in the stack (managed nowhere, or in an account stack not attested)",
        programs: ["hardened-connectivity", "isolated-environment"],
        subject: ws,
        remove: (_p, r) => isType(r, ":MwsNccBinding") || isType(r, ":MwsNccPrivateEndpointRule"),
        alsoBreaks: ["serverless-stable-ips"],
    },
    {
        id: "remove-ncc-binding", feature: "serverless-private-link",
        description: "`MwsNccBinding` removed (the workspace is bound to no NCC)",
        subject: ws,
        remove: (p, r) => isType(r, ":MwsNccBinding") && r.name === `${p}-ncc-binding`,
    },
    {
        id: "ncc-bound-to-another-workspace", feature: "serverless-private-link",
        description: "`MwsNccBinding.workspaceId` names another workspace (this one is bound to no NCC)",
        subject: ws,
        transform: edit(":MwsNccBinding", p => `${p}-ncc-binding`, props => ({ ...props, workspaceId: "7405617289301256" })),
    },
];
