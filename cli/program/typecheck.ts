// Type-checks a TypeScript program the way Pulumi's Node.js runtime does before it runs one: ts-node
// with type checking, the project's tsconfig.json (or PULUMI_NODEJS_TSCONFIG_PATH) over the runtime's
// defaults, every file the program loads checked; skipped under PULUMI_NODEJS_TRANSPILE_ONLY=true
// or a tsconfig that sets `noCheck` (read from pulumi/pulumi sdk/nodejs/cmd/run/run.ts).

import * as fs from "fs";
import * as path from "path";
import { InputError } from "../inputs/inputs";
import { loadTypeScript } from "./typescript";

interface TsSourceFile {
    fileName: string;
    isDeclarationFile: boolean;
    getLineAndCharacterOfPosition(pos: number): { line: number; character: number };
}

interface TsDiagnostic {
    file?: TsSourceFile;
    start?: number;
    messageText: unknown;
    code: number;
    category: number;
}

interface TsProgram {
    getSourceFiles(): readonly TsSourceFile[];
    getSyntacticDiagnostics(file: TsSourceFile): readonly TsDiagnostic[];
    getSemanticDiagnostics(file: TsSourceFile): readonly TsDiagnostic[];
    getOptionsDiagnostics(): readonly TsDiagnostic[];
}

interface TypeScriptCompiler {
    version: string;
    sys: object;
    DiagnosticCategory: { Error: number };
    /** TypeScript 5.3 and later. */
    JSDocParsingMode?: { ParseForTypeErrors: number };
    /** The compiler's option table (internal, present since TypeScript 2). */
    optionDeclarations?: readonly { name: string; affectsSourceFile?: boolean }[];
    readConfigFile(file: string, read: (p: string) => string | undefined): { config?: unknown; error?: TsDiagnostic };
    parseJsonConfigFileContent(json: unknown, host: object, basePath: string, existing?: Record<string, unknown>, configFileName?: string): { options: Record<string, unknown>; errors: TsDiagnostic[] };
    convertCompilerOptionsFromJson(json: Record<string, unknown>, basePath: string): { options: Record<string, unknown> };
    createCompilerHost(options: Record<string, unknown>): TsCompilerHost;
    createProgram(rootNames: string[], options: Record<string, unknown>, host?: TsCompilerHost): TsProgram;
    flattenDiagnosticMessageText(m: unknown, nl: string): string;
}

type GetSourceFile = (fileName: string, languageVersionOrOptions: unknown, onError?: (message: string) => void, shouldCreateNewSourceFile?: boolean) => TsSourceFile | undefined;

interface TsCompilerHost {
    getSourceFile: GetSourceFile;
    jsDocParsingMode?: number;
}

/**
 * Installed declaration files parsed (and bound) under the same options, per compiler: a process
 * that checks several programs (an embedding, the tests) parses the SDKs' declarations once, as
 * TypeScript's language service shares them between programs.
 */
const installed = new WeakMap<TypeScriptCompiler, Map<string, TsSourceFile>>();

function sharingInstalledDeclarations(ts: TypeScriptCompiler, options: Record<string, unknown>): TsCompilerHost {
    const host = ts.createCompilerHost(options);
    // As tsc parses: JSDoc in TypeScript files only where it can bear on a type error, not the
    // documentation of every declaration of the installed SDKs.
    if (ts.JSDocParsingMode) {
        host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
    }
    const parse = host.getSourceFile.bind(host);
    const cache = installed.get(ts) ?? new Map<string, TsSourceFile>();
    installed.set(ts, cache);
    const sep = `${path.sep}node_modules${path.sep}`;
    const settings = JSON.stringify(affectingDeclarations(ts, options));
    host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile) => {
        if (shouldCreateNewSourceFile || !fileName.endsWith(".d.ts") || !path.resolve(fileName).includes(sep)) {
            return parse(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile);
        }
        // What parsing reads of the request (its package.json scope only decides the module format).
        const parsing = typeof languageVersionOrOptions === "object" && languageVersionOrOptions !== null
            ? ["languageVersion", "impliedNodeFormat", "jsDocParsingMode"].map(k => (languageVersionOrOptions as Record<string, unknown>)[k])
            : [languageVersionOrOptions];
        const key = `${settings}\0${JSON.stringify(parsing)}\0${fileName}`;
        let file = cache.get(key);
        if (!file) {
            file = parse(fileName, languageVersionOrOptions, onError, shouldCreateNewSourceFile);
            if (file) {
                cache.set(key, file);
            }
        }
        return file;
    };
    return host;
}

