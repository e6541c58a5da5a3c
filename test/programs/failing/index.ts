import * as databricks from "@pulumi/azure-native/databricks";

// A workspace without VNet injection, with public IPs: fails Managed security.
new databricks.Workspace("ws", {
    resourceGroupName: "rg", workspaceName: "ws", sku: { name: "premium" },
    managedResourceGroupId: "/subscriptions/0/resourceGroups/ws-managed",
    parameters: { enableNoPublicIp: { value: false } },
});
