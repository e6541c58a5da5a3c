// Messages between the command and the process a program run happens in (over IPC, never the
// program's standard output).

import { Mocks } from "./mocks";
import { RecordedStack } from "./record";

export interface RunRequest {
    dir: string;
    entry: string;
    preview: boolean;
    project: string;
    stack: string;
    config: Record<string, string>;
    mocks?: Mocks;
    /** Paths in messages are relative to this directory (the command's working directory). */
    displayBase: string;
}

export type ParentMessage =
    | { kind: "run"; request: RunRequest }
    /** The time limit is reached: say what the run waits for, then the process is ended. */
    | { kind: "timeout" };

export type ChildMessage =
    | { kind: "done"; stack: RecordedStack }
    | { kind: "failed"; message: string; detail?: string };
