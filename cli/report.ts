// Renders a report as a terminal table, JSON, SARIF 2.1.0 or Markdown.

import { GROUP_TITLES, GROUPS, TIER_TITLES, TIERS, TierId } from "../policies/matrix";
import { FeatureGap, judged, Readiness } from "../policies/core/evaluation/readiness";
import { EvidencePicture } from "./evidence";
import { renderMermaid, renderTree } from "./evidence-render";
import { FEATURES } from "../policies/features";
import { TIER_TAG_POLICY } from "../policies/core/evaluation/naming";
import { Report } from "./check";
import { ReportFinding } from "./finding";
import { unsetOutputLines } from "./unset-outputs";

/** The heading of the outputs a program read that the mocks never set. */
const UNSET_TITLE = "Outputs the mocks did not set (values built from them are undefined here)";
import { cutId, quoteId } from "../policies/core/model/values";
import { EvidenceKind } from "../policies/core/rules/contract";

export type Format = "table" | "json" | "sarif" | "markdown";
export const FORMATS: readonly Format[] = ["table", "json", "sarif", "markdown"];

const INFO_URI = "https://learn.microsoft.com/azure/databricks/security/network/";

interface Paint {
    red(s: string): string;
    yellow(s: string): string;
    green(s: string): string;
    dim(s: string): string;
    bold(s: string): string;
}

const esc = (code: string) => (s: string) => `\u001b[${code}m${s}\u001b[0m`;
const COLOUR: Paint = { red: esc("31"), yellow: esc("33"), green: esc("32"), dim: esc("2"), bold: esc("1") };
const PLAIN: Paint = { red: s => s, yellow: s => s, green: s => s, dim: s => s, bold: s => s };

function statusWord(f: ReportFinding): string {
    if (f.level === "mandatory") {
        return "MANDATORY";
    }
    switch (f.status) {
        case "fail": return "advisory";
        case "unverified": return "unverified";
        case "attested": return "attested";
        case "exempted": return "exempted";
        case "tier-tag": return "tier tag";
        default: return "note";
    }
}

const BLOCK_NOTE = { "before-creation": " [refused before creation]", "after-update": " [stack check: blocks a preview; after the update with --skip-preview]" } as const;

const PHASE_NOTE = { preview: " (preview run only)", known: " (needs known values: not visible to a first preview)", both: "" } as const;

function subject(f: ReportFinding): string {
    const blocks = f.blocks && f.level === "mandatory" ? BLOCK_NOTE[f.blocks] : "";
    return `${f.urn ? `${cutId(f.resourceType ?? "")} ${quoteId(f.resourceName ?? f.urn)}` : "stack"}${f.phase ? PHASE_NOTE[f.phase] : ""}${blocks}`;
}

/** A finding's lines under its resource: the headline and the details after their context line, which the report's own layout gives. */
function body(f: ReportFinding): string[] {
    return f.headline === undefined ? f.details : [f.headline, ...f.details.slice(1)];
}

/** A gap as the reports word it: the feature and its kinds, e.g. `external-firewall (missing, fail)`. */
function gapText(g: FeatureGap, code: (s: string) => string = s => s): string {
    return `${code(g.feature)} (${g.kinds.join(", ")})`;
}

/** What the tier lacks (blocking gaps) and what is left to verify (advisory ones), in words. */
function tierGaps(r: Readiness, tier: TierId, code?: (s: string) => string): string {
    const t = r.tiers[tier];
    const blocking = t.features.filter(g => g.blocking).map(g => gapText(g, code));
    const verify = t.features.filter(g => !g.blocking).map(g => gapText(g, code));
    return [blocking.length > 0 ? blocking.join(", ") : "", verify.length > 0 ? `to verify: ${verify.join(", ")}` : ""].filter(Boolean).join("; ");
}

/** The readiness headline: the highest tier met, or why none is named. */
export function readinessHeadline(r: Readiness): string {
    if (!judged(r)) {
        return "no tier judged: nothing in this stack is a Databricks workspace or account resource the tiers apply to";
    }
    return r.highest === null ? `meets no tier (not even ${TIERS[0]})` : `meets ${r.highest} (${TIER_TITLES[r.highest]})`;
}

function renderReadinessTable(r: Readiness, p: Paint): string[] {
    const out = [`${p.bold("Readiness:")} ${readinessHeadline(r)}`];
    if (!judged(r)) {
        return out;
    }
    const width = Math.max(...TIERS.map(t => t.length));
    for (const tier of TIERS) {
        const t = r.tiers[tier];
        const gaps = tierGaps(r, tier);
        out.push(`  ${t.met ? p.green("✔") : p.red("✖")}  ${tier.padEnd(width)}  ${gaps || "nothing missing or wrong"}`);
    }
    return out;
}

