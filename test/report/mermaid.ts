// Mermaid's own parser, under Node. Mermaid is published as ECMAScript modules only, so it is
// loaded with a real dynamic import (TypeScript's CommonJS output would turn `import()` into a
// `require`). Mermaid sanitises labels with DOMPurify, which needs a browser DOM it does not get
// here; parsing needs no sanitising, so the hooks of DOMPurify's module instance are stubbed.

interface Mermaid {
    parse(text: string): Promise<{ diagramType: string }>;
}

interface Purify {
    addHook?: unknown;
    removeHook?: unknown;
    removeHooks?: unknown;
    sanitize?: unknown;
}

const importModule = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<{ default: unknown }>;

let loaded: Promise<Mermaid> | undefined;

async function load(): Promise<Mermaid> {
    const purify = (await importModule("dompurify")).default as Purify;
    if (typeof purify.sanitize !== "function") {
        purify.addHook = () => undefined;
        purify.removeHook = () => undefined;
        purify.removeHooks = () => undefined;
        purify.sanitize = (s: string) => s;
    }
    return (await importModule("mermaid")).default as Mermaid;
}

/** The diagram type Mermaid's parser reads in `text`; rejects with the parser's message on a syntax error. */
export async function mermaidParse(text: string): Promise<string> {
    loaded ??= load();
    return (await (await loaded).parse(text)).diagramType;
}

/** The bodies of the ```mermaid blocks of a Markdown text. */
export function mermaidBlocks(md: string): string[] {
    return [...md.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map(m => m[1]);
}
