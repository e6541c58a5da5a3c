// Diagnostic bytes per resource: how much text the pack reports for a stack made of copies of the
// isolated-environment reference program whose browser authentication endpoint targets a
// workspace of another stack (so every workspace's message could name every copy's endpoint).
// Measured at two sizes ten times apart: the bytes per resource must not grow with the stack.
// `node bin/scripts/diagnostic-bytes.js [small]` prints the figures; `npm run bench` reports them.

import { deploy } from "../examples/isolated-environment/deploy";
import { SERVICE_DIRECT_PLS } from "../test/e2e/programs";
import { RecordedResource, RecordedStack, runProgram } from "../test/harness/program";
import { decideOnStack } from "../test/harness/verdicts";
import { message } from "../policies/core/evaluation/render";

const PREFIX = "zq7";
const OTHER_WORKSPACE = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-other/providers/Microsoft.Databricks/workspaces/webauth-elsewhere";

export interface DiagnosticBytes {
    resources: number;
    diagnostics: number;
    bytes: number;
    bytesPerResource: number;
}

/** The template: one program whose web-auth endpoint targets a workspace outside the stack. */
export async function outsideTargetTemplate(): Promise<RecordedResource[]> {
    const stack = await runProgram(() => deploy({
        prefix: PREFIX, location: "westeurope", databricksAccountId: "11111111-2222-3333-4444-555555555555",
        allowedIpRanges: ["203.0.113.0/24"], serviceDirectPrivateLinkServiceId: SERVICE_DIRECT_PLS,
        sharingRecipients: [{ name: "partner", allowedIpRanges: ["192.0.2.0/24"] }],
    }), { preview: false });
    return stack.resources.map(r => r.name !== `${PREFIX}-webauth` ? r : {
        ...r,
        inputs: { ...r.inputs, privateLinkServiceConnections: [{ name: r.name, privateLinkServiceId: OTHER_WORKSPACE, groupIds: ["browser_authentication"] }] },
        outputs: { ...r.outputs, privateLinkServiceConnections: [{ name: r.name, privateLinkServiceId: OTHER_WORKSPACE, groupIds: ["browser_authentication"] }] },
    });
}

/** Copies of the template's own resources (names, URNs, IDs renamed per copy) up to `size`. */
export function copies(template: RecordedResource[], size: number): RecordedResource[] {
    const shared = template.filter(r => !r.urn.includes(PREFIX));
    const json = JSON.stringify(template.filter(r => r.urn.includes(PREFIX)));
    const numbers = [...new Set(json.match(/\b1\d{12}\b/g) ?? [])];
    const out: RecordedResource[] = [...shared];
    for (let i = 0; out.length < size; i++) {
        let copy = json.split(PREFIX).join(`w${i}x`);
        numbers.forEach((n, k) => { copy = copy.split(n).join(String(2_000_000_000_000 + i * 100 + k)); });
        out.push(...(JSON.parse(copy) as RecordedResource[]));
    }
    return out.slice(0, size);
}

/** The diagnostics' total message bytes for `size` resources, at the Isolated environment tier. */
export function diagnosticBytes(template: RecordedResource[], size: number): DiagnosticBytes {
    const resources = copies(template, size);
    const stack: RecordedStack = { resources, preview: false };
    const v = decideOnStack(stack, {
        tier: "isolated-environment",
        config: { "account-ip-access-lists": { attestations: [{ reason: "account console IP access lists set by the platform team" }] } },
    });
    const bytes = v.reported.reduce((n, r) => n + Buffer.byteLength(r.outcome ? message(r.outcome) : r.message ?? ""), 0);
    return { resources: resources.length, diagnostics: v.reported.length, bytes, bytesPerResource: bytes / resources.length };
}

/** Bytes per resource at `small` and ten times `small` resources, and their ratio. */
export async function diagnosticBytesGrowth(small: number): Promise<{ small: DiagnosticBytes; large: DiagnosticBytes; ratio: number }> {
    const template = await outsideTargetTemplate();
    const a = diagnosticBytes(template, small);
    const b = diagnosticBytes(template, small * 10);
    return { small: a, large: b, ratio: b.bytesPerResource / a.bytesPerResource };
}

if (require.main === module) {
    const small = Number(process.argv[2] ?? 500);
    diagnosticBytesGrowth(small).then(r => {
        for (const x of [r.small, r.large]) {
            process.stdout.write(`${x.resources} resources: ${x.diagnostics} diagnostics, ${x.bytes} bytes, ${x.bytesPerResource.toFixed(1)} bytes per resource\n`);
        }
        process.stdout.write(`ratio ${r.ratio.toFixed(2)} (target: at most 1.2)\n`);
    }).catch(e => {
        process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
        process.exit(1);
    });
}
