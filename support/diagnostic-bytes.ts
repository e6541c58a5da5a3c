// Diagnostic bytes per resource: how much text the pack reports for a stack made of copies of the
// isolated-environment reference program whose browser authentication endpoint targets a
// workspace of another stack (so every workspace's message could name every copy's endpoint).
// Measured at two sizes ten times apart: the bytes per resource must not grow with the stack.
// `node bin/scripts/diagnostic-bytes.js [small]` prints the figures; `npm run bench` reports them.

import { RecordedResource, RecordedStack } from "./program";
import { decideOnStack } from "./verdicts";
import { message } from "../policies/core/evaluation/render";
import { recordTemplate, renamedCopies, TEMPLATE_PREFIX as PREFIX } from "./stack-copies";

const OTHER_WORKSPACE = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-other/providers/Microsoft.Databricks/workspaces/webauth-elsewhere";

export interface DiagnosticBytes {
    resources: number;
    diagnostics: number;
    bytes: number;
    bytesPerResource: number;
}

/** The template: one program whose web-auth endpoint targets a workspace outside the stack. */
export async function outsideTargetTemplate(): Promise<RecordedResource[]> {
    const stack = await recordTemplate();
    return stack.resources.map(r => r.name !== `${PREFIX}-webauth` ? r : {
        ...r,
        inputs: { ...r.inputs, privateLinkServiceConnections: [{ name: r.name, privateLinkServiceId: OTHER_WORKSPACE, groupIds: ["browser_authentication"] }] },
        outputs: { ...r.outputs, privateLinkServiceConnections: [{ name: r.name, privateLinkServiceId: OTHER_WORKSPACE, groupIds: ["browser_authentication"] }] },
    });
}

/** The diagnostics' total message bytes for `size` resources, at the Isolated environment tier. */
export function diagnosticBytes(template: RecordedResource[], size: number): DiagnosticBytes {
    const resources = renamedCopies(template, size);
    const stack: RecordedStack = { resources, preview: false };
    const v = decideOnStack(stack, {
        tier: "isolated-environment",
        config: { "account-ip-access-lists": { attestations: [{ reason: "account console IP access lists set by the platform team" }] } },
    });
    const bytes = v.reported.reduce((n, r) => n + Buffer.byteLength(message(r)), 0);
    return { resources: resources.length, diagnostics: v.reported.length, bytes, bytesPerResource: bytes / resources.length };
}

/** Bytes per resource at `small` and ten times `small` resources, and their ratio. */
export async function diagnosticBytesGrowth(small: number): Promise<{ small: DiagnosticBytes; large: DiagnosticBytes; ratio: number }> {
    const template = await outsideTargetTemplate();
    const a = diagnosticBytes(template, small);
    const b = diagnosticBytes(template, small * 10);
    return { small: a, large: b, ratio: b.bytesPerResource / a.bytesPerResource };
}
