// Realistic ways to break performance-services-private-link in the reference programs (fixtures/mutations.ts says how they run).

import { Mutation, edit, isType, obj, OTHER_STORAGE, ws } from "../../../fixtures/mutations";

export const mutations: readonly Mutation[] = [
    {
        id: "remove-service-direct-endpoint", feature: "performance-services-private-link",
        description: "The `service_direct` private endpoint removed (with its account registration)",
        subject: ws,
        remove: (p, r) => isType(r, ":PrivateEndpoint") && r.name === `${p}-service-direct`,
    },
    {
        id: "service-direct-endpoint-to-storage", feature: "performance-services-private-link",
        description: "The `service_direct` endpoint's `privateLinkServiceId` names a storage account instead of the regional Private Link Service",
        subject: ws,
        transform: edit(":PrivateEndpoint", p => `${p}-service-direct`, props => ({
            ...props,
            manualPrivateLinkServiceConnections: (Array.isArray(props.manualPrivateLinkServiceConnections) ? props.manualPrivateLinkServiceConnections : [])
                .map(c => ({ ...obj(c), privateLinkServiceId: OTHER_STORAGE })),
        })),
    },
    {
        id: "remove-service-direct-registration", feature: "performance-services-private-link",
        description: "The `databricks.Endpoint` registration of the `service_direct` endpoint removed",
        subject: ws,
        remove: (p, r) => isType(r, ":Endpoint") && r.type.startsWith("databricks:") && r.name === `${p}-service-direct-registration`,
    },
];
