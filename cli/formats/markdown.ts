// The Markdown report for a pull-request comment: bounded (GitHub refuses comments over 65 536
// characters), worst findings first, the evidence diagrams within their share.

import { GROUP_TITLES, GROUPS, TIER_TITLES, TIERS } from "../../policies/matrix";
import { Judged } from "../../policies/core/rules/contract";
import { judged, Readiness } from "../../policies/core/evaluation/readiness";
import { cutId } from "../../policies/core/model/values";
import { EvidencePicture } from "../picture/evidence";
import { renderMermaid } from "../picture/render";
import { Report } from "../check";
import { unsetOutputLines, UNSET_TITLE } from "../program/unset-outputs";
import { body, readinessHeadline, statusWord, subject, tierGaps, worstFirst } from "./words";
import { ReportFormat } from "./index";

function mdEscape(s: string): string {
    return s.replace(/\|/g, "\\|").replace(/</g, "&lt;");
}

/**
 * GitHub refuses a pull-request comment over 65 536 characters. The default bound leaves room for
 * whatever a workflow puts around the report.
 */
export const MARKDOWN_MAX_CHARS = 60_000;
/** The smallest bound the command accepts: the header, the feature tables and the closing lines always fit. */
export const MARKDOWN_MIN_CHARS = 4_000;
/** The report's last line, so that a workflow finds its earlier comment and updates it in place. */
export const COMMENT_MARKER = "<!-- databricks-network-check -->";

export interface MarkdownOptions {
    /** The report's length never exceeds this many characters (UTF-16 code units, never fewer than characters). */
    maxChars: number;
    /** Where the full report is (files written in the same run, a URL), named when findings are left out. */
    fullReport: string[];
}

function findingBlock(x: Judged): string {
    return [`- **${statusWord(x)}** \`${x.feature ?? x.policy}\` — ${mdEscape(subject(x))}`, ...body(x).map(line => `  ${mdEscape(line)}  `)].join("\n");
}

/** What was left out, by word: "3 MANDATORY, 120 advisory, 4 note". */
function countWords(findings: readonly Judged[]): string {
    const counts = new Map<string, number>();
    for (const x of findings) {
        counts.set(statusWord(x), (counts.get(statusWord(x)) ?? 0) + 1);
    }
    return [...counts].map(([w, n]) => `${n} ${w}`).join(", ");
}

function markdownReadiness(r: Readiness): string[] {
    const out = [`**Readiness:** ${mdEscape(readinessHeadline(r))}`];
    if (!judged(r)) {
        return out;
    }
    out.push("", "| tier | met | missing or wrong (kinds) |", "|---|---|---|");
    for (const tier of TIERS) {
        const gaps = tierGaps(r, tier, x => `\`${x}\``);
        out.push(`| ${TIER_TITLES[tier]} | ${r.tiers[tier].met ? "✅" : "❌"} | ${mdEscape(gaps) || "–"} |`);
    }
    return out;
}

/** Share of the Markdown bound the evidence pictures may take; the findings keep the rest. */
const PICTURE_SHARE = 0.3;
/** Workspaces the Markdown report draws at most. */
export const MARKDOWN_PICTURES = 3;

/** The evidence section within `budget` characters: whole diagrams while they fit, then how many are left out. */
function markdownPictures(e: EvidencePicture | undefined, budget: number, program: boolean): string[] {
    if (!e || e.workspaces.length === 0) {
        return [];
    }
    const open = ["", `<details><summary>Evidence behind the verdicts${program ? " (the known-values run)" : ""}</summary>`, ""];
    const legend = "Red: a wrong value or a mandatory finding; orange: an advisory finding; dashed: outside the stack, unknown until apply or secret, or missing (red or orange when a finding says so).";
    const close = ["</details>"];
    const note = (n: number) => [`**${n} more workspace${n === 1 ? "" : "s"} not drawn**: \`databricks-network-check --explain\` writes up to 10 as text.`, ""];
    const size = (lines: readonly string[]) => lines.reduce((n, l) => n + l.length + 1, 0);
    let left = budget - size(open) - size([legend, ""]) - size(close) - size(note(e.total));
    const drawn: string[] = [];
    let count = 0;
    for (const w of e.workspaces.slice(0, MARKDOWN_PICTURES)) {
        const block = [`**workspace \`${mdEscape(cutId(w.name))}\`**`, "", "```mermaid", renderMermaid(w), "```", ""];
        if (size(block) > left) {
            break;
        }
        left -= size(block);
        drawn.push(...block);
        count++;
    }
    if (count === 0) {
        return [];
    }
    return [...open, legend, "", ...drawn, ...(e.total > count ? note(e.total - count) : []), ...close];
}

