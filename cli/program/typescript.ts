// The TypeScript compiler a program is run and checked with: the program's own, else this package's.

import { InputError } from "../inputs/inputs";

/** Loads `typescript` from the program's directory, else from beside this package; typed by the caller's view of its API. */
export function loadTypeScript<T>(dir: string): T {
    for (const paths of [[dir], [__dirname]]) {
        try {
            return require(require.resolve("typescript", { paths })) as T;
        } catch {
            // try the next location
        }
    }
    throw new InputError(`${dir}: the program is TypeScript but no "typescript" package can be found; run \`npm install\` in the program directory`);
}
