// Derives the ready-made configuration files and the README's feature table from the matrix.
// `node bin/scripts/generate.js` writes them; `--check` fails when they are out of date.

import * as fs from "fs";
import * as path from "path";
import { GROUP_TITLES, MATRIX, SOURCE_WORDING, TIER_TITLES, TIERS, TierId } from "../policies/matrix";
import { policyPackArgs } from "../policies/pack";
import { FEATURES } from "../policies/features";
import { PACK_WIDE_POLICY, policyName } from "../policies/core/evaluation/naming";

const ROOT = path.resolve(__dirname, "..", "..");
const BEGIN = "<!-- BEGIN GENERATED: feature matrix -->";
const END = "<!-- END GENERATED: feature matrix -->";

const CELL = { required: "**mandatory**", optional: "advisory", none: "–" } as const;

/** The public page whose feature matrix `policies/matrix.ts` transcribes. */
export const ARCHITECTURES_PAGE = {
    title: "Azure Databricks network deployment architectures",
    url: "https://learn.microsoft.com/azure/databricks/security/network/deployment-architecture/",
} as const;

/**
 * One `--policy-pack-config` file per tier: the pack-wide entry with the tier, and the strict
 * evidence switch written out (off) so a reviewer sees where to turn it on.
 */
export function tierConfigFile(tier: TierId): string {
    const cfg: Record<string, { tier: TierId; requireEvidenceInStack: boolean }> = { [PACK_WIDE_POLICY]: { tier, requireEvidenceInStack: false } };
    return JSON.stringify(cfg, null, 2) + "\n";
}

export function matrixTable(): string {
    const implemented = new Set(policyPackArgs().args.policies.map(p => p.name));
    const head = `| group | feature (policy name) | ${TIERS.map(t => TIER_TITLES[t]).join(" | ")} |`;
    const sep = `|---|---|${TIERS.map(() => "---").join("|")}|`;
    const rows = MATRIX.map(r => {
        const name = implemented.has(r.id) ? `\`${r.id}\`` : `\`${r.id}\` (not yet implemented)`;
        const note = "proseOnly" in r && r.proseOnly ? " ¹" : "";
        return `| ${GROUP_TITLES[r.group]} | ${r.title}${note}: ${name} | ${TIERS.map(t => `${CELL[r.tiers[t]]} (${SOURCE_WORDING[r.tiers[t]]})`).join(" | ")} |`;
    });
    const notes = MATRIX.filter(r => "proseOnly" in r && r.proseOnly).map(r => `¹ ${(r as { proseOnly: string }).proseOnly}`);
    // What each feature's resource policy refuses before the resource is created.
    const before = FEATURES.filter(f => f.resourceCheck).map(f => `- \`${policyName(f.id, "resource")}\`: ${f.resourceCheck?.summary}`);
    // What each feature accepts as evidence, in the words of its own module.
    const evidence = FEATURES.map(f => `- \`${f.id}\`: ${f.description}`);
    return [BEGIN, head, sep, ...rows, "", `Cells: the pack's enforcement, then in parentheses the word of the feature matrix in [${ARCHITECTURES_PAGE.title}](${ARCHITECTURES_PAGE.url}).`, ...notes.map(n => `\n${n}`), "",
        "**What counts as evidence** for each feature:", "", ...evidence, "",
        "**Refused before creation** (resource policies, run by the engine's per-resource `Analyze` before it creates or updates the resource, also with `pulumi up --skip-preview`); every other check is a stack policy, which blocks a preview but, with `--skip-preview`, reports only after the update:", "", ...before, END].join("\n");
}

export function expectedFiles(): Map<string, string> {
    const files = new Map<string, string>();
    for (const t of TIERS) {
        files.set(path.join(ROOT, "configs", `${t}.json`), tierConfigFile(t));
    }
    const readmePath = path.join(ROOT, "README.md");
    const readme = fs.existsSync(readmePath) ? fs.readFileSync(readmePath, "utf8") : `${BEGIN}\n${END}\n`;
    const a = readme.indexOf(BEGIN);
    const b = readme.indexOf(END);
    if (a >= 0 && b > a) {
        files.set(readmePath, readme.slice(0, a) + matrixTable() + readme.slice(b + END.length));
    }
    return files;
}
