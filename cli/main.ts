#!/usr/bin/env node
// databricks-network-check: the pack's verdicts on a plan or a state file, for CI and code review.
// Exit status: 0 nothing mandatory fails, 1 something does, 2 usage or input error.

import * as fs from "fs";
import * as path from "path";
import { TIERS, TierId } from "../policies/matrix";
import { checkStack, combineRuns, loadConfig, parseTierOption, Report } from "./check";
import { unsetOutputs } from "./program/unset-outputs";
import { loadComposedPack } from "./pack-loader";
import { DEFAULT_TIMEOUT_SECONDS, loadMocks, ProgramError, runProgramDir } from "./program/program";
import { toResourceInputs } from "./program/record";
import { InputError, loadStack } from "./inputs/inputs";
import { FORMAT_NAMES, FORMATS, formatNamed, ReportFormat } from "./formats/index";
import { MARKDOWN_MAX_CHARS, MARKDOWN_MIN_CHARS } from "./formats/markdown";
import { cut, quote } from "../policies/core/model/values";

export const USAGE = `Usage: databricks-network-check [options] <file>
       databricks-network-check [options] --program <dir>

Evaluates the Azure Databricks network policy pack on
  <file>            the output of \`pulumi preview --json --show-sames\`, or a \`pulumi stack export\` file;
  --program <dir>   a Pulumi TypeScript/JavaScript program, run offline under mocks (no Pulumi CLI,
                    no cloud credentials): once as a first preview sees it, once with known values.

Program mode:
  --stack <name>          read configuration from Pulumi.<name>.yaml (default: the only stack file, or dev)
  --set <key=value>       a configuration value (repeatable), e.g. --set azure-native:location=westeurope
  --mocks <file>          answers for invokes and resource outputs (README, "Checking a program offline");
                          the report names each output the program read that no answer set
  --timeout <seconds>     time limit of each program run (default: ${DEFAULT_TIMEOUT_SECONDS})
  --no-typecheck          do not type-check a TypeScript program first (Pulumi's runtime type-checks it
                          unless PULUMI_NODEJS_TRANSPILE_ONLY=true, which this command also honours)
  --verbose               on a failed run, also show its stack trace and the program's own output

Options:
  --tier <tier>           ${TIERS.join(" | ")} (overrides the configuration's tier)
  --config <file>         policy pack configuration, in the --policy-pack-config format
  --pack <dir|module>     a pack composed with createPolicyPack(name, options): its options are the
                          base configuration, as the engine applies them (--config goes over them)
  --format <format>       ${FORMAT_NAMES.join(" | ")} (default: ${FORMAT_NAMES[0]})
  --output <file>         write the report to <file> instead of standard output
  --output <format>=<file>
                          also write the report in <format> to <file> (repeatable: one run writes
                          every format, e.g. --output sarif=results.sarif --output markdown=comment.md)
  --markdown-max-chars <n>
                          bound of the Markdown report (default ${MARKDOWN_MAX_CHARS}, at least ${MARKDOWN_MIN_CHARS}; GitHub
                          refuses comments over 65536): worst findings first, then counts of those left out
  --report-url <url>      where the full report can be read (e.g. the CI run's artifacts), named by
                          the Markdown report when it leaves findings out
  --stack-tag <key=value> a stack tag (repeatable), e.g. databricks-network-tier=isolated-environment
  --sarif-artifact <path> the file SARIF results are anchored to (default: Pulumi.yaml)
  --explain               the table also shows, per workspace, the evidence its verdicts rest on
                          (VNet, subnets, routes, endpoints, NCC, network policy, lists, storage)
  --color, --no-color     force or disable colour in the table (default: colour on a terminal)
  -h, --help              show this help
  --version               show the version

Exit status: 0 when nothing mandatory fails, 1 when something does, 2 for a usage or input error.
`;

export class UsageError extends Error {}

