// Reports of recorded reference programs, made in process by the check command's own code, and
// small edits of a recorded stack (a resource's values changed or removed) that break one link.

import { checkStack, CheckOptions, Report } from "../../cli/check";
import { toResourceInputs } from "../../cli/program/record";
import { RecordedResource, RecordedStack } from "../../support/program";
import { removeWithDependents } from "../../fixtures/mutations";
import { ReferenceProgram } from "../e2e/programs";
import { Mode, recorded } from "../e2e/recordings";

export { PROGRAMS } from "../e2e/programs";

/** A change to a recorded stack. */
export type Edit = (prefix: string, stack: RecordedStack) => RecordedStack;

/** The resource named `<prefix>-<name>`'s values (inputs and outputs alike) changed by `change`. */
export function setValues(name: string, change: (values: Record<string, unknown>) => Record<string, unknown>): Edit {
    return (prefix, stack) => {
        const target = `${prefix}-${name}`;
        const hit = stack.resources.find(r => r.name === target);
        if (!hit) {
            throw new Error(`no resource ${target}`);
        }
        return {
            ...stack,
            resources: stack.resources.map(r => (r.name === target ? { ...r, inputs: change({ ...r.inputs }), outputs: change({ ...r.outputs }) } : r)),
        };
    };
}

/** The resources matched removed, with everything that depends on them (as deleting them from the program would). */
export function removed(match: (prefix: string, r: RecordedResource) => boolean): Edit {
    return (prefix, stack) => ({ ...stack, resources: removeWithDependents(stack.resources, r => match(prefix, r)) });
}

export interface ReportOptions extends CheckOptions {
    mode?: Mode;
    edits?: Edit[];
}

/** The check command's report of the program (update mode by default), with its own pack configuration unless one is given. */
export async function reportOf(p: ReferenceProgram, opts: ReportOptions = {}): Promise<Report> {
    let stack = await recorded(p, opts.mode ?? "update");
    for (const edit of opts.edits ?? []) {
        stack = edit(p.prefix, stack);
    }
    const { mode: _mode, edits: _edits, ...check } = opts;
    return checkStack(toResourceInputs(stack), { file: `${p.tier}.json`, kind: opts.mode === "preview" ? "preview" : "export" }, { config: p.packConfig, ...check });
}
