// One run of a Pulumi program under mocks, in this process: loads the program (TypeScript
// transpiled with source maps, so that lines are the program's own), records it, and turns every
// way it can fail to finish — an invoke or output the mocks do not answer, a throw in a callback or
// timer, a promise that never settles — into one message naming the cause and the program's line.
// `child.ts` runs it in a process of its own; `program.ts` decides where it runs.

import * as fs from "fs";
import * as path from "path";
import { SourceMap } from "module";
import { InputError } from "../inputs/inputs";
import { loadTypeScript } from "./typescript";
import { cut } from "../../policies/core/model/values";
import { shown } from "./mocks";
import { MockError, recordProgram, RecordedStack } from "./record";
import { RunRequest } from "./protocol";

/** A program run that did not finish: `message` for the user, `detail` (stack traces) on request. */
export class ProgramFailure extends Error {
    constructor(message: string, readonly detail?: string) {
        super(message);
    }
}

interface TypeScriptApi {
    transpileModule(input: string, options: {
        compilerOptions: Record<string, unknown>; fileName: string; reportDiagnostics: boolean;
    }): { outputText: string; sourceMapText?: string; diagnostics?: { messageText: unknown; start?: number; file?: { getLineAndCharacterOfPosition(p: number): { line: number; character: number } } }[] };
    flattenDiagnosticMessageText(m: unknown, nl: string): string;
}

interface OutputLike {
    resources(): Set<Record<string, unknown>>;
}
type ApplyFn = (this: OutputLike, func: (v: unknown) => unknown, runWithUnknowns?: boolean) => unknown;
type InvokeFn = (tok: string, props: Record<string, unknown>, ...rest: unknown[]) => unknown;
interface PulumiApi {
    output(v: unknown): object;
    runtime: Record<string, unknown>;
}
interface LeakStore { leakCandidates: Set<{ _debugCtx?: string }> }

const INVOKE_FUNCTIONS = ["invoke", "invokeOutput", "invokeSingle", "invokeSingleOutput"] as const;
const MAX_MESSAGE = 900;

/** A message's first line, cut to `max` characters: what a one-line error shows of it. */
function firstLine(s: string, max = MAX_MESSAGE): string {
    return cut(s.split("\n")[0], max);
}

export class ProgramRun {
    private readonly dir: string;
    private readonly maps = new Map<string, SourceMap>();
    private readonly invokeSites = new Map<string, { args: Record<string, unknown>; where?: string }[]>();
    private readonly rejections: unknown[] = [];
    private registered = 0;
    private lastResource?: string;
    private returned = false;
    private settle?: (f: ProgramFailure) => void;

    constructor(private readonly req: RunRequest) {
        this.dir = path.resolve(req.dir);
    }

    private display(file: string): string {
        return path.relative(this.req.displayBase, file) || file;
    }

    /** Maps the program's frames in a stack trace to its source lines. */
    mapStack(stack: string): string {
        return stack.replace(/([^\s()]+):(\d+):(\d+)/g, (all, file: string, line: string, col: string) => {
            const map = this.maps.get(file);
            const e = map?.findEntry(Number(line) - 1, Number(col) - 1);
            return e && "originalLine" in e ? `${file}:${e.originalLine + 1}:${e.originalColumn + 1}` : all;
        });
    }

    /** The program's own first frame in a stack trace, e.g. `index.ts:12`. */
    where(e: unknown): string | undefined {
        const stack = e instanceof Error ? e.stack ?? "" : typeof e === "string" ? e : "";
        for (const line of this.mapStack(stack).split("\n")) {
            const m = /\(?([^()\s]+):(\d+):\d+\)?$/.exec(line.trim());
            if (m && m[1].startsWith(this.dir + path.sep) && !m[1].includes(`${path.sep}node_modules${path.sep}`)) {
                return `${this.display(m[1])}:${m[2]}`;
            }
        }
        return undefined;
    }

