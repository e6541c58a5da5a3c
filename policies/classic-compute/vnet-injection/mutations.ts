// Realistic ways to break vnet-injection in the reference programs (fixtures/mutations.ts says how they run).

import { Mutation, edit, ws } from "../../../fixtures/mutations";

export const mutations: readonly Mutation[] = [
    {
        id: "host-subnet-not-delegated", feature: "vnet-injection",
        description: "Host (public) subnet without the `Microsoft.Databricks/workspaces` delegation",
        subject: ws,
        transform: edit(":Subnet", p => `${p}-host`, props => ({ ...props, delegations: [] })),
    },
    {
        id: "container-subnet-without-nsg", feature: "vnet-injection",
        description: "Container (private) subnet without a network security group",
        subject: ws,
        transform: edit(":Subnet", p => `${p}-container`, props => { const { networkSecurityGroup: _drop, ...rest } = props; return rest; }),
    },
];
