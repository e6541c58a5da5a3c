// Realistic ways to break serverless-egress-control in the reference programs (fixtures/mutations.ts says how they run).

import { Mutation, edit, isType, ws, obj } from "../../../fixtures/mutations";

export const mutations: readonly Mutation[] = [
    {
        id: "egress-dry-run", feature: "serverless-egress-control",
        description: "Network policy `policyEnforcement.enforcementMode: \"DRY_RUN\"` (violations logged, not blocked)",
        subject: ws,
        transform: edit(":AccountNetworkPolicy", p => `${p}-egress`, props => {
            const egress = obj(props.egress);
            const access = obj(egress.networkAccess);
            return { ...props, egress: { ...egress, networkAccess: { ...access, policyEnforcement: { enforcementMode: "DRY_RUN" } } } };
        }),
    },
    {
        id: "egress-full-access", feature: "serverless-egress-control",
        description: "Network policy `restrictionMode: \"FULL_ACCESS\"`",
        subject: ws,
        transform: edit(":AccountNetworkPolicy", p => `${p}-egress`, props => ({ ...props, egress: { networkAccess: { restrictionMode: "FULL_ACCESS" } } })),
    },
    {
        id: "remove-workspace-network-option", feature: "serverless-egress-control",
        description: "`WorkspaceNetworkOption` removed (the workspace falls back to the undeclared `default-policy`)",
        subject: ws,
        remove: (p, r) => isType(r, ":WorkspaceNetworkOption") && r.name === `${p}-egress-option`,
    },
    {
        id: "account-network-policy-removed", feature: "serverless-egress-control",
        description: "Account egress resources removed: no egress `AccountNetworkPolicy` and no `WorkspaceNetworkOption` in the stack (managed nowhere, or in an account stack not attested)",
        subject: ws,
        // The egress policy and its option; account-policy (the account console's ingress) stays.
        remove: (p, r) => (isType(r, ":AccountNetworkPolicy") && r.name !== `${p}-account-policy`) || isType(r, ":WorkspaceNetworkOption"),
    },
];
