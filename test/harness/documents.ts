// The files a CI job has: `pulumi preview --json` output and `pulumi stack export`, written in the
// shapes the Pulumi CLI uses (apitype.ResourceV3 states, `urn::id` provider references).

import { RecordedStack } from "./program";

const UNKNOWN_ID = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

function providerRef(stack: RecordedStack, urn: string | undefined): string | undefined {
    if (!urn) {
        return undefined;
    }
    const p = stack.resources.find(r => r.urn === urn);
    const id = typeof p?.outputs.id === "string" ? p.outputs.id : stack.preview ? UNKNOWN_ID : "00000000-0000-0000-0000-000000000001";
    return `${urn}::${id}`;
}

/** `pulumi preview --json` of a first deployment: every resource is a create step. */
export function previewJson(stack: RecordedStack): Record<string, unknown> {
    return {
        config: {},
        steps: stack.resources.map(r => ({
            op: "create",
            urn: r.urn,
            provider: providerRef(stack, r.provider),
            newState: {
                urn: r.urn,
                custom: r.custom,
                type: r.type,
                inputs: r.inputs,
                outputs: stack.preview ? {} : r.outputs,
                parent: r.parent,
                provider: providerRef(stack, r.provider),
                dependencies: r.dependencies,
                propertyDependencies: r.propertyDependencies,
            },
        })),
        duration: 1200000000,
        changeSummary: { create: stack.resources.length },
    };
}

/** `pulumi stack export` after an update. */
export function stackExport(stack: RecordedStack): Record<string, unknown> {
    return {
        version: 3,
        deployment: {
            manifest: { time: "2026-11-28T00:00:00Z", magic: "", version: "v3.200.0" },
            secrets_providers: { type: "service" },
            resources: stack.resources.map(r => ({
                urn: r.urn,
                custom: r.custom,
                id: r.outputs.id,
                type: r.type,
                inputs: r.inputs,
                outputs: r.outputs,
                parent: r.parent,
                provider: providerRef(stack, r.provider),
                dependencies: r.dependencies,
                propertyDependencies: r.propertyDependencies,
            })),
        },
    };
}
