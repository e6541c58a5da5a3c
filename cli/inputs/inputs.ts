// Reads the two files a CI job has at hand — `pulumi preview --json` and `pulumi stack export` —
// into the resource shape the policies evaluate. Every malformed input becomes an InputError that
// names the file and what was expected.

import * as fs from "fs";
import { ResourceInput } from "../../policies/core/model/stack";
import { cut, isRecord } from "../../policies/core/model/values";
import { parseExport } from "./export";
import { parsePreview } from "./preview";
import { InputError, stackEntry, toResourceInputs } from "./state";

export { InputError };

export type SourceKind = "preview" | "export";

export interface LoadedStack {
    kind: SourceKind;
    resources: ResourceInput[];
}

const EXPECTED = "expected the output of `pulumi preview --json` (with \"steps\") or a `pulumi stack export` file (with \"deployment.resources\")";

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
        if (isEventStream(text)) {
            throw new InputError(`${file}: a stream of engine events, one per line (PULUMI_ENABLE_STREAMING_JSON_PREVIEW); ${EXPECTED}: run \`pulumi preview --json\` without that variable`);
        }
        const truncated = /end of JSON input|Unterminated string/.test(detail);
        throw new InputError(`${file}: ${truncated ? "the JSON ends early (truncated file?)" : "not valid JSON"}: ${cut(detail)}; expected the ${what}`);
    }
}

/** One engine event per line (`apitype.EngineEvent{sequence, timestamp, …}`, sdk/go/common/apitype/events.go). */
function isEventStream(text: string): boolean {
    const first = text.trimStart().split("\n", 1)[0];
    try {
        const e: unknown = JSON.parse(first);
        return isRecord(e) && typeof e.sequence === "number" && typeof e.timestamp === "number";
    } catch {
        return false;
    }
}

/** Parses `pulumi preview --json` output or a `pulumi stack export` deployment. */
export function parseStackDocument(doc: unknown, file: string): LoadedStack {
    if (isRecord(doc) && Array.isArray(doc.steps)) {
        return { kind: "preview", resources: toResourceInputs(parsePreview(doc, file).map(stackEntry)) };
    }
    if (isRecord(doc) && isRecord(doc.deployment)) {
        return { kind: "export", resources: toResourceInputs(parseExport(doc.deployment, file, "deployment.").map(stackEntry)) };
    }
    // A bare DeploymentV3 (the inner object of an export) has a manifest.
    if (isRecord(doc) && isRecord(doc.manifest) && Array.isArray(doc.resources)) {
        return { kind: "export", resources: toResourceInputs(parseExport(doc, file, "").map(stackEntry)) };
    }
    if (isRecord(doc) && "result" in doc && Array.isArray(doc.resources)) {
        // `SummaryJSON` of pkg/backend/display/summary_json.go: operations, no properties.
        throw new InputError(`${file}: this is the summary of \`pulumi preview --output json\` ({result, duration, summary, resources}): it names resources but carries none of their properties; ${EXPECTED}`);
    }
    const keys = isRecord(doc) ? Object.keys(doc).slice(0, 5).map(k => cut(k)).join(", ") : Array.isArray(doc) ? "a list" : typeof doc;
    throw new InputError(`${file}: neither \`pulumi preview --json\` output (with "steps") nor a \`pulumi stack export\` file (with "deployment.resources"); found ${keys || "an empty object"}`);
}

export function loadStack(file: string): LoadedStack {
    return parseStackDocument(readJsonFile(file, "`pulumi preview --json` output or `pulumi stack export` file"), file);
}
