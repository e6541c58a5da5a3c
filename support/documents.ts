// The files a CI job has, written from the Pulumi CLI's Go source (pulumi/pulumi):
// - `pulumi preview --json`: `display.PreviewDigest` (pkg/display/json.go) as `ShowPreviewDigest`
//   builds it (pkg/backend/display/json.go): which steps appear follows `shouldShow`
//   (pkg/backend/display/display.go); states are `apitype.ResourceV3`
//   (sdk/go/common/apitype/core.go) with every secret masked as "[secret]" (`massagePropertyValue`,
//   even with --show-secrets); `detailedDiff` has no omitempty; a step's ops are those of
//   pkg/resource/deploy/step.go.
// - `pulumi stack export`: `apitype.UntypedDeployment{version: 3, deployment: DeploymentV3}`
//   (core.go), secrets as sdk/go/common/resource/stack/secrets.go writes them.

import { RecordedResource, RecordedStack } from "./program";

const UNKNOWN_ID = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";

type Json = Record<string, unknown>;

function isSecret(v: unknown): v is { value: unknown } {
    return v !== null && typeof v === "object" && (v as Json)[SIG] === SECRET;
}

/** Rewrites every secret `{sig, value}` the recorder kept with `f`. */
function mapSecrets(v: unknown, f: (value: unknown) => unknown): unknown {
    if (isSecret(v)) {
        return f(v.value);
    }
    if (Array.isArray(v)) {
        return v.map(e => mapSecrets(e, f));
    }
    if (v !== null && typeof v === "object") {
        return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, mapSecrets(e, f)]));
    }
    return v;
}

/** `omitempty` maps and lists: left out when empty. */
function nonEmpty<T extends object>(v: T | undefined): T | undefined {
    return v && Object.keys(v).length > 0 ? v : undefined;
}

function rootUrn(stack: RecordedStack): string {
    const [, s, p] = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(stack.resources[0]?.urn ?? "") ?? [, "dev", "databricks-network"];
    return `urn:pulumi:${s}::${p}::pulumi:pulumi:Stack::${p}-${s}`;
}

/** The root stack resource every deployment has (`pulumi:pulumi:Stack`, no outputs here). */
export function withRoot(stack: RecordedStack): RecordedResource[] {
    const root: RecordedResource = { urn: rootUrn(stack), type: "pulumi:pulumi:Stack", name: rootUrn(stack).split("::").slice(3).join("::"), custom: false, inputs: {}, outputs: {}, dependencies: [], propertyDependencies: {} };
    return [root, ...stack.resources];
}

function idOf(r: RecordedResource | undefined, preview: boolean): string {
    return typeof r?.outputs.id === "string" ? r.outputs.id : preview ? UNKNOWN_ID : "00000000-0000-0000-0000-000000000001";
}

function providerRef(stack: RecordedStack, urn: string | undefined): string | undefined {
    return urn ? `${urn}::${idOf(stack.resources.find(r => r.urn === urn), stack.preview)}` : undefined;
}

/** A ResourceV3 as the digest writes it: secrets masked. */
function digestState(stack: RecordedStack, r: RecordedResource, parts: { id?: boolean; inputs?: boolean; outputs?: boolean }): Json {
    const mask = (v: Json) => nonEmpty(mapSecrets(v, () => "[secret]") as Json);
    return {
        urn: r.urn,
        custom: r.custom,
        id: parts.id && r.custom ? idOf(r, false) : undefined,
        type: r.type,
        inputs: parts.inputs ? mask(r.inputs) : undefined,
        outputs: parts.outputs ? mask(r.outputs) : undefined,
        parent: r.parent,
        dependencies: nonEmpty(r.dependencies),
        provider: providerRef(stack, r.provider),
        propertyDependencies: nonEmpty(r.propertyDependencies),
    };
}

export interface PreviewOptions {
    /**
     * The stack exists (recorded in update mode): its resources are `same` steps unless `changes`
     * names them, shown only with `showSames` (the root stack always is).
     */
    showSames?: boolean;
    /** Logical names → the operation planned for them on an existing stack. */
    changes?: Record<string, "update" | "replace">;
    /** `--refresh`: a refresh step per existing resource first, with its full state. */
    refresh?: boolean;
    /** Resources in the old state the program no longer declares (deleted). */
    dropped?: RecordedResource[];
}

