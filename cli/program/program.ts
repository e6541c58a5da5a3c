// Checks a Pulumi TypeScript program offline: no CLI, no cloud credentials, no backend. The
// program runs twice under mocks — as a first `pulumi preview` sees it (new IDs unknown) and as
// `pulumi up` sees it (IDs known) — each time in a process of its own with a time limit, and every
// failure is turned into a message that names the failing file, resource or call and how to
// supply what is missing.

import * as fs from "fs";
import * as path from "path";
import { format } from "util";
import YAML from "yaml";
import { InputError } from "../inputs/inputs";
import { isRecord, quote } from "../../policies/core/model/values";
import { Mocks } from "./mocks";
import { keptOutput, ProgramError, runIsolated, tail } from "./process";
import { RunRequest } from "./protocol";
import { ProgramFailure, ProgramRun } from "./run";
import { typeChecked, typeCheckProgram } from "./typecheck";
import { RecordedStack } from "./record";

export { loadMocks } from "./mocks";
export { ProgramError } from "./process";

export interface ProgramOptions {
    dir: string;
    /** Stack name: its `Pulumi.<stack>.yaml` supplies configuration. */
    stack?: string;
    /** Configuration values given on the command line (`--set key=value`). */
    set?: ReadonlyMap<string, string>;
    /** Answers for invokes and resource outputs (`--mocks file.json`). */
    mocks?: Mocks;
    /** Time limit of each run (default DEFAULT_TIMEOUT_SECONDS). */
    timeoutSeconds?: number;
    /**
     * Type-check a TypeScript program first, as Pulumi's Node.js runtime does, with this environment
     * (PULUMI_NODEJS_TRANSPILE_ONLY=true skips it); absent, the program is only transpiled.
     */
    typeCheckEnv?: NodeJS.ProcessEnv;
    /**
     * Runs inside each recorded run before the program loads (e.g. to install stack transforms).
     * The program then runs in this process, without isolation or time limit.
     */
    beforeRun?: () => void;
    /**
     * Run in this process, without isolation or time limit: for embedding and tests whose programs
     * finish (a program that exits, hangs or prints needs its own process).
     */
    inProcess?: boolean;
}

export interface ProgramRuns {
    project: string;
    stack: string;
    entry: string;
    preview: RecordedStack;
    known: RecordedStack;
    /** Configuration values that could not be used as written (secrets), replaced by placeholders. */
    placeholders: string[];
}

function readYaml(file: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new InputError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    try {
        return YAML.parse(text);
    } catch (e) {
        throw new InputError(`${file}: not valid YAML: ${(e as Error).message.split("\n")[0]}`);
    }
}

/** Project name, entry file and stack configuration of a Pulumi project directory. */
export function loadProject(o: ProgramOptions): { project: string; stack: string; entry: string; config: Record<string, string>; placeholders: string[]; typescriptRuntime: boolean } {
    const dir = path.resolve(o.dir);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
        throw new InputError(`${o.dir}: no such directory; expected a Pulumi project directory`);
    }
    const projectFile = ["Pulumi.yaml", "Pulumi.yml"].map(f => path.join(dir, f)).find(f => fs.existsSync(f));
    if (!projectFile) {
        throw new InputError(`${o.dir}: not a Pulumi project (no Pulumi.yaml)`);
    }
    const project = readYaml(projectFile);
    if (!isRecord(project) || typeof project.name !== "string" || project.name === "") {
        throw new InputError(`${projectFile}: expected a Pulumi project file with a "name"`);
    }
    const runtime = isRecord(project.runtime) ? project.runtime.name : project.runtime;
    if (runtime !== "nodejs") {
        throw new InputError(`${projectFile}: runtime ${quote(runtime)}: --program runs Node.js (TypeScript or JavaScript) programs only. ` +
            `A program in any language is checked from its plan: run \`pulumi preview --json --show-sames > plan.json\` in ${o.dir}, then \`databricks-network-check plan.json\` ` +
            "(or check a `pulumi stack export` file); or enforce the pack in the engine with `pulumi preview --policy-pack <pack dir>`");
    }
    const typescriptRuntime = !(isRecord(project.runtime) && isRecord(project.runtime.options) && project.runtime.options.typescript === false);
    const stacks = fs.readdirSync(dir).map(f => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1]).filter((s): s is string => s !== undefined);
    const stack = o.stack ?? (stacks.length === 1 ? stacks[0] : "dev");
    const config: Record<string, string> = {};
    const placeholders: string[] = [];
    const fullKey = (k: string) => (k.includes(":") ? k : `${project.name as string}:${k}`);
    const put = (k: string, v: unknown) => {
        if (isRecord(v) && "secure" in v) {
            config[fullKey(k)] = "mock-secret-value";
            placeholders.push(fullKey(k));
        } else {
            config[fullKey(k)] = typeof v === "string" ? v : JSON.stringify(v);
        }
    };
    // Project-level defaults, then the stack's file, then --set.
    if (isRecord(project.config)) {
        for (const [k, v] of Object.entries(project.config)) {
            const value = isRecord(v) ? (v.value ?? v.default) : v;
            if (value !== undefined) {
                put(k, value);
            }
        }
    }
    const stackFile = ["yaml", "yml"].map(e => path.join(dir, `Pulumi.${stack}.${e}`)).find(f => fs.existsSync(f));
    if (o.stack !== undefined && !stackFile) {
        throw new InputError(`${o.dir}: no Pulumi.${o.stack}.yaml${stacks.length ? ` (stacks here: ${stacks.join(", ")})` : ""}`);
    }
    if (stackFile) {
        const doc = readYaml(stackFile);
        if (doc !== null && doc !== undefined && !isRecord(doc)) {
            throw new InputError(`${stackFile}: expected a stack settings file with a "config" map`);
        }
        const cfg = isRecord(doc) ? doc.config : undefined;
        if (cfg !== undefined && cfg !== null && !isRecord(cfg)) {
            throw new InputError(`${stackFile}: "config" must be a map of key: value`);
        }
        for (const [k, v] of Object.entries(cfg ?? {})) {
            put(k, v);
        }
    }
    for (const [k, v] of o.set ?? []) {
        config[fullKey(k)] = v;
    }
    return { project: project.name, stack, entry: entryFile(dir, project), config, placeholders, typescriptRuntime };
}

