// Realistic ways to break external-firewall in the reference programs (fixtures/mutations.ts says how they run).

import { Mutation, edit, ws } from "../../../fixtures/mutations";

export const mutations: readonly Mutation[] = [
    {
        id: "default-route-to-internet", feature: "external-firewall",
        description: "The route table's `0.0.0.0/0` route goes to `Internet` instead of the firewall",
        subject: ws,
        transform: edit(":RouteTable", p => `${p}-routes`, props => ({
            ...props, routes: [{ name: "default-to-internet", addressPrefix: "0.0.0.0/0", nextHopType: "Internet" }],
        })),
    },
    {
        id: "container-subnet-without-route-table", feature: "external-firewall",
        description: "Container (private) subnet without the route table",
        subject: ws,
        transform: edit(":Subnet", p => `${p}-container`, props => { const { routeTable: _drop, ...rest } = props; return rest; }),
    },
];
