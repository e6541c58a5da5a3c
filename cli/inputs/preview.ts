// `pulumi preview --json`: the `display.PreviewDigest` of pkg/display/json.go, built by
// `ShowPreviewDigest` in pkg/backend/display/json.go. Steps carry `apitype.ResourceV3` states; the
// operations are those of pkg/resource/deploy/step.go.

import { isRecord, quote, UNSEEN } from "../../policies/core/model/values";
import { Entry, InputError, layer, objectOr, ResourceV3, urnName } from "./state";

/** The operations that leave the URN without a resource. */
const GONE = new Set(["delete", "discard"]);
/** Operations on the old copy of a replaced resource: the URN lives on in its replacement. */
const OLD_COPY = new Set(["delete-replaced", "discard-replaced", "remove-pending-replace"]);
/** The planned state is the program's inputs (outputs are computed at apply). */
const PLANNED = new Set(["create", "update", "replace", "create-replacement", "import", "import-replacement"]);
/** The resource as it stands: inputs in `newState`, outputs in `oldState` (same) or both (refresh). */
const STANDING = new Set(["same", "refresh"]);
/** Only the ID is carried; the properties are read at apply. */
const READS = new Set(["read", "read-replacement"]);

const SHOW_SAMES = "run `pulumi preview --json --show-sames` so that the digest holds every resource";

function stepState(step: Record<string, unknown>, key: "newState" | "oldState", where: string, op: string, required: boolean): ResourceV3 | undefined {
    const s = step[key];
    if (s === undefined && !required) {
        return undefined;
    }
    if (!isRecord(s)) {
        throw new InputError(`${where}: a "${op}" step ${s === undefined ? `without ${key}` : `whose ${key} is not an object (${quote(s)})`}; expected an apitype.ResourceV3 state`);
    }
    if (typeof s.type !== "string" || s.type === "") {
        throw new InputError(`${where}: the ${key} of this "${op}" step has no type`);
    }
    return s;
}

/** The properties the policies see for one step's resource. */
function propsOf(op: string, n: ResourceV3, o: ResourceV3 | undefined): Record<string, unknown> {
    if (READS.has(op)) {
        // A read preview knows the ID it will read, nothing of the state (step.go: NewReadStep).
        const props: Record<string | symbol, unknown> = { [UNSEEN]: true };
        if (typeof n.id === "string" && n.id !== "") {
            props.id = n.id;
        }
        return props as Record<string, unknown>;
    }
    if (STANDING.has(op)) {
        // Outputs are what the resource is; inputs fill what outputs do not repeat.
        const outputs = layer(objectOr(o?.outputs), objectOr(n.outputs));
        return objectOr(layer(objectOr(n.inputs), outputs));
    }
    // An update keeps the resource (its ID and outputs) and changes what the inputs plan; a
    // replacement is a new resource, so nothing of the old one's outputs holds.
    const base = op === "update" ? objectOr(o?.outputs) : {};
    return objectOr(layer(layer(base, objectOr(n.outputs)), objectOr(n.inputs)));
}

function changeCount(summary: unknown, op: string, file: string): number {
    if (summary === undefined) {
        return 0;
    }
    if (!isRecord(summary)) {
        throw new InputError(`${file}: changeSummary is not an object (${quote(summary)}); expected counts per operation`);
    }
    const n = summary[op];
    if (n !== undefined && (typeof n !== "number" || !Number.isInteger(n) || n < 0)) {
        throw new InputError(`${file}: changeSummary.${op} is not a count (${quote(n)})`);
    }
    return n ?? 0;
}

export function parsePreview(doc: Record<string, unknown>, file: string): Entry[] {
    const steps = doc.steps as unknown[];
    // One resource per URN; the last operation on it decides (a refresh, then the program's step).
    const byUrn = new Map<string, Entry | "gone">();
    const standing = new Set<string>();
    const seen = new Map<string, number>();
    steps.forEach((step, i) => {
        if (!isRecord(step)) {
            throw new InputError(`${file}: steps[${i}] is not an object; expected a step of \`pulumi preview --json\``);
        }
        const op = step.op;
        const urn = step.urn;
        if (typeof op !== "string" || typeof urn !== "string" || urnName(urn) === undefined) {
            throw new InputError(`${file}: steps[${i}] has ${typeof op !== "string" ? "no op" : `no valid urn (${quote(urn)})`}; expected {op, urn, newState, …}`);
        }
        const where = `${file}: steps[${i}] (${urn})`;
        seen.set(urn, (seen.get(urn) ?? 0) + 1);
        if (OLD_COPY.has(op)) {
            return;
        }
        if (GONE.has(op)) {
            byUrn.set(urn, "gone");
            return;
        }
        if (!PLANNED.has(op) && !STANDING.has(op) && !READS.has(op)) {
            throw new InputError(`${where}: unknown step op ${quote(op)}; expected one of the operations of pkg/resource/deploy/step.go`);
        }
        const n = stepState(step, "newState", where, op, true) as ResourceV3;
        const o = stepState(step, "oldState", where, op, false);
        if (STANDING.has(op)) {
            standing.add(urn);
        }
        byUrn.set(urn, { urn, type: n.type as string, props: propsOf(op, n, o), state: n });
    });
    // Without --show-sames the digest leaves out unchanged resources (pkg/backend/display/display.go,
    // shouldShow) but still counts them; a refresh step carries a resource whatever that flag says.
    const sames = changeCount(doc.changeSummary, "same", file);
    const carried = [...seen.keys()].filter(u => standing.has(u) || (seen.get(u) ?? 0) > 1).length;
    if (sames > carried) {
        throw new InputError(`${file}: this preview holds only the changed resources: changeSummary counts ${sames} unchanged, the steps carry ${carried}. Judging a part of the stack would be wrong; ${SHOW_SAMES}`);
    }
    return [...byUrn.values()].filter((e): e is Entry => e !== "gone");
}
