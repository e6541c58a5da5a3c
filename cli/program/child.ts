// The process one program run happens in (started by program-process.ts). The program's standard
// output and error stay in this process's pipes; the result goes back over IPC. Whatever the
// program does — exit, throw from a timer, never settle — exactly one message is sent, then this
// process ends.

import { ChildMessage, ParentMessage, RunRequest } from "./protocol";
import { ProgramRun } from "./run";

const exit = process.exit.bind(process);
let sent = false;

function send(m: ChildMessage): void {
    if (sent) {
        return;
    }
    sent = true;
    // Held open until the message is written: the process must not end with it half sent.
    process.channel?.ref();
    process.send?.(m, () => exit(0));
}

process.on("message", (m: ParentMessage) => {
    if (m.kind === "timeout") {
        send({ kind: "failed", message: run ? run.pending() : "the run had not started" });
        return;
    }
    // The channel must not keep the process alive: a run with nothing left to do must reach
    // "beforeExit" (a promise that never settles).
    process.channel?.unref();
    start(m.request);
});

let run: ProgramRun | undefined;

function start(request: RunRequest): void {
    const r = new ProgramRun(request);
    run = r;
    // The program ends its own process: the run did not finish, whatever the status.
    process.exit = ((code?: number) => {
        const where = r.where(new Error());
        send({ kind: "failed", message: r.failure(`the program called process.exit(${code ?? ""})${where ? ` at ${where}` : ""} before it finished; a Pulumi program must not end its own process`).message });
        return undefined as never;
    }) as typeof process.exit;
    process.on("beforeExit", () => r.drained());
    r.run().then(
        stack => send({ kind: "done", stack }),
        (e: unknown) => {
            const f = r.explain(e);
            send({ kind: "failed", message: f.message, detail: f.detail });
        });
}