    /** A failure message about this program. */
    failure(message: string, e?: unknown): ProgramFailure {
        const stack = e instanceof Error ? e.stack : undefined;
        return new ProgramFailure(`${this.display(this.dir)}: ${firstLine(message)}`, stack ? this.mapStack(stack) : undefined);
    }

    /** The user's message for an error the program run ended with. */
    explain(e: unknown): ProgramFailure {
        if (e instanceof ProgramFailure) {
            return e;
        }
        if (e instanceof InputError) {
            return new ProgramFailure(e.message);
        }
        const message = e instanceof Error ? e.message : shown(e);
        const where = this.where(e);
        const at = where ? ` (at ${where})` : "";
        if (e instanceof MockError) {
            const site = (this.invokeSites.get(e.token) ?? []).find(s => s.where && Object.entries(e.args).every(([k, v]) => typeof s.args[k] === "object" || s.args[k] === v))?.where;
            return this.failure(`${e.message}${site ? ` (called at ${site})` : ""}`, e);
        }
        const missing = /Missing required configuration variable '([^']+)'/.exec(message);
        if (missing) {
            return this.failure(`the program needs the configuration value ${missing[1]}: set it in Pulumi.${this.req.stack}.yaml or pass --set ${missing[1]}=<value>${where ? ` (required at ${where})` : ""}`, e);
        }
        const notFound = (e as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND" ? /Cannot find module '([^']+)'/.exec(message)?.[1] : undefined;
        if (notFound && !notFound.startsWith(".") && !path.isAbsolute(notFound)) {
            return this.failure(this.notInstalled(notFound, where), e);
        }
        const resource = /urn:pulumi:[^\s'"]+/.exec(message)?.[0];
        return this.failure(`the program failed under mocks${resource ? ` at resource ${resource}` : ""}${at}: ${message}`, e);
    }

    private notInstalled(pkg: string, where: string | undefined): string {
        const name = pkg.startsWith("@") ? pkg.split("/").slice(0, 2).join("/") : pkg.split("/")[0];
        const pkgFile = path.join(this.dir, "package.json");
        let declared = false;
        try {
            const p = JSON.parse(fs.readFileSync(pkgFile, "utf8")) as Record<string, Record<string, unknown> | undefined>;
            // Declared, or nothing installed at all: the program's own install is missing.
            declared = [p.dependencies, p.devDependencies].some(d => d !== undefined && name in d) || !fs.existsSync(path.join(this.dir, "node_modules"));
        } catch {
            // no readable package.json: say how to add the package
        }
        const how = declared
            ? `the program's packages are not installed: run \`npm install\` in ${this.display(this.dir)}`
            : `the package is not installed: run \`npm install ${name}\` in ${this.display(this.dir)}`;
        return `cannot find the package ${name}${where ? ` (required at ${where})` : ""}; ${how}`;
    }

    /** A `.ts` loader for the program's own files: transpiled with a source map, syntax errors reported. */
    private withTypeScript<T>(fn: () => T): T {
        const exts = require.extensions as Record<string, ((m: NodeModule & { _compile(code: string, file: string): void }, file: string) => void) | undefined>;
        const previous = exts[".ts"];
        let ts: TypeScriptApi | undefined;
        exts[".ts"] = (module, file) => {
            if (file.includes(`${path.sep}node_modules${path.sep}`) && previous) {
                return previous(module, file);
            }
            ts = ts ?? loadTypeScript<TypeScriptApi>(this.dir);
            const out = ts.transpileModule(fs.readFileSync(file, "utf8"), {
                fileName: file,
                reportDiagnostics: true,
                compilerOptions: { module: 1 /* CommonJS */, target: 7 /* ES2020 */, esModuleInterop: true, sourceMap: true, inlineSourceMap: false },
            });
            const d = out.diagnostics?.[0];
            if (d) {
                const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
                throw new InputError(`${this.display(file)}${pos ? `:${pos.line + 1}:${pos.character + 1}` : ""}: syntax error: ${firstLine(ts.flattenDiagnosticMessageText(d.messageText, " "), 300)}`);
            }
            if (out.sourceMapText) {
                this.maps.set(file, new SourceMap(JSON.parse(out.sourceMapText)));
            }
            module._compile(out.outputText.replace(/\n\/\/# sourceMappingURL=.*$/, ""), file);
        };
        try {
            return fn();
        } finally {
            exts[".ts"] = previous;
        }
    }

    /** The program's copy of `@pulumi/pulumi` (its own, as the language host would load it). */
    private pulumiDir(): string {
        return path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [this.dir] }));
    }

    /**
     * Records where the program calls each invoke (the mock answers later, off the program's stack),
     * and which resource output an apply callback failed on. Returns the undo.
     */
    private instrument(pulumi: PulumiApi): () => void {
        const undo: (() => void)[] = [];
        for (const fnName of INVOKE_FUNCTIONS) {
            const original = pulumi.runtime[fnName] as InvokeFn | undefined;
            if (typeof original !== "function") {
                continue;
            }
            pulumi.runtime[fnName] = (tok: string, props: Record<string, unknown>, ...rest: unknown[]) => {
                const sites = this.invokeSites.get(tok) ?? [];
                sites.push({ args: props ?? {}, where: this.where(new Error()) });
                this.invokeSites.set(tok, sites);
                return original(tok, props, ...rest);
            };
            undo.push(() => { pulumi.runtime[fnName] = original; });
        }
        const proto = Object.getPrototypeOf(pulumi.output(0)) as { apply: ApplyFn };
        const apply = proto.apply;
        // eslint-disable-next-line @typescript-eslint/no-this-alias
        const run = this;
        proto.apply = function (this: OutputLike, func, runWithUnknowns) {
            const output = this;
            const onError = (e: unknown, value: unknown): never => {
                run.applyFailed(e, output, value);
                throw e;
            };
            return apply.call(this, (v: unknown) => {
                let r: unknown;
                try {
                    r = func(v);
                } catch (e) {
                    return onError(e, v);
                }
                return r instanceof Promise ? r.catch((e: unknown) => onError(e, v)) : r;
            }, runWithUnknowns);
        };
        undo.push(() => { proto.apply = apply; });
        return () => undo.forEach(u => u());
    }

    /** An apply callback threw: name the resource output it read when the mocks left it undefined. */
    private applyFailed(e: unknown, output: OutputLike, value: unknown): void {
        const where = this.where(e);
        const message = e instanceof Error ? e.message : shown(e);
        let resources: Record<string, unknown>[] = [];
        try {
            resources = [...output.resources()];
        } catch {
            // not an output of a resource
        }
        for (const r of resources) {
            const prop = Object.keys(r).find(k => r[k] === output);
            if (prop !== undefined && (value === undefined || value === null)) {
                const type = String(r.__pulumiType);
                return this.settle?.(this.failure(`the program reads ${type} "${String(r.__name)}" output ${prop}, which the mocks leave undefined${where ? ` (at ${where}: ${message})` : `: ${message}`}; supply it with --mocks: {"resources": {"${type}": {"${prop}": <value>}}} (or "${type}::${String(r.__name)}" for this resource only)`, e));
            }
        }
        const from = resources.slice(0, 3).map(r => `${String(r.__pulumiType)} "${String(r.__name)}"`).join(", ");
        this.settle?.(this.failure(`an apply callback of the program failed under mocks${where ? ` (at ${where})` : ""}: ${message}${from ? `; its value comes from ${from}: if it reads an output the mocks leave undefined, supply it with --mocks {"resources": {"<type>": {"<output>": <value>}}}` : ""}`, e));
    }

    /** What the run is waiting for, for a run that did not finish in time. */
    pending(): string {
        const parts: string[] = [];
        parts.push(this.returned ? "the program's code returned, but values it declared never resolved" : "the program's code has not returned (it awaits something that does not finish)");
        const leaks = this.leaks();
        if (leaks.length > 0) {
            parts.push(`${leaks.length} Pulumi value(s) pending, e.g. ${leaks.slice(0, 3).map(l => shown(l, 100)).join(", ")}`);
        }
        const info = (process as unknown as { getActiveResourcesInfo?(): string[] }).getActiveResourcesInfo?.() ?? [];
        const timers = info.filter(t => t === "Timeout").length;
        if (timers > 0) {
            parts.push(`${timers} pending timer(s)`);
        }
        parts.push(`${this.registered} resource(s) registered${this.lastResource ? `, the last ${this.lastResource}` : ""}`);
        return parts.join("; ");
    }

    private leakStore?: () => LeakStore;

    private leaks(): string[] {
        try {
            return [...(this.leakStore?.().leakCandidates ?? [])].map(p => p._debugCtx ?? "a promise");
        } catch {
            return [];
        }
    }

    /** The event loop has nothing left to do while the run is unfinished (a promise that never settles). */
    drained(): void {
        const first = this.rejections[0];
        if (first !== undefined) {
            this.settle?.(this.explain(first));
            return;
        }
        this.settle?.(this.failure(this.returned
            ? `the program finished, but ${this.leaks().length || "some"} value(s) it declared never resolved (an output that waits on a promise that never settles)`
            : "the program never finished: it awaits a promise that never settles, and nothing else is pending"));
    }

    /** Runs the program once; rejects with a ProgramFailure. */
    run(beforeRun?: () => void): Promise<RecordedStack> {
        const req = this.req;
        for (const k of Object.keys(require.cache)) {
            if (k.startsWith(this.dir + path.sep) && !k.includes(`${path.sep}node_modules${path.sep}`)) {
                delete require.cache[k];
            }
        }
        return new Promise<RecordedStack>((resolve, reject) => {
            let done = false;
            let undo = () => undefined as void;
            const onRejection = (reason: unknown) => {
                this.rejections.push(reason);
                if (reason instanceof MockError) {
                    this.settle?.(this.explain(reason));
                }
            };
            const onException = (e: unknown) => this.settle?.(this.explain(e));
            const finish = () => {
                done = true;
                undo();
                process.off("unhandledRejection", onRejection);
                process.off("uncaughtException", onException);
            };
            this.settle = f => {
                if (!done) {
                    finish();
                    reject(f);
                }
            };
            process.on("unhandledRejection", onRejection);
            process.on("uncaughtException", onException);
            let pulumiDir: string;
            try {
                pulumiDir = this.pulumiDir();
            } catch (e) {
                return this.settle(this.explain(e));
            }
            const state = require(path.join(pulumiDir, "runtime", "state")) as { getStore(): LeakStore };
            this.leakStore = () => state.getStore();
            recordProgram(async () => {
                undo = this.instrument(require(path.join(pulumiDir, "index.js")) as PulumiApi);
                beforeRun?.();
                const exported = this.withTypeScript(() => require(req.entry) as unknown);
                const fn = typeof exported === "function" ? exported
                    : exported !== null && typeof exported === "object" && typeof (exported as { default?: unknown }).default === "function" ? (exported as { default: unknown }).default : undefined;
                if (fn) {
                    await (fn as () => unknown)();
                }
                this.returned = true;
            }, {
                preview: req.preview, project: req.project, stack: req.stack, config: req.config, mocks: req.mocks, resolveFrom: this.dir,
                onMockFailure: e => setImmediate(() => this.settle?.(this.explain(e))),
                onRegistered: r => { this.registered++; this.lastResource = `${r.type} "${r.name}"`; },
            }).then(async stack => {
                // Let failed registrations and callbacks surface before the run is judged complete.
                await new Promise(r => setImmediate(r));
                while (!done && this.leaks().length > 0) {
                    await new Promise(r => setTimeout(r, 20));
                }
                const first = this.rejections.find(f => f instanceof MockError) ?? this.rejections[0];
                if (first !== undefined) {
                    return this.settle?.(this.explain(first));
                }
                if (!done) {
                    finish();
                    resolve(stack);
                }
            }, (e: unknown) => this.settle?.(this.explain(this.rejections.find(f => f instanceof MockError) ?? e)));
        });
    }
}