export function renderMarkdown(r: Report, opts: MarkdownOptions = { maxChars: MARKDOWN_MAX_CHARS, fullReport: [] }): string {
    const s = r.summary;
    const head: string[] = [];
    head.push(`### Azure Databricks network check: ${s.mandatory > 0 ? "❌ failed" : "✅ passed"}`);
    head.push("", `Tier **${r.tier}** (${TIER_TITLES[r.tier]}) · ${r.source.resources} resources from \`${cutId(r.source.file)}\` · **${s.mandatory}** mandatory · ${s.advisory} advisory`);
    head.push("", ...markdownReadiness(r.readiness));
    if (r.unsetOutputs) {
        head.push("", `**${UNSET_TITLE}**`, "", ...unsetOutputLines(r.unsetOutputs).map(line => `- ${mdEscape(line)}`));
    }
    for (const g of GROUPS) {
        const features = r.features.filter(f => f.group === g);
        if (features.length === 0) {
            continue;
        }
        head.push("", `#### ${GROUP_TITLES[g]}`, "", "| | feature | requirement | result |", "|---|---|---|---|");
        for (const f of features) {
            const mark = f.notApplicable !== undefined ? "➖" : f.mandatory > 0 ? "❌" : f.advisory > 0 ? "⚠️" : "✅";
            const result = f.notApplicable !== undefined ? "not checked in this tier"
                : [f.mandatory ? `${f.mandatory} mandatory` : "", f.advisory ? `${f.advisory} advisory` : "", f.passed ? `${f.passed} passed` : ""].filter(Boolean).join(", ") || "nothing to check";
            head.push(`| ${mark} | \`${f.id}\` | ${f.notApplicable !== undefined ? "–" : f.requirement} | ${result} |`);
        }
    }
    const size = (lines: readonly string[]) => lines.reduce((n, l) => n + l.length + 1, 0);
    const marker = ["", COMMENT_MARKER];
    const program = r.source.kind === "program";
    if (r.findings.length === 0) {
        const pictures = markdownPictures(r.evidence, Math.min(Math.floor(opts.maxChars * PICTURE_SHARE), opts.maxChars - size(head) - size(marker)), program);
        return [...head, ...pictures, ...marker].join("\n") + "\n";
    }
    const ordered = worstFirst(r.findings);
    const where = opts.fullReport.length > 0 ? opts.fullReport.map(x => (/^https?:\/\//.test(x) ? cutId(x) : `\`${cutId(x)}\``)).join(", ") : "the JSON or SARIF report (`--output json=<file>`)";
    const omitted = (left: readonly Judged[]) =>
        ["", `**${left.length} more finding${left.length === 1 ? "" : "s"} not shown** (${countWords(left)}): the full report is in ${where}.`];
    const summaryLine = (shown: number) => `<details${s.mandatory > 0 ? " open" : ""}><summary>Findings, worst first${shown < ordered.length ? ` (${shown} of ${ordered.length})` : ""}</summary>`;
    const blocks = ordered.map(findingBlock);
    // Every line counts its newline; the omission note is reserved at its longest.
    // The summary line is reserved with the most digits its count can take.
    const base = size(head) + size([summaryLine(0), "", "", "</details>"]) + String(ordered.length).length + size(omitted(ordered)) + size(marker);
    // The pictures take at most their share, and only what the header and closing lines leave.
    const pictures = markdownPictures(r.evidence, Math.min(Math.floor(opts.maxChars * PICTURE_SHARE), opts.maxChars - base), program);
    const tail = [...pictures, ...marker];
    const fixed = base - size(marker) + size(tail);
    let budget = opts.maxChars - fixed;
    let shown = 0;
    while (shown < blocks.length && blocks[shown].length + 1 <= budget) {
        budget -= blocks[shown].length + 1;
        shown++;
    }
    const out = [...head, "", summaryLine(shown), "", ...blocks.slice(0, shown), "", "</details>"];
    if (shown < blocks.length) {
        out.push(...omitted(ordered.slice(shown)));
    }
    return [...out, ...tail].join("\n") + "\n";
}


export const markdown: ReportFormat = { name: "markdown", render: (r, opts) => renderMarkdown(r, opts.markdown) };
