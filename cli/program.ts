// Checks a Pulumi TypeScript program offline: no CLI, no cloud credentials, no backend. The
// program runs twice under mocks — as a first `pulumi preview` sees it (new IDs unknown) and as
// `pulumi up` sees it (IDs known) — and every failure is turned into a message that names the
// failing file, resource or call and how to supply what is missing.

import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { InputError } from "./inputs";
import { MockError, recordProgram, RecordedStack } from "./record";

export interface ProgramOptions {
    dir: string;
    /** Stack name: its `Pulumi.<stack>.yaml` supplies configuration. */
    stack?: string;
    /** Configuration values given on the command line (`--set key=value`). */
    set?: ReadonlyMap<string, string>;
    /** Answers for invokes, by token (`--mocks file.json`). */
    invokes?: Record<string, Record<string, unknown>>;
    /** Runs inside each recorded run before the program loads (e.g. to install stack transforms). */
    beforeRun?: () => void;
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

interface TypeScriptApi {
    transpileModule(input: string, options: {
        compilerOptions: Record<string, unknown>; fileName: string; reportDiagnostics: boolean;
    }): { outputText: string; diagnostics?: { messageText: unknown; start?: number; file?: { getLineAndCharacterOfPosition(p: number): { line: number; character: number } } }[] };
    flattenDiagnosticMessageText(m: unknown, nl: string): string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
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
export function loadProject(o: ProgramOptions): { project: string; stack: string; entry: string; config: Record<string, string>; placeholders: string[] } {
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
        throw new InputError(`${projectFile}: runtime ${JSON.stringify(runtime)} is not supported; this mode runs Node.js (TypeScript or JavaScript) programs`);
    }
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
    return { project: project.name, stack, entry: entryFile(dir, project), config, placeholders };
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

function loadTypeScript(dir: string): TypeScriptApi {
    for (const paths of [[dir], [__dirname]]) {
        try {
            return require(require.resolve("typescript", { paths })) as TypeScriptApi;
        } catch {
            // try the next location
        }
    }
    throw new InputError(`${dir}: the program is TypeScript but no "typescript" package can be found; run \`npm install\` in the program directory`);
}

/** Registers a transpile-only `.ts` loader for files of `dir` (syntax errors are reported, types are not checked). */
function withTypeScript<T>(dir: string, fn: () => T): T {
    const exts = require.extensions as Record<string, ((m: NodeModule & { _compile(code: string, file: string): void }, file: string) => void) | undefined>;
    const previous = exts[".ts"];
    let ts: TypeScriptApi | undefined;
    exts[".ts"] = (module, file) => {
        if (file.includes(`${path.sep}node_modules${path.sep}`) && previous) {
            return previous(module, file);
        }
        ts = ts ?? loadTypeScript(dir);
        const out = ts.transpileModule(fs.readFileSync(file, "utf8"), {
            fileName: file,
            reportDiagnostics: true,
            compilerOptions: { module: 1 /* CommonJS */, target: 7 /* ES2020 */, esModuleInterop: true, sourceMap: false, inlineSourceMap: false },
        });
        const d = out.diagnostics?.[0];
        if (d) {
            const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
            throw new InputError(`${path.relative(process.cwd(), file)}${pos ? `:${pos.line + 1}:${pos.character + 1}` : ""}: syntax error: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
        }
        module._compile(out.outputText, file);
    };
    try {
        return fn();
    } finally {
        exts[".ts"] = previous;
    }
}

/** The program's own frame in a stack trace, e.g. `index.ts:12`. */
function programFrame(e: unknown, dir: string): string | undefined {
    const stack = e instanceof Error ? e.stack ?? "" : "";
    for (const line of stack.split("\n")) {
        const m = /\(?([^()\s]+):(\d+):\d+\)?$/.exec(line.trim());
        if (m && m[1].startsWith(dir) && !m[1].includes(`${path.sep}node_modules${path.sep}`)) {
            return `${path.relative(process.cwd(), m[1])}:${m[2]}`;
        }
    }
    return undefined;
}

function explain(e: unknown, dir: string, stack: string): InputError {
    if (e instanceof InputError) {
        return e;
    }
    const message = e instanceof Error ? e.message : String(e);
    const where = programFrame(e, dir);
    const missing = /Missing required configuration variable '([^']+)'/.exec(message);
    if (missing) {
        return new InputError(`${dir}: the program needs the configuration value ${missing[1]}: set it in Pulumi.${stack}.yaml or pass --set ${missing[1]}=<value>${where ? ` (required at ${where})` : ""}`);
    }
    if (e instanceof MockError || /has no mock answer/.test(message)) {
        return new InputError(`${dir}: ${message}${where ? ` (called at ${where})` : ""}`);
    }
    const resource = /urn:pulumi:[^\s'"]+/.exec(message)?.[0];
    return new InputError(`${dir}: the program failed under mocks${resource ? ` at resource ${resource}` : ""}${where ? ` (${where})` : ""}: ${message.split("\n")[0]}`);
}

async function runOnce(dir: string, entry: string, preview: boolean, loaded: ReturnType<typeof loadProject>, o: ProgramOptions): Promise<RecordedStack> {
    // Each run loads the program afresh, as the language host would.
    for (const k of Object.keys(require.cache)) {
        if (k.startsWith(dir + path.sep) && !k.includes(`${path.sep}node_modules${path.sep}`)) {
            delete require.cache[k];
        }
    }
    const failures: unknown[] = [];
    const onRejection = (reason: unknown) => failures.push(reason);
    process.on("unhandledRejection", onRejection);
    try {
        const stack = await recordProgram(async () => {
            o.beforeRun?.();
            const exported = withTypeScript(dir, () => require(entry) as unknown);
            const fn = typeof exported === "function" ? exported
                : isRecord(exported) && typeof exported.default === "function" ? exported.default : undefined;
            if (fn) {
                await (fn as () => unknown)();
            }
        }, { preview, project: loaded.project, stack: loaded.stack, config: loaded.config, invokes: o.invokes, resolveFrom: dir });
        // Let failed registrations surface before the run is judged complete.
        await new Promise(resolve => setImmediate(resolve));
        if (failures.length > 0) {
            throw failures.find(f => f instanceof MockError) ?? failures[0];
        }
        return stack;
    } catch (e) {
        // A failed run leaves registrations that reject a little later: collect them here, not in
        // the next run.
        await new Promise(resolve => setTimeout(resolve, 100));
        throw explain(failures.find(f => f instanceof MockError) ?? e, dir, loaded.stack);
    } finally {
        process.off("unhandledRejection", onRejection);
    }
}

export async function runProgramDir(o: ProgramOptions): Promise<ProgramRuns> {
    const dir = path.resolve(o.dir);
    const loaded = loadProject(o);
    const preview = await runOnce(dir, loaded.entry, true, loaded, o);
    const known = await runOnce(dir, loaded.entry, false, loaded, o);
    return { project: loaded.project, stack: loaded.stack, entry: loaded.entry, preview, known, placeholders: loaded.placeholders };
}

export function loadMocks(file: string | undefined): Record<string, Record<string, unknown>> | undefined {
    if (file === undefined) {
        return undefined;
    }
    let doc: unknown;
    try {
        doc = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new InputError(`${file}: cannot read the mocks file (${(e as Error).message})`);
    }
    const invokes = isRecord(doc) ? doc.invokes : undefined;
    if (!isRecord(invokes) || !Object.values(invokes).every(isRecord)) {
        throw new InputError(`${file}: expected {"invokes": {"<token>": {<result>}}}`);
    }
    return invokes as Record<string, Record<string, unknown>>;
}
