// Runs one program run in a process of its own (child.js), with a time limit. The
// program's standard output and error never reach the command's; they are kept (bounded) for
// `--verbose`. A run that does not report a result — it exits, hangs, loops or crashes — becomes
// a ProgramError naming what happened.

import { fork } from "child_process";
import * as path from "path";
import { InputError } from "../inputs/inputs";
import { ChildMessage, ParentMessage, RunRequest } from "./protocol";
import { RecordedStack } from "./record";

/** An input error about a program run; `detail` (stack traces, the program's output) for --verbose. */
export class ProgramError extends InputError {
    constructor(message: string, readonly detail?: string) {
        super(message);
    }
}

const KEEP = 16_000;
/** How long a run may take to say what it waits for once its time is up (a loaded machine needs seconds). */
const GRACE_MS = 3_000;

/** The last `KEEP` characters of a stream. */
export function tail(): { add(b: Buffer | string): void; text(): string } {
    let s = "";
    return {
        add: b => { s = (s + b.toString("utf8")).slice(-KEEP); },
        text: () => s,
    };
}

/** What a run's program wrote, by stream, as `--verbose` shows it. */
export function keptOutput(request: RunRequest, streams: [name: string, text: string][]): string {
    const run = request.preview ? "preview" : "known-values";
    return streams.filter(([, t]) => t.trim() !== "").map(([n, t]) => `--- the program's ${n} (${run} run) ---\n${t.trimEnd()}`).join("\n");
}

export function runIsolated(request: RunRequest, limitMs: number): Promise<RecordedStack> {
    const child = fork(path.join(__dirname, "child.js"), [], {
        cwd: request.dir,
        execArgv: [],
        stdio: ["ignore", "pipe", "pipe", "ipc"],
        serialization: "advanced",
    });
    const out = tail();
    const err = tail();
    child.stdout?.on("data", out.add);
    child.stderr?.on("data", err.add);
    const where = path.relative(request.displayBase, request.dir) || request.dir;
    const run = request.preview ? "preview" : "known-values";
    const output = () => keptOutput(request, [["standard output", out.text()], ["standard error", err.text()]]);
    return new Promise<RecordedStack>((resolve, reject) => {
        let settled = false;
        let timer: NodeJS.Timeout | undefined;
        let grace: NodeJS.Timeout | undefined;
        const settle = (f: () => void) => {
            if (!settled) {
                settled = true;
                clearTimeout(timer);
                clearTimeout(grace);
                f();
            }
        };
        const fail = (message: string, detail?: string) => settle(() => {
            child.kill("SIGKILL");
            reject(new ProgramError(message, [detail, output()].filter(Boolean).join("\n")));
        });
        const seconds = `${Math.round(limitMs / 100) / 10} s`;
        timer = setTimeout(() => {
            timedOut = true;
            child.send({ kind: "timeout" } satisfies ParentMessage, () => undefined);
            // A process busy in an endless loop cannot answer.
            grace = setTimeout(() => fail(`${where}: the program did not finish within ${seconds} (${run} run) and does not respond: an endless loop (e.g. inside an apply callback)? Raise the limit with --timeout <seconds> if it is only slow`), GRACE_MS);
        }, limitMs);
        let timedOut = false;
        child.on("message", (m: ChildMessage) => {
            if (m.kind === "done") {
                settle(() => resolve(m.stack));
            } else if (timedOut) {
                fail(`${where}: the program did not finish within ${seconds} (${run} run): ${m.message}; raise the limit with --timeout <seconds> if it is only slow`, m.detail);
            } else {
                fail(m.message, m.detail);
            }
        });
        child.on("error", e => fail(`${where}: cannot start the program's process: ${e.message}`));
        child.on("exit", (code, signal) => {
            // A result message is always sent before a normal exit; its absence means a crash.
            setImmediate(() => fail(`${where}: the program's process ended (${signal ? `signal ${signal}` : `status ${code}`}) before it finished (${run} run)`));
        });
        child.send({ kind: "run", request } satisfies ParentMessage);
    });
}