export interface CliOptions {
    /** The plan or state file; empty in program mode. */
    file: string;
    program?: string;
    stack?: string;
    set: Map<string, string>;
    mocks?: string;
    timeout?: number;
    verbose?: boolean;
    noTypecheck?: boolean;
    tier?: TierId;
    config?: string;
    pack?: string;
    format: ReportFormat;
    output?: string;
    /** Further reports written by the same run (`--output <format>=<file>`). */
    outputs: { format: ReportFormat; file: string }[];
    markdownMaxChars: number;
    reportUrl?: string;
    stackTags: Map<string, string>;
    artifact: string;
    colour?: boolean;
    /** The table shows the evidence picture as a text tree. */
    explain?: boolean;
}

export type Parsed = { help: true } | { version: true } | CliOptions;

export function parseArgs(argv: readonly string[]): Parsed {
    const o: Partial<CliOptions> & { stackTags: Map<string, string>; set: Map<string, string>; outputs: { format: ReportFormat; file: string }[] } = {
        stackTags: new Map(), set: new Map(), format: FORMATS[0], artifact: "Pulumi.yaml", outputs: [], markdownMaxChars: MARKDOWN_MAX_CHARS,
    };
    const files: string[] = [];
    const value = (i: number, flag: string): string => {
        const v = argv[i + 1];
        if (v === undefined || (v.startsWith("--") && v.length > 2)) {
            throw new UsageError(`${flag} needs a value`);
        }
        return v;
    };
    for (let i = 0; i < argv.length; i++) {
        const raw = argv[i];
        const eq = raw.startsWith("--") ? raw.indexOf("=") : -1;
        const flag = eq > 0 ? raw.slice(0, eq) : raw;
        const take = (): string => {
            if (eq > 0) {
                return raw.slice(eq + 1);
            }
            const v = value(i, flag);
            i++;
            return v;
        };
        switch (flag) {
            case "-h":
            case "--help":
                return { help: true };
            case "--version":
                return { version: true };
            case "--tier":
                o.tier = parseTierOption(take());
                break;
            case "--config":
            case "--policy-pack-config":
                o.config = take();
                break;
            case "--pack":
                o.pack = take();
                break;
            case "--format": {
                const f = take();
                const format = formatNamed(f);
                if (!format) {
                    throw new UsageError(`--format must be one of ${FORMAT_NAMES.join(", ")}; got ${quote(f)}`);
                }
                o.format = format;
                break;
            }
            case "--output": {
                const v = take();
                // A word before "=" names a format: a mistyped one must not become a file name.
                const pair = /^([A-Za-z]+)=(.*)$/.exec(v);
                if (pair) {
                    const format = formatNamed(pair[1]);
                    if (!format) {
                        throw new UsageError(`--output ${quote(v)}: ${quote(pair[1])} is not a format; use one of ${FORMAT_NAMES.join(", ")} (a file whose name has "=" in it is written as ./${cut(v)})`);
                    }
                    if (pair[2] === "") {
                        throw new UsageError(`--output ${quote(v)} names no file: write --output ${pair[1]}=<file>`);
                    }
                    o.outputs.push({ format, file: pair[2] });
                } else if (o.output !== undefined) {
                    throw new UsageError(`--output ${quote(v)}: the report already goes to ${quote(o.output)}; write further formats with --output <format>=<file> (${FORMAT_NAMES.join(", ")})`);
                } else {
                    o.output = v;
                }
                break;
            }
            case "--markdown-max-chars": {
                const t = take();
                o.markdownMaxChars = Number(t);
                if (!/^\d+$/.test(t) || o.markdownMaxChars < MARKDOWN_MIN_CHARS) {
                    throw new UsageError(`--markdown-max-chars needs a whole number of at least ${MARKDOWN_MIN_CHARS}; got ${quote(t)}`);
                }
                break;
            }
            case "--report-url":
                o.reportUrl = take();
                break;
            case "--stack-tag": {
                const kv = take();
                const at = kv.indexOf("=");
                if (at <= 0) {
                    throw new UsageError(`--stack-tag needs key=value; got ${quote(kv)}`);
                }
                o.stackTags.set(kv.slice(0, at), kv.slice(at + 1));
                break;
            }
            case "--program":
                o.program = take();
                break;
            case "--stack":
                o.stack = take();
                break;
            case "--set": {
                const kv = take();
                const at = kv.indexOf("=");
                if (at <= 0) {
                    throw new UsageError(`--set needs key=value; got ${quote(kv)}`);
                }
                o.set.set(kv.slice(0, at), kv.slice(at + 1));
                break;
            }
            case "--mocks":
                o.mocks = take();
                break;
            case "--timeout": {
                const t = take();
                o.timeout = Number(t);
                if (!/^\d+(\.\d+)?$/.test(t) || o.timeout <= 0) {
                    throw new UsageError(`--timeout needs a number of seconds greater than 0; got "${t}"`);
                }
                break;
            }
            case "--verbose":
                o.verbose = true;
                break;
            case "--no-typecheck":
                o.noTypecheck = true;
                break;
            case "--sarif-artifact":
                o.artifact = take();
                break;
            case "--explain":
                o.explain = true;
                break;
            case "--color":
            case "--colour":
                o.colour = true;
                break;
            case "--no-color":
            case "--no-colour":
                o.colour = false;
                break;
            default:
                if (raw.startsWith("-") && raw !== "-") {
                    throw new UsageError(`unknown option ${cut(raw)}`);
                }
                files.push(raw);
        }
    }
    const targets = [...(o.output === undefined ? [] : [o.output]), ...o.outputs.map(x => x.file)];
    const twice = targets.find((t, i) => targets.slice(0, i).some(u => sameFile(t, u)));
    if (twice !== undefined) {
        throw new UsageError(`--output ${quote(twice)} is named twice: each report needs a file of its own`);
    }
    if (o.program !== undefined) {
        if (files.length > 0) {
            throw new UsageError(`--program takes no <file>; got ${cut(files.join(" "))}`);
        }
        return { ...o, file: "" } as CliOptions;
    }
    for (const flag of ["stack", "mocks", "timeout", "noTypecheck"] as const) {
        if (o[flag] !== undefined) {
            throw new UsageError(`--${flag === "noTypecheck" ? "no-typecheck" : flag} applies to --program only`);
        }
    }
    if (o.set.size > 0) {
        throw new UsageError("--set applies to --program only");
    }
    if (files.length !== 1) {
        throw new UsageError(files.length === 0 ? "missing <file>: a `pulumi preview --json` output or `pulumi stack export` file (or --program <dir>)" : `expected one <file>, got ${files.length}: ${cut(files.join(" "))}`);
    }
    const overwrites = targets.find(t => sameFile(t, files[0]));
    if (overwrites !== undefined) {
        throw new UsageError(`--output ${overwrites} names the input file: the report would overwrite the plan it reads`);
    }
    return { ...o, file: files[0] } as CliOptions;
}

