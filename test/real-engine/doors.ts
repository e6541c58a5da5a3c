// The verdicts of the two doors in one form, (level, policy, resource), so that a table of verdicts
// can be compared: the Pulumi CLI's policy events and the check command's JSON report.

import * as path from "path";
import { TierId } from "../../policies/matrix";
import { policyName, TIER_TAG_POLICY } from "../../policies/core/evaluation/naming";
import { FeatureId } from "../../policies/matrix";
import { Operation, PolicyEvent, REPO } from "../../support/real-engine/cli";
import { runCommand } from "../harness/command";
import { JsonFinding } from "../../cli/formats/json";

const STACK = "(stack)";

/** A stack-level violation is shown against the root stack resource. */
function subject(urn: string | undefined): string {
    return urn === undefined || urn === "" || urn.includes("::pulumi:pulumi:Stack::") ? STACK : urn;
}

/** The mandatory and advisory policy events of a run, as sorted verdict lines. */
export function engineVerdicts(events: readonly PolicyEvent[]): string[] {
    return [...new Set(events.filter(e => e.enforcementLevel === "mandatory" || e.enforcementLevel === "advisory")
        .map(e => `${e.enforcementLevel} ${e.policyName} ${subject(e.resourceUrn)}`))].sort();
}

/** The policy the engine reports a finding under: the resource policy before creation, else the stack policy. */
export function policyOf(f: Pick<JsonFinding, "feature" | "blocks">): string {
    if (f.feature === TIER_TAG_POLICY) {
        return TIER_TAG_POLICY;
    }
    return policyName(f.feature as FeatureId, f.blocks === "before-creation" ? "resource" : "stack");
}

export interface CheckRun {
    code: number;
    findings: JsonFinding[];
}

/** `databricks-network-check <input> --config configs/<tier>.json --format json <extra>`. */
async function check(input: string[], tier: TierId, extra: string[]): Promise<CheckRun> {
    const r = await runCommand([...input, "--config", path.join(REPO, "configs", `${tier}.json`), "--format", "json", ...extra]);
    if (r.code === 2) {
        throw new Error(`the check command could not run on ${input.join(" ")}: ${r.err}`);
    }
    return { code: r.code, findings: (JSON.parse(r.out) as { findings: JsonFinding[] }).findings };
}

/** The check command on a program: `--program <dir> --stack <stack>`. */
export function checkProgram(dir: string, stack: string, tier: TierId, extra: string[] = []): Promise<CheckRun> {
    return check(["--program", dir, "--stack", stack], tier, extra);
}

/** The check command on a file the Pulumi CLI wrote (a plan or a stack export). */
export function checkFile(file: string, tier: TierId): Promise<CheckRun> {
    return check([file], tier, []);
}

/** Every verdict of a report. */
export function reportVerdicts(run: CheckRun): string[] {
    return [...new Set(run.findings.map(f => `${f.level} ${policyOf(f)} ${subject(f.urn)}`))].sort();
}

/** What a first `pulumi preview` reports of a program-mode report: its preview run's findings. */
export function previewVerdicts(run: CheckRun): string[] {
    return [...new Set(run.findings.filter(f => f.phase === "preview" || f.phase === "both")
        .map(f => `${f.level} ${policyOf(f)} ${subject(f.urn)}`))].sort();
}

/** Whether a run blocked: some mandatory verdict. */
export function blocks(verdicts: readonly string[]): boolean {
    return verdicts.some(v => v.startsWith("mandatory "));
}

/** A run's output for a failure message, cut to what helps. */
export function shown(op: Operation): string {
    const tail = (s: string) => (s.length > 4000 ? `…${s.slice(-4000)}` : s);
    return `${op.command} exited ${op.status}\n${tail(op.stdout)}\n${tail(op.stderr)}`;
}
