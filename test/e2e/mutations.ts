// The reference-program mutations of every feature (kept beside each feature, collected once).

import { allMutations, Mutation } from "../../support/mutations";

export { Mutation, removeWithDependents } from "../../support/mutations";

export const MUTATIONS: readonly Mutation[] = allMutations();