/** Whether two paths name one file (also through links); a missing path names none. */
function sameFile(a: string, b: string): boolean {
    if (path.resolve(a) === path.resolve(b)) {
        return true;
    }
    try {
        const x = fs.statSync(a);
        const y = fs.statSync(b);
        return x.ino === y.ino && x.dev === y.dev;
    } catch {
        return false;
    }
}

export interface Io {
    stdout: { write(s: string): unknown; isTTY?: boolean };
    stderr: { write(s: string): unknown };
    env: NodeJS.ProcessEnv;
    /** Run `--program` in this process (see ProgramOptions.inProcess); the `bin` entry never does. */
    programsInProcess?: boolean;
}

export async function produceReport(o: CliOptions, io: Io): Promise<Report> {
    const config = loadConfig(o.config);
    const pack = o.pack === undefined ? undefined : loadComposedPack(o.pack);
    const checkOpts = { tier: o.tier, config, configFile: o.config, stackTags: o.stackTags, pack: pack?.options, packName: pack?.name };
    if (o.program !== undefined) {
        const runs = await runProgramDir({
            dir: o.program, stack: o.stack, set: o.set, mocks: loadMocks(o.mocks), timeoutSeconds: o.timeout, typeCheckEnv: o.noTypecheck ? undefined : io.env,
            inProcess: io.programsInProcess,
        });
        for (const key of runs.placeholders) {
            io.stderr.write(`databricks-network-check: note: ${key} is a secret in the stack file; a placeholder value is used\n`);
        }
        const source = { file: o.program, kind: "preview" as const };
        const preview = checkStack(toResourceInputs(runs.preview), source, checkOpts);
        const known = checkStack(toResourceInputs(runs.known), { ...source, kind: "export" }, checkOpts);
        const combined = combineRuns(preview, known, { file: o.program, resources: runs.known.resources.length });
        const unset = unsetOutputs(runs.known, known, checkOpts);
        return unset.length > 0 ? { ...combined, unsetOutputs: unset } : combined;
    }
    const stack = loadStack(o.file);
    return checkStack(stack.resources, { file: o.file, kind: stack.kind }, checkOpts);
}