/**
 * The options a declaration file's parse and binding depend on: those TypeScript's language service
 * keys shared source files by (`affectsSourceFile`), less `alwaysStrict`, which the binder ignores
 * for declaration files. Strictness and the like change only checks of the program's own files. An
 * older compiler without the table shares nothing between different options.
 */
function affectingDeclarations(ts: TypeScriptCompiler, options: Record<string, unknown>): unknown[] {
    const names = ts.optionDeclarations?.filter(o => o.affectsSourceFile && o.name !== "alwaysStrict").map(o => o.name);
    return names ? names.map(n => [n, options[n]]) : Object.entries(options).sort(([a], [b]) => (a < b ? -1 : 1));
}

/** Codes ts-node ignores by default (files outside rootDir, no inputs, empty `files`). */
const IGNORED = new Set([6059, 18002, 18003]);
const LISTED = 5;

export interface TypeCheckRequest {
    dir: string;
    entry: string;
    /** The command's environment: PULUMI_NODEJS_TRANSPILE_ONLY and PULUMI_NODEJS_TSCONFIG_PATH as Pulumi reads them. */
    env: NodeJS.ProcessEnv;
    /** Paths in messages are relative to this directory. */
    displayBase: string;
}

/** Whether Pulumi would type-check this program: a TypeScript entry, and not switched off. */
export function typeChecked(entry: string, env: NodeJS.ProcessEnv): boolean {
    return /\.[cm]?tsx?$/.test(entry) && !entry.endsWith(".d.ts") && env.PULUMI_NODEJS_TRANSPILE_ONLY !== "true";
}

/** Throws an InputError listing the first type errors, as `pulumi preview` would refuse the program. */
export function typeCheckProgram(req: TypeCheckRequest): void {
    const ts = loadTypeScript<TypeScriptCompiler>(req.dir);
    const display = (f: string) => path.relative(req.displayBase, f) || f;
    const configFile = path.resolve(req.dir, req.env.PULUMI_NODEJS_TSCONFIG_PATH ?? "tsconfig.json");
    const errors: TsDiagnostic[] = [];
    let own: Record<string, unknown> = {};
    if (fs.existsSync(configFile)) {
        const read = ts.readConfigFile(configFile, f => (fs.existsSync(f) ? fs.readFileSync(f, "utf8") : undefined));
        if (read.error) {
            errors.push(read.error);
        } else {
            const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configFile), undefined, configFile);
            own = parsed.options;
            errors.push(...parsed.errors);
        }
    }
    if (req.env.PULUMI_NODEJS_TRANSPILE_ONLY === undefined && own.noCheck === true) {
        return;
    }
    // The runtime's defaults for TypeScript 4.7 and later, under the project's own options.
    const defaults = ts.convertCompilerOptionsFromJson({ target: "ES2020", module: "nodenext", moduleResolution: "nodenext" }, req.dir).options;
    if (errors.length === 0) {
        const options = { ...defaults, ...own, noEmit: true };
        const program = ts.createProgram([req.entry], options, sharingInstalledDeclarations(ts, options));
        errors.push(...program.getOptionsDiagnostics());
        const sep = `${path.sep}node_modules${path.sep}`;
        for (const file of program.getSourceFiles()) {
            if (!file.isDeclarationFile && !path.resolve(file.fileName).includes(sep)) {
                errors.push(...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file));
            }
        }
    }
    const shown = errors.filter(d => d.category === ts.DiagnosticCategory.Error && !IGNORED.has(d.code));
    if (shown.length === 0) {
        return;
    }
    const lines = shown.slice(0, LISTED).map(d => {
        const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
        const where = d.file ? `${display(path.resolve(d.file.fileName))}${at ? `:${at.line + 1}:${at.character + 1}` : ""}: ` : "";
        const text = ts.flattenDiagnosticMessageText(d.messageText, " ");
        return `  ${where}error TS${d.code}: ${text.length > 300 ? `${text.slice(0, 299)}…` : text}`;
    });
    const more = shown.length > LISTED ? [`  and ${shown.length - LISTED} more`] : [];
    throw new InputError([
        `${display(req.dir)}: the program does not type-check (TypeScript ${ts.version}), so \`pulumi preview\` would refuse it:`,
        ...lines, ...more,
        "Pulumi's Node.js runtime type-checks TypeScript programs unless PULUMI_NODEJS_TRANSPILE_ONLY=true; so does this command (--no-typecheck skips it).",
    ].join("\n"));
}
