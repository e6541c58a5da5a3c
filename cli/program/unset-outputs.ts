// Program mode: outputs the program read that the mocks never set. The SDK resolves them as
// `undefined` in the known-values run, so a value built from one ("undefined/providers/…") is judged
// as if it were real. Each is named, with the properties that depend on its resource and the
// verdicts that rest on them: the findings that change when those properties are judged unknown.

import { RecordedStack, toResourceInputs, UNKNOWN, UnsetOutput } from "./record";
import { checkStack, CheckOptions, Report } from "../check";
import { identityOf, Judged, listed } from "../../policies/core/rules/contract";
import { cut, cutId, quoteId } from "../../policies/core/model/values";

/** The heading of the outputs a program read that the mocks never set. */
export const UNSET_TITLE = "Outputs the mocks did not set (values built from them are undefined here)";

/** An output read but never set, what took its resource's values, and the verdicts resting on them. */
export interface UnsetOutputReport {
    type: string;
    name: string;
    output: string;
    /** Properties of other resources that depend on this resource (property dependencies), `<name>.<property>`. */
    readBy: string[];
    /**
     * The findings that differ when those properties are unknown: `<feature> on <resource>` (in the
     * known-values run); absent beyond the first UNSET_OUTPUTS_JUDGED outputs, which are not judged again.
     */
    verdicts?: string[];
    /** How to set it, in the `--mocks` format. */
    mock: string;
}

/** How many unset outputs are judged again (each is one more judgement of the known-values run). */
export const UNSET_OUTPUTS_JUDGED = 10;

/** The known-values run's unset outputs, each with the verdicts that rest on it. */
export function unsetOutputs(known: RecordedStack, report: Report, opts: CheckOptions): UnsetOutputReport[] {
    const seen = new Set<string>();
    const unique = (known.unsetOutputs ?? []).filter(u => {
        const key = `${u.urn ?? `${u.type}::${u.name}`}\u0000${u.output}`;
        return !seen.has(key) && (seen.add(key), true);
    });
    return unique.map((u, i) => (i < UNSET_OUTPUTS_JUDGED ? judgedWithout(known, report, u, opts) : { ...named(u), readBy: [] }));
}

function judgedWithout(known: RecordedStack, report: Report, u: UnsetOutput, opts: CheckOptions): UnsetOutputReport {
    const readBy: string[] = [];
    const resources = known.resources.map(r => {
        const props = Object.entries(r.propertyDependencies).filter(([, urns]) => u.urn !== undefined && urns.includes(u.urn)).map(([p]) => p);
        if (props.length === 0) {
            return r;
        }
        readBy.push(...props.map(p => `${r.name}.${p}`));
        const unknown = (o: Record<string, unknown>) => ({ ...o, ...Object.fromEntries(props.map(p => [p, UNKNOWN])) });
        return { ...r, inputs: unknown(r.inputs), outputs: unknown(r.outputs) };
    });
    const verdicts = readBy.length === 0 ? [] : changed(report.findings, checkStack(toResourceInputs({ ...known, resources }), { file: report.source.file, kind: "export" }, opts).findings);
    return { ...named(u), readBy, verdicts };
}

function named(u: UnsetOutput): Pick<UnsetOutputReport, "type" | "name" | "output" | "mock"> {
    return { type: u.type, name: u.name, output: u.output, mock: `{"resources": {"${u.type}::${u.name}": {"${u.output}": <value>}}}` };
}

/** Findings of one judgement that the other has not (same identity, level and status), named once. */
function changed(before: readonly Judged[], after: readonly Judged[]): string[] {
    const key = (f: Judged) => [...identityOf(f), f.level, f.status].join("\u0000");
    const inBefore = new Set(before.map(key));
    const inAfter = new Set(after.map(key));
    const named = [...before.filter(f => !inAfter.has(key(f))), ...after.filter(f => !inBefore.has(key(f)))]
        .map(f => `${f.feature ?? f.policy} on ${f.resource?.name ?? "the stack"}`);
    return [...new Set(named)];
}

/** The lines a report gives them: capped, each value it names cut by the report's own rules. */
export function unsetOutputLines(list: readonly UnsetOutputReport[]): string[] {
    const more = list.length - UNSET_OUTPUTS_JUDGED;
    return [...list.slice(0, UNSET_OUTPUTS_JUDGED).map(u => {
        const read = u.readBy.length > 0 ? `; its resource's values are taken by ${listed(u.readBy.map(x => cutId(x)))}` : "";
        const verdicts = u.verdicts ?? [];
        const rests = verdicts.length > 0 ? `; verdicts resting on it: ${listed(verdicts.map(x => cutId(x)))}` : "; no verdict rests on it";
        return `${cutId(u.type)} ${quoteId(u.name)} output ${cut(u.output)}: read by the program, never set by the mocks (undefined in the known-values run)${read}${rests}. Set it with --mocks ${cutId(u.mock)}`;
    }), ...(more > 0 ? [`and ${more} more output${more === 1 ? "" : "s"} (named in the JSON report)`] : [])];
}
