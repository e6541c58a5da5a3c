// Realistic ways to break secure-cluster-connectivity in the reference programs (fixtures/mutations.ts says how they run).

import { Mutation, edit, ws, obj } from "../../../fixtures/mutations";

export const mutations: readonly Mutation[] = [
    {
        id: "public-ip-on-cluster-nodes", feature: "secure-cluster-connectivity",
        description: "Workspace `parameters.enableNoPublicIp.value` set to `false` (cluster nodes get public IPs)",
        subject: ws,
        transform: edit(":Workspace", ws, props => ({ ...props, parameters: { ...obj(props.parameters), enableNoPublicIp: { value: false } } })),
    },
];
