// Reads the two files a CI job has at hand — `pulumi preview --json` and `pulumi stack export` —
// into the resource shape the policies evaluate. Every malformed input becomes an InputError that
// names the file and what was expected.

import * as fs from "fs";
import { ResourceInput } from "../policies/core/model/stack";

export class InputError extends Error {}

export type SourceKind = "preview" | "export";

export interface LoadedStack {
    kind: SourceKind;
    resources: ResourceInput[];
}

/** The subset of Pulumi's `apitype.ResourceV3` the policies need. */
interface ResourceV3 {
    urn?: unknown;
    type?: unknown;
    custom?: unknown;
    delete?: unknown;
    inputs?: unknown;
    outputs?: unknown;
    parent?: unknown;
    provider?: unknown;
    dependencies?: unknown;
    propertyDependencies?: unknown;
}

/** Steps whose resource does not exist after the update. */
const GONE_OPS = new Set(["delete", "delete-replaced", "discard", "discard-replaced", "remove-pending-replace"]);

function isRecord(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

export function readJsonFile(file: string, what: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new InputError(`${file}: cannot read the ${what} (${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (e as Error).message})`);
    }
    if (text.trim() === "") {
        throw new InputError(`${file}: the file is empty; expected the ${what} (JSON)`);
    }
    try {
        return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch (e) {
        const detail = (e as Error).message;
        const truncated = /end of JSON input|Unterminated string/.test(detail);
        throw new InputError(`${file}: ${truncated ? "the JSON ends early (truncated file?)" : "not valid JSON"}: ${detail}; expected the ${what}`);
    }
}

function urnList(v: unknown): string[] {
    return Array.isArray(v) ? v.filter((u): u is string => typeof u === "string") : [];
}

function propertyDependencies(v: unknown): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    if (isRecord(v)) {
        for (const [k, list] of Object.entries(v)) {
            out[k] = urnList(list);
        }
    }
    return out;
}

/** `urn::id` provider references → the provider's URN. */
function providerUrn(ref: unknown): string | undefined {
    if (typeof ref !== "string" || ref === "") {
        return undefined;
    }
    const cut = ref.lastIndexOf("::");
    return cut > 0 ? ref.slice(0, cut) : ref;
}

const URN_NAME = /::([^:]*)$/;

function toInputs(states: ResourceV3[], preferInputs: (s: ResourceV3) => boolean): ResourceInput[] {
    const valid = states.filter(s => typeof s.urn === "string" && typeof s.type === "string");
    const byUrn = new Map(valid.map(s => [s.urn as string, s]));
    return valid.map(s => {
        const urn = s.urn as string;
        const outputs = isRecord(s.outputs) ? s.outputs : {};
        const inputs = isRecord(s.inputs) ? s.inputs : {};
        const props = preferInputs(s) || Object.keys(outputs).length === 0 ? { ...outputs, ...inputs } : outputs;
        const provUrn = providerUrn(s.provider);
        const prov = provUrn ? byUrn.get(provUrn) : undefined;
        const input: ResourceInput = {
            urn,
            type: s.type as string,
            name: URN_NAME.exec(urn)?.[1] ?? urn,
            props,
            parent: typeof s.parent === "string" && s.parent !== "" ? s.parent : undefined,
            dependencies: urnList(s.dependencies),
            propertyDependencies: propertyDependencies(s.propertyDependencies),
        };
        if (provUrn) {
            input.provider = {
                urn: provUrn,
                type: typeof prov?.type === "string" ? prov.type : `pulumi:providers:${provUrn.split("::pulumi:providers:")[1]?.split("::")[0] ?? ""}`,
                name: URN_NAME.exec(provUrn)?.[1] ?? provUrn,
                props: { ...(isRecord(prov?.inputs) ? prov.inputs : {}), ...(isRecord(prov?.outputs) ? prov.outputs : {}) },
            };
        }
        return input;
    });
}

/** Parses `pulumi preview --json` output or a `pulumi stack export` deployment. */
export function parseStackDocument(doc: unknown, file: string): LoadedStack {
    if (isRecord(doc) && Array.isArray(doc.steps)) {
        const states: ResourceV3[] = [];
        doc.steps.forEach((step, i) => {
            if (!isRecord(step)) {
                throw new InputError(`${file}: steps[${i}] is not an object; expected the output of \`pulumi preview --json\``);
            }
            if (typeof step.op === "string" && GONE_OPS.has(step.op)) {
                return;
            }
            const state = isRecord(step.newState) ? step.newState : undefined;
            if (state) {
                states.push(state);
            }
        });
        // Planned resources carry their inputs; computed outputs are unknown until apply.
        return { kind: "preview", resources: toInputs(states, () => true) };
    }
    const deployment = isRecord(doc) && isRecord(doc.deployment) ? doc.deployment : isRecord(doc) && Array.isArray(doc.resources) ? doc : undefined;
    if (deployment) {
        const list = deployment.resources;
        if (list !== undefined && !Array.isArray(list)) {
            throw new InputError(`${file}: deployment.resources is not a list; expected a \`pulumi stack export\` file`);
        }
        const states = ((list ?? []) as unknown[]).filter((r): r is ResourceV3 => isRecord(r) && r.delete !== true);
        return { kind: "export", resources: toInputs(states, () => false) };
    }
    const keys = isRecord(doc) ? Object.keys(doc).slice(0, 5).join(", ") : Array.isArray(doc) ? "a list" : typeof doc;
    throw new InputError(`${file}: neither \`pulumi preview --json\` output (with "steps") nor a \`pulumi stack export\` file (with "deployment.resources"); found ${keys || "an empty object"}`);
}

export function loadStack(file: string): LoadedStack {
    return parseStackDocument(readJsonFile(file, "`pulumi preview --json` output or `pulumi stack export` file"), file);
}
