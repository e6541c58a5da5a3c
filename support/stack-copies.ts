// What the measuring scripts share: the isolated-environment reference program as a template,
// stacks made of copies of it, and the check command run as a process of its own on a file.

import { spawnSync } from "child_process";
import * as path from "path";
import { deploy } from "../examples/isolated-environment/deploy";
import { SERVICE_DIRECT_PLS } from "./reference";
import { RecordedResource, RecordedStack, runProgram } from "./program";

/** The prefix of the template's own resources (renamed per copy). */
export const TEMPLATE_PREFIX = "zq7";

const REPO = path.resolve(__dirname, "..", "..");

/** The isolated-environment reference program, recorded in update mode. */
export function recordTemplate(): Promise<RecordedStack> {
    return runProgram(() => deploy({
        prefix: TEMPLATE_PREFIX, location: "westeurope", databricksAccountId: "11111111-2222-3333-4444-555555555555",
        allowedIpRanges: ["203.0.113.0/24"], serviceDirectPrivateLinkServiceId: SERVICE_DIRECT_PLS,
        sharingRecipients: [{ name: "partner", allowedIpRanges: ["192.0.2.0/24"] }],
    }), { preview: false });
}

/**
 * Copies of the template's own resources up to `size`, every per-copy identity renamed: names,
 * URNs and IDs, and the Databricks-side numeric identities (workspace IDs, NCC IDs).
 */
export function renamedCopies(template: RecordedResource[], size: number): RecordedResource[] {
    const shared = template.filter(r => !r.urn.includes(TEMPLATE_PREFIX));
    const json = JSON.stringify(template.filter(r => r.urn.includes(TEMPLATE_PREFIX)));
    const numbers = [...new Set(json.match(/\b1\d{12}\b/g) ?? [])];
    const out: RecordedResource[] = [...shared];
    for (let i = 0; out.length < size; i++) {
        let copy = json.split(TEMPLATE_PREFIX).join(`w${i}x`);
        numbers.forEach((n, k) => { copy = copy.split(n).join(String(2_000_000_000_000 + i * 100 + k)); });
        out.push(...(JSON.parse(copy) as RecordedResource[]));
    }
    return out.slice(0, size);
}

export interface CommandRun {
    status: number | null;
    ms: number;
    /** Peak RSS of the command's process. */
    rssMb: number;
    /** User and system CPU time of the command's process. */
    cpuS: number;
}

/** `databricks-network-check <args>` (the compiled command) in a process of its own, timed, with its peak RSS and CPU time. */
export function runCheckCommand(args: string[], nodeArgs: string[] = []): CommandRun {
    const wrapper = `require(${JSON.stringify(path.join(REPO, "bin", "cli", "main.js"))}).main(process.argv.slice(1)).then(c => { const u = process.resourceUsage(); process.stderr.write("maxRSS " + u.maxRSS + " cpu " + (u.userCPUTime + u.systemCPUTime) + "\\n"); process.exit(c); })`;
    const t0 = process.hrtime.bigint();
    const run = spawnSync(process.execPath, [...nodeArgs, "-e", wrapper, ...args], { encoding: "utf8" });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const kb = Number(/maxRSS (\d+)/.exec(run.stderr ?? "")?.[1] ?? NaN);
    const cpu = Number(/cpu (\d+)/.exec(run.stderr ?? "")?.[1] ?? NaN) / 1e6;
    return { status: run.status, ms, rssMb: kb / 1024, cpuS: cpu };
}