function entryFile(dir: string, project: Record<string, unknown>): string {
    let base = dir;
    if (typeof project.main === "string") {
        const m = path.resolve(dir, project.main);
        if (fs.existsSync(m) && fs.statSync(m).isFile()) {
            return m;
        }
        base = m;
    }
    const pkgFile = path.join(base, "package.json");
    if (fs.existsSync(pkgFile)) {
        try {
            const main = (JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { main?: unknown }).main;
            if (typeof main === "string") {
                const m = path.resolve(base, main);
                const ts = m.replace(/\.js$/, ".ts");
                // A compiled `main` may not be built yet: its TypeScript source runs as well.
                for (const candidate of [m, ts, `${m}.ts`, `${m}.js`, path.join(m, "index.ts"), path.join(m, "index.js")]) {
                    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
                        return candidate;
                    }
                }
            }
        } catch {
            // An unreadable package.json: fall back to index.ts / index.js.
        }
    }
    for (const f of ["index.ts", "index.js"]) {
        if (fs.existsSync(path.join(base, f))) {
            return path.join(base, f);
        }
    }
    throw new InputError(`${dir}: no program entry (index.ts, index.js, or package.json "main")`);
}

const CONSOLE_METHODS = ["log", "info", "debug", "warn", "error", "trace"] as const;

/**
 * Keeps what the console receives while a run happens in this process, as a run's own process
 * keeps its output: the program's prints and the SDK's runtime log (an invoke whose arguments
 * cannot be serialized is logged as `error: [runtime] …` when no engine listens) stay out of the
 * command's output.
 */
function keepConsole(): { text(): string; restore(): void } {
    const kept = tail();
    const before = CONSOLE_METHODS.map(m => console[m]);
    for (const m of CONSOLE_METHODS) {
        console[m] = (...args: unknown[]) => kept.add(`${format(...args)}\n`);
    }
    return { text: kept.text, restore: () => CONSOLE_METHODS.forEach((m, i) => (console[m] = before[i])) };
}

/** The default time limit of one program run. */
export const DEFAULT_TIMEOUT_SECONDS = 60;

/**
 * One run: in a process of its own with a time limit; in this process only for `beforeRun`, a hook
 * for embedding and tests that must run next to the program, or when asked (`inProcess`).
 */
async function runOnce(request: RunRequest, o: ProgramOptions): Promise<RecordedStack> {
    if (o.beforeRun || o.inProcess) {
        // A failed run leaves registrations that reject a little later: let them settle here,
        // not in the next run.
        const settleLate = () => new Promise(resolve => setTimeout(resolve, 100));
        const output = keepConsole();
        try {
            return await new ProgramRun(request).run(o.beforeRun);
        } catch (e) {
            await settleLate();
            throw e instanceof ProgramFailure ? new ProgramError(e.message, [e.detail, keptOutput(request, [["console output", output.text()]])].filter(Boolean).join("\n")) : e;
        } finally {
            output.restore();
        }
    }
    return runIsolated(request, (o.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000);
}

export async function runProgramDir(o: ProgramOptions): Promise<ProgramRuns> {
    const dir = path.resolve(o.dir);
    const loaded = loadProject(o);
    const request = (preview: boolean): RunRequest => ({
        dir, entry: loaded.entry, preview, project: loaded.project, stack: loaded.stack, config: loaded.config, mocks: o.mocks, displayBase: process.cwd(),
    });
    // Pulumi type-checks through ts-node only when its TypeScript support is on (`runtime.options.typescript`).
    const typeCheck = () => {
        if (o.typeCheckEnv !== undefined && loaded.typescriptRuntime && typeChecked(loaded.entry, o.typeCheckEnv)) {
            typeCheckProgram({ dir, entry: loaded.entry, env: o.typeCheckEnv, displayBase: process.cwd() });
        }
    };
    // A run in this process must not outlive a refused program: check first. A run in a process of
    // its own loads the program while the check runs here.
    const here = o.beforeRun !== undefined || o.inProcess === true;
    if (here) {
        typeCheck();
    }
    const previewRun = runOnce(request(true), o);
    if (!here) {
        try {
            typeCheck();
        } catch (e) {
            previewRun.catch(() => undefined);
            throw e;
        }
    }
    const preview = await previewRun;
    const known = await runOnce(request(false), o);
    return { project: loaded.project, stack: loaded.stack, entry: loaded.entry, preview, known, placeholders: loaded.placeholders };
}
