// Realistic ways to break account-ip-access-lists in the reference programs (fixtures/mutations.ts says how they run).

import { Mutation, edit, isType } from "../../../fixtures/mutations";

export const mutations: readonly Mutation[] = [
    {
        id: "remove-account-policy", feature: "account-ip-access-lists",
        description: "`account-policy` (context-based ingress for the account console and APIs) removed, and no attestation of account IP access lists",
        remove: (p, r) => isType(r, ":AccountNetworkPolicy") && r.name === `${p}-account-policy`,
    },
    {
        id: "account-policy-full-access", feature: "account-ip-access-lists",
        description: "`account-policy` public ingress in `FULL_ACCESS`",
        // The policy's own value: refused on it, before it is updated.
        subject: p => `${p}-account-policy`,
        transform: edit(":AccountNetworkPolicy", p => `${p}-account-policy`, props => ({ ...props, ingress: { publicAccess: { restrictionMode: "FULL_ACCESS" } } })),
    },
    {
        id: "account-policy-allows-all", feature: "account-ip-access-lists",
        description: "`account-policy` allow rule with `origin.allIpRanges: true`",
        subject: p => `${p}-account-policy`,
        transform: edit(":AccountNetworkPolicy", p => `${p}-account-policy`, props => ({ ...props, ingress: { publicAccess: { restrictionMode: "RESTRICTED_ACCESS", allowRules: [{ origin: { allIpRanges: true } }] } } })),
    },
    {
        id: "account-policy-dry-run-only", feature: "account-ip-access-lists",
        description: "`account-policy` restrictions written only in `ingressDryRun` (logged, not enforced)",
        subject: p => `${p}-account-policy`,
        transform: edit(":AccountNetworkPolicy", p => `${p}-account-policy`, props => { const { ingress, ...rest } = props; return { ...rest, ingressDryRun: ingress }; }),
    },
    {
        id: "account-ingress-on-a-policy-that-governs-nothing", feature: "account-ip-access-lists",
        description: "The account ingress rules written into a policy other than `account-policy`, which governs nothing (the API accepts account destinations only in `account-policy`)",
        subject: p => `${p}-account-policy`,
        transform: edit(":AccountNetworkPolicy", p => `${p}-account-policy`, props => ({ ...props, networkPolicyId: "corporate-ingress" })),
    },
];
