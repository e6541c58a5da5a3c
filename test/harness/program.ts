// Runs a real Pulumi program under pulumi.runtime.setMocks with the recorder the
// databricks-network-check command ships (cli/record.ts), so tests and the command see the same
// resources: at preview, new resources' IDs and computed outputs are unknown; in update mode
// they are known.

import { recordProgram, RecordedStack } from "../../cli/record";

export { RecordedResource, RecordedStack, SUBSCRIPTION, UNKNOWN } from "../../cli/record";

export interface RunOptions {
    /** Preview: new resources' IDs and computed outputs are unknown. */
    preview: boolean;
    project?: string;
    stack?: string;
    /** Stack configuration, e.g. `{ "azure-native:location": "westeurope" }`. */
    config?: Record<string, string>;
    /** Extra outputs a mock should report for a resource (update mode), by logical name. */
    outputs?: Record<string, Record<string, unknown>>;
    /**
     * Stack transforms, applied to every resource at registration the way the engine applies
     * those registered with `pulumi.runtime.registerResourceTransform` (the mock monitor does not
     * run them): the transform sees the serialised inputs (unknowns at preview), and what it returns
     * is registered. Dependencies stay those the SDK recorded for the program.
     */
    transforms?: pulumi.ResourceTransform[];
}

export function runProgram(program: () => unknown, opts: RunOptions): Promise<RecordedStack> {
    return recordProgram(program, { ...opts, project: opts.project ?? "databricks-network", stack: opts.stack ?? "dev" });
}
