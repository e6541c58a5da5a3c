// The reference programs recorded under mocks, once per program, mode and stack transform, and
// shared by every suite that judges them: a recording depends on nothing else, so recording the
// same program again gives the same stack. Removals and configuration changes apply to a recorded
// stack; only a stack transform (applied at registration) needs a recording of its own.

import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { PackConfigFile } from "../../policies/core/evaluation/settings";
import { RecordedStack, runProgram } from "../../support/program";
import { Mutation, removeWithDependents } from "../../fixtures/mutations";
import { ReferenceProgram } from "./programs";

export type Mode = "update" | "preview";
export const MODES: readonly Mode[] = ["update", "preview"];

const cache = new Map<string, Promise<RecordedStack>>();

async function recordNow(p: ReferenceProgram, preview: boolean, transforms: pulumi.ResourceTransform[]): Promise<RecordedStack> {
    // The SDK keeps a stack trace of every promise it makes, for its leak report: nothing reads
    // them in these runs, and taking them costs more than the rest of the recording.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return await runProgram(() => p.program(), { preview, outputs: p.outputs(), transforms });
    } finally {
        Error.stackTraceLimit = limit;
    }
}

/**
 * The program recorded in this mode, with the transform (named by `key`) applied at registration.
 * Each caller gets a copy of its own.
 */
export async function recorded(p: ReferenceProgram, mode: Mode, transform?: { key: string; transform: pulumi.ResourceTransform }): Promise<RecordedStack> {
    const id = `${p.tier}|${mode}|${transform?.key ?? ""}`;
    let stack = cache.get(id);
    if (!stack) {
        stack = recordNow(p, mode === "preview", transform ? [transform.transform] : []);
        cache.set(id, stack);
    }
    return structuredClone(await stack);
}

/** A mutated program as the engine would see it, and the pack configuration it is checked with. */
export interface MutatedStack {
    stack: RecordedStack;
    config: PackConfigFile;
}

/** The program with the mutation applied: recorded with its transform, its removals applied, its configuration changed. */
export async function mutatedStack(p: ReferenceProgram, m: Mutation, mode: Mode): Promise<MutatedStack> {
    let stack = await recorded(p, mode, m.transform ? { key: `mutation ${m.id}`, transform: m.transform(p.prefix) } : undefined);
    if (m.remove) {
        const remove = m.remove;
        const before = stack.resources.length;
        stack = { ...stack, resources: removeWithDependents(stack.resources, r => remove(p.prefix, r)) };
        assert.ok(stack.resources.length < before, `mutation ${m.id} removed nothing from ${p.tier}`);
    }
    return { stack, config: m.config ? m.config(p.packConfig) : p.packConfig };
}
