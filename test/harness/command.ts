// Runs databricks-network-check in process, as its `bin` entry does, capturing what it writes.

import { main } from "../../cli/main";

export interface CommandResult {
    code: number;
    out: string;
    err: string;
}

export interface CommandOptions {
    /**
     * Run `--program` runs each in a process of their own, as the installed command does (default:
     * in this process, much faster). Programs that exit, hang, loop, print or throw from a timer need it.
     */
    isolated?: boolean;
}

/**
 * `databricks-network-check <args>` with `env` as its environment; its exit status, standard output
 * and standard error. By default programs are not type-checked first (as under Pulumi's
 * PULUMI_NODEJS_TRANSPILE_ONLY=true): the type-checking tests pass an environment of their own.
 */
export async function runCommand(args: string[], env: NodeJS.ProcessEnv = { PULUMI_NODEJS_TRANSPILE_ONLY: "true" }, opts: CommandOptions = {}): Promise<CommandResult> {
    let out = "";
    let err = "";
    const code = await main(args, { stdout: { write: s => (out += s), isTTY: false }, stderr: { write: s => (err += s) }, env, programsInProcess: opts.isolated !== true });
    return { code, out, err };
}
