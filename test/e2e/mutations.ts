// The reference-program mutations of every feature, kept beside each feature and collected here once.

import * as fs from "fs";
import * as path from "path";
import { FEATURES } from "../../policies/features";
import { Mutation } from "../../fixtures/mutations";

/** Every feature's mutations, in the pack's feature order: the `mutations.js` beside each feature module. */
function allMutations(): Mutation[] {
    const policiesDir = path.resolve(__dirname, "..", "..", "policies");
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

export const MUTATIONS: readonly Mutation[] = allMutations();
