// The terminal table: per group, each feature's result and findings under it; `--explain` adds the
// evidence trees.

import { GROUP_TITLES, GROUPS, TIER_TITLES, TIERS } from "../../policies/matrix";
import { isFeatureFinding } from "../../policies/core/rules/contract";
import { judged, Readiness } from "../../policies/core/evaluation/readiness";
import { EvidencePicture } from "../picture/evidence";
import { renderTree } from "../picture/render";
import { Report } from "../check";
import { unsetOutputLines, UNSET_TITLE } from "../program/unset-outputs";
import { body, readinessHeadline, statusWord, subject, tierGaps } from "./words";
import { ReportFormat } from "./index";

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
    const packLevel = r.findings.filter(x => !isFeatureFinding(x));
    if (packLevel.length > 0) {
        out.push("", p.bold("Stack"));
        for (const x of packLevel) {
            out.push(`       ${p.yellow(statusWord(x))}  ${x.policy}`);
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


export const table: ReportFormat = {
    name: "table",
    render: (r, opts) => renderTable(r, { colour: opts.colour, explain: opts.explain }),
};
