// Realistic ways to break a feature of a reference program, as data kept beside each feature
// (`policies/<group>/<feature>/mutations.ts`): the end-to-end suite runs each one against every
// program whose tier requires the feature, and docs/mutations.md is generated from the same lists. A mutation either transforms resource inputs at registration (a stack transform,
// so the SDK records the program's real dependencies), removes resources from the recorded stack
// (with everything that depends on them, as deleting them from the program would), or changes
// the policy pack configuration.

import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { FeatureId, TierId } from "../policies/matrix";
import { FEATURES } from "../policies/features";
import { PackConfigFile } from "./engine";
import { RecordedResource } from "./program";

export interface Mutation {
    id: string;
    feature: FeatureId;
    /** What is broken, as the docs table says it. */
    description: string;
    /** Programs (by tier) it applies to; all whose tier requires the feature when omitted. */
    programs?: TierId[];
    /**
     * Logical name of the resource the report must name; none for evidence no resource can show
     * (then the mandatory verdict is on the stack and says how to attest it).
     */
    subject?: (prefix: string) => string;
    transform?: (prefix: string) => pulumi.ResourceTransform;
    /** Resources to remove (and their dependents). */
    remove?: (prefix: string, r: RecordedResource) => boolean;
    config?: (config: PackConfigFile) => PackConfigFile;
    /** Features the same change rightly breaks too (e.g. NCC rules removed: serverless compute loses the lake). */
    alsoBreaks?: FeatureId[];
}

export type Props = Record<string, unknown>;

/** A transform of the inputs of the resource with this type suffix and logical name. */
export function edit(typeSuffix: string, name: (p: string) => string, change: (props: Props) => Props): (p: string) => pulumi.ResourceTransform {
    return p => args => args.type.endsWith(typeSuffix) && args.name === name(p)
        ? { props: change({ ...args.props }), opts: args.opts }
        : undefined;
}

export const isType = (r: RecordedResource, suffix: string) => r.type.endsWith(suffix);
export const ws = (p: string) => `${p}-ws`;
export const OTHER_WORKSPACE = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-other/providers/Microsoft.Databricks/workspaces/other-ws";
export const OTHER_STORAGE = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-other/providers/Microsoft.Storage/storageAccounts/otherlake";

export function obj(v: unknown): Props {
    return v !== null && typeof v === "object" && !Array.isArray(v) ? { ...(v as Props) } : {};
}

/** Removes the matching resources and, transitively, every resource that depends on them. */
export function removeWithDependents(resources: RecordedResource[], match: (r: RecordedResource) => boolean): RecordedResource[] {
    const gone = new Set(resources.filter(match).map(r => r.urn));
    let grew = true;
    while (grew) {
        grew = false;
        for (const r of resources) {
            if (gone.has(r.urn)) {
                continue;
            }
            const deps = [...r.dependencies, ...Object.values(r.propertyDependencies).flat()];
            if (deps.some(u => gone.has(u))) {
                gone.add(r.urn);
                grew = true;
            }
        }
    }
    return resources.filter(r => !gone.has(r.urn));
}

/** Every feature's mutations, in the pack's feature order: the `mutations.js` beside each feature module. */
export function allMutations(): Mutation[] {
    const policiesDir = path.resolve(__dirname, "..", "policies");
    const out: Mutation[] = [];
    for (const f of FEATURES) {
        const group = fs.readdirSync(policiesDir).find(g => fs.existsSync(path.join(policiesDir, g, f.id, "index.js")));
        const file = group === undefined ? undefined : path.join(policiesDir, group, f.id, "mutations.js");
        if (file !== undefined && fs.existsSync(file)) {
            // eslint-disable-next-line @typescript-eslint/no-var-requires
            out.push(...(require(file) as { mutations: readonly Mutation[] }).mutations);
        }
    }
    return out;
}
