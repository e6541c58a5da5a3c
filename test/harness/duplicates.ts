// Resources that share ARM IDs, as real state holds them (the same resource imported again,
// aliased, or replaced): copies with URNs and logical names of their own and the IDs, names and
// properties of the original.

import { RecordedResource } from "../../support/program";

/**
 * 10 000 copies of the private-link subnet of a reference program and 10 000 of the back-end
 * private endpoint in it: each copy of the endpoint references the subnet by an ID that 10 001
 * subnets share (the shape whose lookups once grew with the square of the stack).
 */
export function sharingIds(resources: readonly RecordedResource[], prefix: string, copiesEach = 10_000): RecordedResource[] {
    const out: RecordedResource[] = [];
    for (const name of [`${prefix}-privatelink`, `${prefix}-backend`]) {
        const r = resources.find(x => x.name === name);
        if (!r || typeof r.outputs.id !== "string") {
            throw new Error(`${name}: no such resource with an ID`);
        }
        for (let i = 0; i < copiesEach; i++) {
            out.push({ ...r, urn: `${r.urn}-copy${i}`, name: `${r.name}-copy${i}` });
        }
    }
    return out;
}