export interface TableOptions {
    colour: boolean;
    /** Write the evidence picture of each workspace as a text tree (`--explain`). */
    explain?: boolean;
}

export function renderTable(r: Report, colourOrOptions: boolean | TableOptions): string {
    const o: TableOptions = typeof colourOrOptions === "boolean" ? { colour: colourOrOptions } : colourOrOptions;
    const p = o.colour ? COLOUR : PLAIN;
    const out: string[] = [];
    out.push(p.bold(`Azure Databricks network check — tier ${r.tier} (${TIER_TITLES[r.tier]})`));
    const what = { preview: "Planned stack", export: "Stack export", program: "Program (run offline under mocks, preview and known values)" }[r.source.kind];
    out.push(`${what} ${r.source.file}: ${r.source.resources} resources`);
    out.push("", ...renderReadinessTable(r.readiness, p));
    const packLevel = r.findings.filter(x => x.group === undefined);
    if (packLevel.length > 0) {
        out.push("", p.bold("Stack"));
        for (const x of packLevel) {
            out.push(`       ${p.yellow(statusWord(x))}  ${x.feature}`);
            for (const line of body(x)) {
                out.push(p.dim(`         ${line}`));
            }
        }
    }
    for (const g of GROUPS) {
        const features = r.features.filter(f => f.group === g);
        if (features.length === 0) {
            continue;
        }
        out.push("", p.bold(GROUP_TITLES[g]));
        const width = Math.max(...features.map(f => f.id.length));
        for (const f of features) {
            const id = f.id.padEnd(width);
            if (f.notApplicable !== undefined) {
                out.push(p.dim(`  -  ${id}  not checked: ${f.notApplicable}`));
                continue;
            }
            const mark = f.mandatory > 0 ? p.red("✖") : f.advisory > 0 ? p.yellow("!") : p.green("✔");
            const counts = [f.mandatory ? p.red(`${f.mandatory} mandatory`) : "", f.advisory ? p.yellow(`${f.advisory} advisory`) : "", f.passed ? p.green(`${f.passed} passed`) : ""].filter(Boolean).join(", ");
            out.push(`  ${mark}  ${id}  ${f.requirement.padEnd(8)}  ${counts || "nothing to check"}`);
            for (const x of r.findings.filter(y => y.feature === f.id)) {
                const word = statusWord(x);
                out.push(`       ${x.level === "mandatory" ? p.red(word) : p.yellow(word)}  ${subject(x)}`);
                for (const line of body(x)) {
                    out.push(p.dim(`         ${line}`));
                }
            }
        }
    }
    if (r.unsetOutputs) {
        out.push("", p.bold(UNSET_TITLE), ...unsetOutputLines(r.unsetOutputs).map(line => p.yellow(`  !  ${line}`)));
    }
    if (o.explain) {
        out.push("", ...explainLines(r.evidence, p, r.source.kind === "program"));
    }
    const s = r.summary;
    out.push("", s.mandatory > 0
        ? p.red(p.bold(`FAILED: ${s.mandatory} mandatory violation${s.mandatory === 1 ? "" : "s"}, ${s.advisory} advisory.`))
        : p.green(p.bold(`PASSED: no mandatory violation, ${s.advisory} advisory.`)));
    return out.join("\n") + "\n";
}

/** The evidence trees of `--explain`. */
function explainLines(e: EvidencePicture | undefined, p: Paint, program: boolean): string[] {
    const out = [p.bold(`Evidence behind the verdicts${program ? " (the known-values run)" : ""}`)];
    if (!e) {
        return [...out, "  the evidence could not be drawn for this stack (the verdicts above stand)"];
    }
    if (e.total === 0) {
        return [...out, "  no Azure Databricks workspace in this stack"];
    }
    for (const w of e.workspaces) {
        out.push(...renderTree(w).map(l => `  ${l}`));
    }
    if (e.total > e.workspaces.length) {
        out.push(`  ${e.total - e.workspaces.length} more workspaces not shown`);
    }
    return out;
}

/** The JSON report: everything but the evidence picture, which only the Markdown and --explain draw. */
export function renderJson(r: Report): string {
    return JSON.stringify({ ...r, evidence: undefined }, null, 2) + "\n";
}

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

/** Worst first: mandatory, then advisory failures, unverified, the tier tag, attested, exempted, notes. */
const RANK: Record<ReportFinding["status"], number> = { fail: 1, unverified: 2, "tier-tag": 3, attested: 4, exempted: 5, note: 6, pass: 7 };
const KIND_RANK: Record<EvidenceKind, number> = { fail: 0, missing: 1, outside: 2, secret: 3, unknown: 4 };