export function writeReport(report: Report, o: CliOptions, io: Io): number {
    const colour = o.colour ?? (o.output === undefined && io.stdout.isTTY === true && io.env.NO_COLOR === undefined);
    // The Markdown report points to the complete ones written by the same run.
    const fullReport = [
        ...[...o.outputs, ...(o.output === undefined ? [] : [{ format: o.format, file: o.output }])].filter(x => x.format.complete).map(x => x.file),
        ...(o.reportUrl === undefined ? [] : [o.reportUrl]),
    ];
    const opts = { artifact: o.artifact, markdown: { maxChars: o.markdownMaxChars, fullReport }, explain: o.explain };
    const write = (file: string, text: string) => {
        try {
            fs.writeFileSync(file, text);
        } catch (e) {
            throw new InputError(`${file}: cannot write the report (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
        }
    };
    for (const extra of o.outputs) {
        write(extra.file, extra.format.render(report, { ...opts, colour: false }));
    }
    const text = o.format.render(report, { ...opts, colour });
    if (o.output) {
        write(o.output, text);
    } else {
        io.stdout.write(text);
    }
    return report.summary.mandatory > 0 ? 1 : 0;
}

/** Runs the command; resolves to the exit status. Never rejects. */
export async function main(argv: readonly string[], io: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
    try {
        const parsed = parseArgs(argv);
        if ("help" in parsed) {
            io.stdout.write(USAGE);
            return 0;
        }
        if ("version" in parsed) {
            io.stdout.write(`${(require("../../package.json") as { version: string }).version}\n`);
            return 0;
        }
        return writeReport(await produceReport(parsed, io), parsed, io);
    } catch (e) {
        if (e instanceof UsageError) {
            io.stderr.write(`databricks-network-check: ${e.message}\n\n${USAGE}`);
        } else if (e instanceof InputError) {
            io.stderr.write(`databricks-network-check: ${e.message}\n`);
            if (e instanceof ProgramError && e.detail && argv.includes("--verbose")) {
                io.stderr.write(`${e.detail}\n`);
            }
        } else {
            io.stderr.write(`databricks-network-check: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
            if (io.env.DATABRICKS_NETWORK_CHECK_DEBUG) {
                io.stderr.write(`${e instanceof Error ? e.stack : ""}\n`);
            }
        }
        return 2;
    }
}

if (require.main === module) {
    // A reader that stops early (`| head`) has all it wanted: end quietly, not with a stack trace.
    process.stdout.on("error", (e: NodeJS.ErrnoException) => {
        if (e.code !== "EPIPE") {
            throw e;
        }
        process.exit();
    });
    void main(process.argv.slice(2)).then(code => {
        process.exitCode = code;
    });
}
