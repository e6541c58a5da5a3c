// docs/mutations.md, generated from the mutation list the end-to-end suite runs.

import { featureRow, TIER_TITLES, TierId } from "../../policies/matrix";
import { Mutation } from "../../fixtures/mutations";
import { MUTATIONS } from "./mutations";
import { PROGRAMS } from "./programs";

/** The programs (by tier) a mutation runs against. */
export function programsOf(m: Mutation): TierId[] {
    return PROGRAMS.filter(p => featureRow(m.feature).tiers[p.tier] === "required" && (m.programs === undefined || m.programs.includes(p.tier))).map(p => p.tier);
}

export function mutationsTable(): string {
    const lines = [
        "# Mutations of the reference programs",
        "",
        "Generated from each feature's `policies/<group>/<feature>/mutations.ts` (the lists the end-to-end suite runs;",
        "`test/e2e/mutations.spec.ts` checks that this file is current). Each mutation breaks one feature of a reference program in `examples/` in one",
        "realistic way; the suite runs it in update mode (IDs known) and in preview mode (new IDs unknown) against every",
        "reference program whose tier requires the feature, and asserts that the pack reports exactly that feature as",
        "mandatory, naming the resource, and nothing else as mandatory. A mutation is a stack transform applied at",
        "registration (the program's dependencies are recorded by the SDK), the removal of resources with everything that",
        "depends on them, or a change of the policy pack configuration.",
        "",
        "| feature | mutation | how | programs | expected |",
        "|---|---|---|---|---|",
    ];
    for (const m of MUTATIONS) {
        const how = m.transform ? "transform" : m.remove ? "remove" : "pack config";
        const progs = programsOf(m).map(t => TIER_TITLES[t]).join(", ");
        const expected = (m.subject ? "mandatory" : "mandatory on the stack, saying how to attest it (no Pulumi resource can show it)")
            + (m.alsoBreaks ? ` (and ${m.alsoBreaks.map(f => `\`${f}\``).join(", ")}, which the same change breaks)` : "");
        lines.push(`| \`${m.feature}\` | ${m.description} (\`${m.id}\`) | ${how} | ${progs} | ${expected} |`);
    }
    return lines.join("\n") + "\n";
}
