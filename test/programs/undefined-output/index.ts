import * as pulumi from "@pulumi/pulumi";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as managedidentity from "@pulumi/azure-native/managedidentity";

interface Parts { vault: string; version: string }

// Outputs the provider computes: a key's versioned URI (answered by the built-in mocks) and an
// identity's client ID (not answered unless --mocks supplies it).
const key = new keyvault.Key("cmk", { resourceGroupName: "rg", vaultName: "kv-dbx", keyName: "cmk", properties: { kty: "RSA" } });
const parts: pulumi.Output<Parts> = key.keyUriWithVersion.apply(u => {
    const s = u.split("/");
    return { vault: s[2], version: s[5] };
});
const identity = new managedidentity.UserAssignedIdentity("uami", { resourceGroupName: "rg", resourceName: "uami" });
export const clientPrefix = identity.clientId.apply(c => c.split("-")[0]);
export const version = parts.version;
