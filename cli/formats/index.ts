// The report formats: one module each, listed once here. A format is a name and a function from
// the report to text; `--format`, `--output <format>=<file>` and `--help` read this list.

import { Report } from "../check";
import { MarkdownOptions } from "./markdown";
import { table } from "./table";
import { json } from "./json";
import { sarif } from "./sarif";
import { markdown } from "./markdown";

export interface RenderOptions {
    colour: boolean;
    /** The file SARIF results are anchored to. */
    artifact: string;
    markdown?: MarkdownOptions;
    /** Write the evidence picture as text trees (the table). */
    explain?: boolean;
}

export interface ReportFormat {
    /** What `--format` and `--output <format>=<file>` call it. */
    name: string;
    /** Holds every finding: the Markdown report, when it leaves some out, points to a file of such a format. */
    complete?: true;
    render(r: Report, opts: RenderOptions): string;
}

/** Every format, the default first. */
export const FORMATS: readonly ReportFormat[] = [table, json, sarif, markdown];

export const FORMAT_NAMES: readonly string[] = FORMATS.map(f => f.name);

/** The format of this name, or none. */
export function formatNamed(name: string): ReportFormat | undefined {
    return FORMATS.find(f => f.name === name);
}
