// Values of the reference programs that the tests and the measuring scripts both use.

/** The regional Databricks Private Link Service of performance-intensive services, as the programs are configured with it. */
export const SERVICE_DIRECT_PLS = "/subscriptions/9f8e7d6c-0000-0000-0000-000000000000/resourceGroups/prod-westeurope-servicedirect/providers/Microsoft.Network/privateLinkServices/westeurope-service-direct";
