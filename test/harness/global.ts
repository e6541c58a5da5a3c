// One pack process for the whole test run, started the way the engine starts it. Under
// `mocha --parallel` each worker process runs many files with the root hooks run around each one:
// the worker's pack then serves all of them and ends with the worker.

import * as path from "path";
import { PackProcess } from "../../support/engine";

export const PACK_DIR = path.resolve(__dirname, "..", "..", "..");

let pack: PackProcess | undefined;
const inWorker = process.env.MOCHA_WORKER_ID !== undefined;

export function thePack(): PackProcess {
    if (!pack) {
        throw new Error("the pack is not running (test/harness/global.js must be required by mocha)");
    }
    return pack;
}

/**
 * The Pulumi SDK's runtime errors (`error: [runtime] …`, written to the console when no engine
 * listens) that reach this process's output: each fails the test, or the file, that let it through.
 */
const RUNTIME_ERROR = /^error: \[runtime\] .*$/gm;
const strayErrors: string[] = [];
for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        strayErrors.push(...(String(chunk).match(RUNTIME_ERROR) ?? []));
        return write(chunk, ...rest);
    }) as typeof stream.write;
}

function noStrayErrors(): void {
    if (strayErrors.length > 0) {
        throw new Error(`unexpected error output of the Pulumi runtime:\n${strayErrors.splice(0).join("\n")}`);
    }
}

export const mochaHooks = {
    afterEach: noStrayErrors,
    async beforeAll(this: Mocha.Context) {
        this.timeout(60_000);
        if (!pack) {
            const started = await PackProcess.start(PACK_DIR);
            pack = started;
            if (inWorker) {
                process.once("exit", () => started.kill());
            }
        }
    },
    async afterAll() {
        if (!inWorker) {
            await pack?.stop();
            pack = undefined;
        }
        noStrayErrors();
    },
};
