// Loads a team's composed policy pack (`--pack <dir or module>`) for its options: the pack's own
// `createPolicyPack(name, options)` call is captured instead of served, so the command evaluates
// exactly the tier, enforcement levels, attestations and exemptions the engine would.

import * as fs from "fs";
import * as path from "path";
import { CAPTURE, CapturedPack } from "../policies/pack";
import { InputError } from "./inputs/inputs";

type CaptureSlot = { packs: CapturedPack[] };
type Loader = (module: NodeJS.Module & { _compile(code: string, file: string): void }, file: string) => void;

interface TypeScriptApi {
    transpileModule(input: string, options: { compilerOptions: Record<string, unknown>; fileName: string }): { outputText: string };
}

/** The pack's entry: a file, a directory's package.json `main` (or index), or a module name. */
function entryOf(target: string, cwd: string): string {
    const abs = path.resolve(cwd, target);
    if (fs.existsSync(abs)) {
        if (fs.statSync(abs).isFile()) {
            return abs;
        }
        let main: string | undefined;
        try {
            const pkg = JSON.parse(fs.readFileSync(path.join(abs, "package.json"), "utf8")) as { main?: unknown };
            main = typeof pkg.main === "string" ? pkg.main : undefined;
        } catch {
            // No package.json (or an unreadable one): look for an index file.
        }
        const base = main ? path.resolve(abs, main) : path.join(abs, "index");
        for (const c of [base, `${base}.js`, `${base}.ts`, base.replace(/\.js$/, ".ts"), path.join(base, "index.js"), path.join(base, "index.ts")]) {
            if (fs.existsSync(c) && fs.statSync(c).isFile()) {
                return c;
            }
        }
        throw new InputError(`${target}: no pack entry found (package.json "main", index.js or index.ts)`);
    }
    try {
        return require.resolve(target, { paths: [cwd] });
    } catch {
        throw new InputError(`${target}: no such file, directory or installed module`);
    }
}

/** Runs `fn` with `.ts` files transpiled by the `typescript` package the pack (or this package) resolves. */
function withTypeScript<T>(dir: string, fn: () => T): T {
    const exts = require.extensions as unknown as Record<string, Loader | undefined>;
    if (exts[".ts"]) {
        return fn();
    }
    let ts: TypeScriptApi;
    try {
        ts = require(require.resolve("typescript", { paths: [dir, __dirname] })) as TypeScriptApi;
    } catch {
        throw new InputError(`${dir}: the pack is TypeScript but no "typescript" package can be found; run \`npm install\` in the pack's directory`);
    }
    exts[".ts"] = (module, file) => {
        const out = ts.transpileModule(fs.readFileSync(file, "utf8"), {
            fileName: file,
            compilerOptions: { module: "commonjs", target: "ES2020", esModuleInterop: true, sourceMap: false },
        });
        module._compile(out.outputText, file);
    };
    try {
        return fn();
    } finally {
        delete exts[".ts"];
    }
}

/** `text` cut to at most `max` characters at a word's end, marked when cut. */
export function cutAtWord(text: string, max: number): string {
    if (text.length <= max) {
        return text;
    }
    const space = text.lastIndexOf(" ", max - 1);
    return `${text.slice(0, space > 0 ? space : max).replace(/[\s,;:]+$/, "")} …`;
}

/** The options of the one pack the module composes; an input error naming the target otherwise. */
export function loadComposedPack(target: string, cwd: string = process.cwd()): CapturedPack & { entry: string } {
    const entry = entryOf(target, cwd);
    const g = globalThis as { [CAPTURE]?: CaptureSlot };
    const previous = g[CAPTURE];
    const slot: CaptureSlot = { packs: [] };
    g[CAPTURE] = slot;
    try {
        // Evaluated afresh: the capture sees the call only when the module body runs.
        delete require.cache[entry];
        const load = () => require(entry);
        if (entry.endsWith(".ts")) {
            withTypeScript(path.dirname(entry), load);
        } else {
            load();
        }
    } catch (e) {
        if (e instanceof InputError) {
            throw e;
        }
        const detail = e instanceof Error ? e.message.split("\n")[0] : String(e);
        throw new InputError(`${target}: the pack could not be loaded: ${cutAtWord(detail, 600)}`);
    } finally {
        g[CAPTURE] = previous;
    }
    if (slot.packs.length !== 1) {
        throw new InputError(slot.packs.length === 0
            ? `${target}: the module creates no pack with createPolicyPack(name, options) from azure-databricks-network-policies/lib (a pack built another way cannot be read for its options; pass its configuration with --config)`
            : `${target}: the module creates ${slot.packs.length} packs; a pack module creates one`);
    }
    return { ...slot.packs[0], entry };
}
