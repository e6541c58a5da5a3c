// The `--mocks` file: answers for invokes (one per token, or several chosen by the call's
// arguments) and outputs for resources (by type token, or by type token and logical name).
//
//   { "invokes":   { "<token>": {<result>} | [{ "args": {<subset of the arguments>}, "result": {<result>} }, …] },
//     "resources": { "<type token>": {<outputs>}, "<type token>::<logical name>": {<outputs>} } }

import * as fs from "fs";
import { InputError } from "../inputs/inputs";
import { isRecord } from "../../policies/core/model/values";

export interface InvokeCase {
    /** Arguments the call must have (each deep-equal); absent, the case answers any call. */
    args?: Record<string, unknown>;
    result: Record<string, unknown>;
}

export interface Mocks {
    invokes: Record<string, InvokeCase[]>;
    /** Outputs by `<type>` or `<type>::<name>`. */
    resources: Record<string, Record<string, unknown>>;
}

/** A value for a message: JSON, cut to `max` characters. */
export function shown(v: unknown, max = 160): string {
    let s: string;
    try {
        s = JSON.stringify(v) ?? String(v);
    } catch {
        s = String(v);
    }
    return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Reads and validates a mocks file; every malformed part is named by its path in the file. */
export function parseMocks(doc: unknown, file: string): Mocks {
    const fail = (where: string, what: string): never => {
        throw new InputError(`${file}: ${where} ${what} (see README, "Checking a program offline")`);
    };
    if (!isRecord(doc)) {
        return fail("the document", `must be an object {"invokes": {…}, "resources": {…}}; got ${shown(doc, 60)}`);
    }
    for (const k of Object.keys(doc)) {
        if (k !== "invokes" && k !== "resources") {
            fail(`"${k}"`, `is not a mocks section; expected "invokes" or "resources"`);
        }
    }
    const out: Mocks = { invokes: {}, resources: {} };
    if (doc.invokes !== undefined && !isRecord(doc.invokes)) {
        fail("invokes", `must be an object keyed by invoke token; got ${shown(doc.invokes, 60)}`);
    }
    for (const [token, answer] of Object.entries((doc.invokes ?? {}) as Record<string, unknown>)) {
        if (isRecord(answer)) {
            out.invokes[token] = [{ result: answer }];
            continue;
        }
        if (!Array.isArray(answer) || answer.length === 0) {
            fail(`invokes["${token}"]`, `must be a result object or a non-empty list of {"args", "result"}; got ${shown(answer, 60)}`);
        }
        out.invokes[token] = (answer as unknown[]).map((c, i) => {
            const at = `invokes["${token}"][${i}]`;
            if (!isRecord(c) || !isRecord(c.result)) {
                return fail(at, `must be {"args": {…}, "result": {…}} with an object "result"; got ${shown(c, 60)}`);
            }
            if (c.args !== undefined && !isRecord(c.args)) {
                fail(`${at}.args`, `must be an object of argument values; got ${shown(c.args, 60)}`);
            }
            const extra = Object.keys(c).find(k => k !== "args" && k !== "result");
            if (extra !== undefined) {
                fail(`${at}.${extra}`, `is not allowed; a case has "args" and "result"`);
            }
            return c.args === undefined ? { result: c.result } : { args: c.args as Record<string, unknown>, result: c.result };
        });
    }
    if (doc.resources !== undefined && !isRecord(doc.resources)) {
        fail("resources", `must be an object keyed by resource type token; got ${shown(doc.resources, 60)}`);
    }
    for (const [key, outputs] of Object.entries((doc.resources ?? {}) as Record<string, unknown>)) {
        if (!/^[A-Za-z0-9-]+:[^:]*:[^:]+(::.+)?$/.test(key)) {
            fail(`resources["${key}"]`, `must be keyed by a type token, e.g. "azure-native:keyvault:Key", optionally with "::<logical name>"`);
        }
        if (!isRecord(outputs)) {
            fail(`resources["${key}"]`, `must be an object of output values; got ${shown(outputs, 60)}`);
        }
        out.resources[key] = outputs as Record<string, unknown>;
    }
    return out;
}

export function loadMocks(file: string | undefined): Mocks | undefined {
    if (file === undefined) {
        return undefined;
    }
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new InputError(`${file}: cannot read the mocks file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (e) {
        throw new InputError(`${file}: the mocks file is not valid JSON: ${(e as Error).message}`);
    }
    return parseMocks(doc, file);
}

function deepEqual(a: unknown, b: unknown): boolean {
    if (a === b) {
        return true;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
        return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
    }
    if (isRecord(a) && isRecord(b)) {
        const ka = Object.keys(a).filter(k => a[k] !== undefined);
        const kb = Object.keys(b).filter(k => b[k] !== undefined);
        return ka.length === kb.length && ka.every(k => deepEqual(a[k], b[k]));
    }
    return false;
}

/** The first case whose arguments all equal the call's; undefined when none matches. */
export function matchInvoke(cases: readonly InvokeCase[], args: Record<string, unknown>): InvokeCase | undefined {
    return cases.find(c => c.args === undefined || Object.entries(c.args).every(([k, v]) => deepEqual(args[k], v)));
}

/** Outputs the mocks give a resource: its type's, then its own (by logical name). */
export function resourceOutputs(mocks: Mocks, type: string, name: string): Record<string, unknown> {
    return { ...mocks.resources[type], ...mocks.resources[`${type}::${name}`] };
}
