// Realistic ways to break delta-sharing-ip-access-lists in the reference programs (fixtures/mutations.ts says how they run).

import { Mutation, edit } from "../../../fixtures/mutations";

export const mutations: readonly Mutation[] = [
    {
        id: "token-recipient-without-ip-list", feature: "delta-sharing-ip-access-lists",
        description: "Open-sharing (TOKEN) recipient without `ipAccessList`",
        subject: p => `${p}-recipient-partner`,
        transform: edit(":Recipient", p => `${p}-recipient-partner`, props => { const { ipAccessList: _drop, ...rest } = props; return rest; }),
    },
    {
        id: "token-recipient-allows-all", feature: "delta-sharing-ip-access-lists",
        description: "Open-sharing recipient's `ipAccessList.allowedIpAddresses` is `0.0.0.0/0`",
        subject: p => `${p}-recipient-partner`,
        transform: edit(":Recipient", p => `${p}-recipient-partner`, props => ({ ...props, ipAccessList: { allowedIpAddresses: ["0.0.0.0/0"] } })),
    },
];
