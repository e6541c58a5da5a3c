// The ARM resource type of a Pulumi Azure type token, for the IDs the mocks give resources.
// Neither SDK exposes the ARM type at run time: the types programs commonly declare are listed
// with the kinds (policies/core/model/types.ts); any other token gets a type derived from its
// module and type name (`azure-native:cdn:Profile` → `Microsoft.Cdn/profiles`), which is at least
// a valid ARM ID shape.

import { ArmShape, armShape, classify, TypeInfo } from "../../policies/core/model/types";

/** Provider namespaces whose spelling the module name does not give. */
const NAMESPACES: Record<string, string> = {
    network: "Network", privatedns: "Network", dns: "Network", privatelink: "Network", lb: "Network",
    keyvault: "KeyVault", managedidentity: "ManagedIdentity", operationalinsights: "OperationalInsights",
    monitoring: "Insights", insights: "Insights", containerservice: "ContainerService", eventhub: "EventHub",
    cosmosdb: "DocumentDB", documentdb: "DocumentDB", appservice: "Web", web: "Web", core: "Resources",
    resources: "Resources", dbforpostgresql: "DBforPostgreSQL", dbformysql: "DBforMySQL", servicebus: "ServiceBus",
};

const lcFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

function plural(s: string): string {
    if (/[^aeiou]y$/i.test(s)) {
        return `${s.slice(0, -1)}ies`;
    }
    return /(s|x|ch|sh)$/i.test(s) ? `${s}es` : `${s}s`;
}

function derived(module: string, typeName: string, ownName: string): ArmShape {
    const ns = NAMESPACES[module] ?? module.charAt(0).toUpperCase() + module.slice(1);
    return { namespace: `Microsoft.${ns}`, types: [plural(lcFirst(typeName))], names: [ownName] };
}

/** The ARM type of an Azure token; undefined for Databricks and non-Azure tokens. */
export function armType(info: TypeInfo): ArmShape | undefined {
    if (info.family === "databricks") {
        return undefined;
    }
    return armShape(info) ?? (info.family === "azure-native"
        ? derived(info.module, info.typeName, `${lcFirst(info.typeName)}Name`)
        : derived(info.module.split("/")[0], info.typeName, "name"));
}

/** The name the inputs give one segment: the input itself, or one spelled alike in another case. */
function nameInput(inputs: Record<string, unknown>, prop: string): string | undefined {
    if (prop.startsWith("=")) {
        return prop.slice(1);
    }
    const key = prop in inputs ? prop : Object.keys(inputs).find(k => k.toLowerCase() === prop.toLowerCase());
    const v = key === undefined ? undefined : inputs[key];
    return typeof v === "string" && v !== "" ? v : undefined;
}

/** The ARM ID Azure would give a resource of this token, name and inputs. */
export function armIdOf(type: string, name: string, inputs: Record<string, unknown>, subscription: string): string | undefined {
    const info = classify(type);
    if (!info || info.family === "databricks") {
        return undefined;
    }
    const rg = nameInput(inputs, "resourceGroupName") ?? "rg";
    if ((info.family === "azure-native" && key(info) === "resources:ResourceGroup") || (info.family === "azure" && key(info) === "core/resourceGroup:ResourceGroup")) {
        return `/subscriptions/${subscription}/resourceGroups/${info.family === "azure" ? nameInput(inputs, "name") ?? name : nameInput(inputs, "resourceGroupName") ?? name}`;
    }
    // Classic associations carry the subnet's ID as their own.
    if (info.family === "azure" && /Association$/.test(info.typeName) && typeof inputs.subnetId === "string") {
        return inputs.subnetId;
    }
    const t = armType(info) as ArmShape;
    const last = t.names.length - 1;
    const segments = t.types.map((ty, i) => `${ty}/${nameInput(inputs, t.names[i]) ?? (i === last ? name : "parent")}`).join("/");
    const parent = t.parentId ? nameInput(inputs, t.parentId) : undefined;
    if (parent?.startsWith("/subscriptions/")) {
        return `${parent}/${segments}`;
    }
    return `/subscriptions/${subscription}/resourceGroups/${rg}/providers/${t.namespace}/${segments}`;
}

function key(info: TypeInfo): string {
    return `${info.module}:${info.typeName}`;
}