function rank(f: ReportFinding): number {
    return f.level === "mandatory" ? 0 : RANK[f.status];
}

export function worstFirst(findings: readonly ReportFinding[]): ReportFinding[] {
    return findings
        .map((f, i) => ({ f, i }))
        .sort((a, b) => rank(a.f) - rank(b.f) || (a.f.kind === undefined ? 9 : KIND_RANK[a.f.kind]) - (b.f.kind === undefined ? 9 : KIND_RANK[b.f.kind]) || a.i - b.i)
        .map(x => x.f);
}

function findingBlock(x: ReportFinding): string {
    return [`- **${statusWord(x)}** \`${x.feature}\` — ${mdEscape(subject(x))}`, ...body(x).map(line => `  ${mdEscape(line)}  `)].join("\n");
}

/** What was left out, by word: "3 MANDATORY, 120 advisory, 4 note". */
function countWords(findings: readonly ReportFinding[]): string {
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
    const omitted = (left: readonly ReportFinding[]) =>
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

/** SARIF 2.1.0 as GitHub code scanning reads it. `artifact` is the file results are anchored to. */
export function renderSarif(r: Report, artifact: string): string {
    const rules = FEATURES.map(f => {
        const meta = r.features.find(x => x.id === f.id);
        return {
            id: f.id,
            name: f.id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
            shortDescription: { text: meta?.title ?? f.id },
            fullDescription: { text: f.description },
            helpUri: f.url,
            help: { text: f.remediationSteps, markdown: `${f.description}\n\n${"```"}ts\n${f.remediationSteps}\n${"```"}` },
            defaultConfiguration: { level: meta?.requirement === "required" ? "error" : "warning" },
            properties: {
                tags: ["security", "azure", "databricks", "network", `group:${meta?.group ?? ""}`],
                "security-severity": { low: "3.0", medium: "5.0", high: "7.5", critical: "9.5" }[f.severity],
                precision: "high",
            },
        };
    });
    rules.push({
        id: TIER_TAG_POLICY,
        name: "TierTag",
        shortDescription: { text: "Stack tier tag" },
        fullDescription: { text: "A stack tag databricks-network-tier that names no tier or a weaker tier than the configured one (a tag can only raise enforcement)." },
        helpUri: INFO_URI,
        help: { text: "Set the tag to a tier at least as strict as the configured one, or remove it.", markdown: "Set the tag to a tier at least as strict as the configured one, or remove it." },
        defaultConfiguration: { level: "note" },
        properties: { tags: ["azure", "databricks", "network", "pack"], "security-severity": "3.0", precision: "high" },
    });
    const ruleIndex = new Map(rules.map((x, i) => [x.id, i]));
    const results = r.findings.map(x => ({
        ruleId: x.feature,
        ruleIndex: ruleIndex.get(x.feature) ?? 0,
        level: x.level === "mandatory" ? "error" : x.status === "fail" ? "warning" : "note",
        kind: x.status === "fail" ? "fail" : x.status === "exempted" || x.status === "attested" ? "pass" : "review",
        message: { text: x.message },
        locations: [{
            physicalLocation: { artifactLocation: { uri: artifact }, region: { startLine: 1 } },
            logicalLocations: [{ fullyQualifiedName: x.urn ?? "stack", name: x.resourceName ?? "stack", kind: "resource" }],
        }],
        partialFingerprints: { "databricksNetwork/v2": x.fingerprint },
        properties: { status: x.status, ...(x.kind ? { kind: x.kind } : {}), tier: r.tier, urn: x.urn, blocks: x.blocks },
    }));
    const sarif = {
        $schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [{
            tool: { driver: { name: r.tool.name, version: r.tool.version, semanticVersion: r.tool.version, informationUri: INFO_URI, rules } },
            automationDetails: { id: `databricks-network/${r.tier}/` },
            results,
            properties: { tier: r.tier, readiness: r.readiness, source: r.source, summary: r.summary },
        }],
    };
    return JSON.stringify(sarif, null, 2) + "\n";
}

export function render(r: Report, format: Format, opts: { colour: boolean; artifact: string; markdown?: MarkdownOptions; explain?: boolean }): string {
    switch (format) {
        case "json": return renderJson(r);
        case "sarif": return renderSarif(r, opts.artifact);
        case "markdown": return renderMarkdown(r, opts.markdown);
        default: return renderTable(r, { colour: opts.colour, explain: opts.explain });
    }
}
