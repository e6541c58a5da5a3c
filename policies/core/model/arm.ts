// Azure Resource Manager IDs, compared the way ARM does: case-insensitively. Keys leave out the
// subscription, because a resource declared in the stack only knows its resource group and name.

export interface ArmId {
    subscription?: string;
    resourceGroup: string;
    /** Resource provider namespace, e.g. `Microsoft.Network`. */
    namespace: string;
    /** Type segments, e.g. `["virtualNetworks", "subnets"]`. */
    types: string[];
    names: string[];
}

/** Parses `/subscriptions/…/resourceGroups/…/providers/NS/type/name[/type/name…]`. */
export function parseArmId(id: string): ArmId | undefined {
    if (typeof id !== "string") {
        return undefined;
    }
    const parts = id.trim().split("/").filter(p => p.length > 0);
    let i = 0;
    let subscription: string | undefined;
    if (parts[i]?.toLowerCase() === "subscriptions") {
        subscription = parts[i + 1];
        i += 2;
    }
    if (parts[i]?.toLowerCase() !== "resourcegroups" || parts[i + 1] === undefined) {
        return undefined;
    }
    const resourceGroup = parts[i + 1];
    i += 2;
    if (parts[i]?.toLowerCase() !== "providers" || parts[i + 1] === undefined) {
        return undefined;
    }
    const namespace = parts[i + 1];
    i += 2;
    const types: string[] = [];
    const names: string[] = [];
    while (i + 1 < parts.length) {
        types.push(parts[i]);
        names.push(parts[i + 1]);
        i += 2;
    }
    if (types.length === 0 || i !== parts.length) {
        return undefined;
    }
    return { subscription, resourceGroup, namespace, types, names };
}

/** The comparison key of an ARM ID: lower-case, without the subscription. */
export function armKey(id: ArmId): string {
    const segs = [id.resourceGroup, id.namespace];
    id.types.forEach((t, k) => segs.push(t, id.names[k]));
    return segs.join("/").toLowerCase();
}

export function armKeyOf(id: string): string | undefined {
    const parsed = parseArmId(id);
    return parsed ? armKey(parsed) : undefined;
}

/** The key of a resource from its parts, e.g. (`rg`, `Microsoft.Network`, `virtualNetworks`, `vnet`). */
export function makeArmKey(resourceGroup: string, namespace: string, ...typeNamePairs: string[]): string {
    return [resourceGroup, namespace, ...typeNamePairs].join("/").toLowerCase();
}

/** Whether the ID names a resource of the given namespace/type (e.g. `Microsoft.Databricks`, `workspaces`). */
export function armIsType(id: ArmId, namespace: string, ...types: string[]): boolean {
    return id.namespace.toLowerCase() === namespace.toLowerCase()
        && id.types.length === types.length
        && id.types.every((t, k) => t.toLowerCase() === types[k].toLowerCase());
}

/** The parent resource of a child ID (e.g. the VNet of a subnet). */
export function armParent(id: ArmId): ArmId | undefined {
    if (id.types.length < 2) {
        return undefined;
    }
    return { ...id, types: id.types.slice(0, -1), names: id.names.slice(0, -1) };
}