/** `pulumi preview --json`; a first deployment (a preview-mode recording) is all create steps. */
export function previewJson(stack: RecordedStack, opts: PreviewOptions = {}): Json {
    const steps: Json[] = [];
    const counts: Record<string, number> = {};
    const count = (op: string) => { counts[op] = (counts[op] ?? 0) + 1; };
    const step = (op: string, r: RecordedResource, old: Json | undefined, nw: Json | undefined) =>
        steps.push({ op, urn: r.urn, provider: providerRef(stack, r.provider), oldState: old, newState: nw, detailedDiff: null });
    const all = withRoot(stack);
    if (stack.preview) {
        for (const r of all) {
            step("create", r, undefined, digestState(stack, r, { inputs: true }));
            count("create");
        }
        return { config: {}, steps, duration: 1200000000, changeSummary: counts };
    }
    const full = { id: true, inputs: true, outputs: true };
    if (opts.refresh) {
        // NewRefreshStep: the new state is the old one until the provider answers.
        for (const r of [...all, ...(opts.dropped ?? [])]) {
            step("refresh", r, digestState(stack, r, full), digestState(stack, r, full));
        }
    }
    for (const r of all) {
        const op = opts.changes?.[r.name] ?? "same";
        count(op);
        if (op === "same" && !(opts.showSames || r.type === "pulumi:pulumi:Stack")) {
            continue;
        }
        // A same or update step's new state is the program's goal: inputs only (NewSameStep/NewUpdateStep).
        step(op, r, digestState(stack, r, full), digestState(stack, r, { inputs: true }));
    }
    for (const r of opts.dropped ?? []) {
        step("delete", r, digestState(stack, r, full), undefined);
        count("delete");
    }
    return { config: {}, steps, duration: 1200000000, changeSummary: counts };
}

export interface ExportOptions {
    /** How secrets are written: encrypted (the default) or `pulumi stack export --show-secrets`. */
    secrets?: "ciphertext" | "plaintext";
}

/** `pulumi stack export` after an update. */
export function stackExport(stack: RecordedStack, opts: ExportOptions = {}): Json {
    const secret = (value: unknown) => opts.secrets === "plaintext"
        ? { [SIG]: SECRET, plaintext: JSON.stringify(value) }
        : { [SIG]: SECRET, ciphertext: `v1:${Buffer.from(JSON.stringify(value)).toString("base64")}` };
    const form = (v: Json) => nonEmpty(mapSecrets(v, secret) as Json);
    return {
        version: 3,
        deployment: {
            manifest: { time: "2026-11-28T00:00:00Z", magic: "", version: "v3.200.0" },
            secrets_providers: { type: "service", state: { url: "https://api.pulumi.com", owner: "acme", project: "databricks-network", stack: "dev" } },
            resources: withRoot(stack).map(r => ({
                urn: r.urn,
                custom: r.custom,
                id: r.custom ? idOf(r, false) : undefined,
                type: r.type,
                inputs: form(r.inputs),
                outputs: form(r.outputs),
                parent: r.parent,
                provider: providerRef(stack, r.provider),
                dependencies: nonEmpty(r.dependencies),
                propertyDependencies: nonEmpty(r.propertyDependencies),
            })),
        },
    };
}

/** The stack as `pulumi policy analyze` sends it when it cannot decrypt: every secret "[secret]". */
export function maskedSecrets(stack: RecordedStack): RecordedStack {
    const mask = (v: Json) => mapSecrets(v, () => "[secret]") as Json;
    return { ...stack, resources: stack.resources.map(r => ({ ...r, inputs: mask(r.inputs), outputs: mask(r.outputs) })) };
}

/**
 * The stack with every property of its Azure and Databricks resources but `keep` made secret, as
 * a program that builds them from secret configuration records them: the worst case of secrets.
 */
export function secretProperties(stack: RecordedStack, keep: readonly string[]): RecordedStack {
    const hide = (props: Record<string, unknown>) => Object.fromEntries(Object.entries(props).map(([k, v]) => [k, keep.includes(k) || isSecret(v) ? v : { [SIG]: SECRET, value: v }]));
    return {
        ...stack,
        resources: stack.resources.map(r => (/^(azure-native|azure|databricks):/.test(r.type) ? { ...r, inputs: hide(r.inputs), outputs: hide(r.outputs) } : r)),
    };
}
