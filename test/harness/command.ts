// Runs databricks-network-check in process, as its `bin` entry does, capturing what it writes.

import { main } from "../../cli/main";

export interface CommandResult {
    code: number;
    out: string;
    err: string;
}

/**
 * `databricks-network-check <args>` with `env` as its environment; its exit status, standard output
 * and standard error. By default programs are not type-checked first (as under Pulumi's
 * PULUMI_NODEJS_TRANSPILE_ONLY=true): the type-checking tests pass an environment of their own.
 */
export async function runCommand(args: string[], env: NodeJS.ProcessEnv = { PULUMI_NODEJS_TRANSPILE_ONLY: "true" }): Promise<CommandResult> {
    let out = "";
    let err = "";
    const code = await main(args, { stdout: { write: s => (out += s), isTTY: false }, stderr: { write: s => (err += s) }, env });
    return { code, out, err };
}
