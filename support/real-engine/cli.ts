// Runs the real Pulumi CLI (the pinned build of scripts/build-engine.ts) offline: a file backend, a
// passphrase, no update check, no plugin downloads, the stand-in providers and language host on
// PATH. Each RealEngine owns a scratch directory with its own PULUMI_HOME, state and provider log.

import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { engineBinDir, LANGUAGE_HOSTS, pinnedVersion } from "./paths";
import { RecordedStack } from "../../cli/program/record";

export const REPO = path.resolve(__dirname, "../../..");
export const PASSPHRASE = "real-engine-suite";
export const PROVIDER_PACKAGES = ["azure-native", "azure", "databricks"] as const;

/** apitype.PolicyEvent (sdk/go/common/apitype/events.go), one `policyEvent` of `--event-log`. */
export interface PolicyEvent {
    resourceUrn?: string;
    message: string;
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    /** "advisory", "mandatory", "remediate" or "disabled" (apitype.EnforcementLevel). */
    enforcementLevel: string;
}

/** What `--event-log` writes: one apitype.EngineEvent per line (only the part the suite reads). */
interface EngineEvent {
    policyEvent?: PolicyEvent;
}

/** A line of the stand-in providers' log (support/real-engine/provider.ts). */
export interface ProviderCall {
    op: "create" | "update" | "delete";
    package: string;
    urn: string;
    type: string;
    name: string;
    id: string;
}

export interface Run {
    status: number;
    stdout: string;
    stderr: string;
    /** The command as a user would type it (for messages). */
    command: string;
}

export interface Operation extends Run {
    policyEvents: PolicyEvent[];
}

export class RealEngine {
    readonly bin = engineBinDir();
    readonly root: string;
    private readonly pathDir: string;
    readonly providerLog: string;

    /** $STANDIN_PROVIDER_WORLD: what exists before a program runs (support/real-engine/provider.ts). */
    readonly worldFile: string;

    constructor(scratch: string) {
        for (const f of ["pulumi", ...LANGUAGE_HOSTS]) {
            if (!fs.existsSync(path.join(this.bin, f))) {
                throw new Error(`${path.join(this.bin, f)} is not built: run \`npm run build:engine\` (the Pulumi CLI ${pinnedVersion()})`);
            }
        }
        this.root = scratch;
        fs.rmSync(scratch, { recursive: true, force: true });
        this.pathDir = path.join(scratch, "path");
        fs.mkdirSync(this.pathDir, { recursive: true });
        fs.mkdirSync(path.join(scratch, "state"));
        fs.mkdirSync(path.join(scratch, "home"));
        this.providerLog = path.join(scratch, "providers.log");
        this.worldFile = path.join(scratch, "world.json");
        const provider = path.join(REPO, "bin/support/real-engine/provider.js");
        for (const pkg of PROVIDER_PACKAGES) {
            const file = path.join(this.pathDir, `pulumi-resource-${pkg}`);
            fs.writeFileSync(file, `#!/bin/sh\nexec "${process.execPath}" "${provider}" ${pkg} "$@"\n`, { mode: 0o755 });
        }
    }

    env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
        return {
            ...process.env,
            PATH: [this.pathDir, this.bin, path.dirname(process.execPath), process.env.PATH ?? ""].join(path.delimiter),
            PULUMI_HOME: path.join(this.root, "home"),
            PULUMI_BACKEND_URL: `file://${path.join(this.root, "state")}`,
            PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
            // The program's own type check is the check command's business (program-typecheck);
            // here it would only add seconds to every run.
            PULUMI_NODEJS_TRANSPILE_ONLY: "true",
            // `--event-log` exists only with debug commands (pkg/cmd/pulumi/operations/preview.go, up.go).
            PULUMI_DEBUG_COMMANDS: "true",
            STANDIN_PROVIDER_LOG: this.providerLog,
            STANDIN_PROVIDER_WORLD: this.worldFile,
            NO_COLOR: "1",
            ...extra,
        };
    }

    /** Runs `pulumi <args>` in `cwd`; never rejects on a non-zero exit. */
    run(args: string[], cwd: string, extra: Record<string, string> = {}): Promise<Run> {
        return new Promise((resolve, reject) => {
            const child = spawn(path.join(this.bin, "pulumi"), [...args, "--non-interactive"], { cwd, env: this.env(extra) });
            let stdout = "";
            let stderr = "";
            child.stdout.setEncoding("utf8").on("data", (d: string) => { stdout += d; });
            child.stderr.setEncoding("utf8").on("data", (d: string) => { stderr += d; });
            child.on("error", reject);
            child.on("close", code => resolve({ status: code ?? -1, stdout, stderr, command: `pulumi ${args.join(" ")}` }));
        });
    }

    /** Runs a command that must succeed. */
    async ok(args: string[], cwd: string, extra: Record<string, string> = {}): Promise<Run> {
        const r = await this.run(args, cwd, extra);
        if (r.status !== 0) {
            throw new Error(`${r.command} (in ${cwd}) exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
        }
        return r;
    }

    /** Runs an operation (`preview`, `up`, `policy analyze`…) with an event log, and reads it. */
    async operation(args: string[], cwd: string, extra: Record<string, string> = {}): Promise<Operation> {
        const log = path.join(this.root, `events-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
        const r = await this.run([...args, "--event-log", log], cwd, extra);
        const events: EngineEvent[] = fs.existsSync(log)
            ? fs.readFileSync(log, "utf8").split("\n").filter(l => l.trim() !== "").map(l => JSON.parse(l) as EngineEvent)
            : [];
        return {
            ...r,
            policyEvents: events.flatMap(e => (e.policyEvent ? [e.policyEvent] : [])),
        };
    }

    /**
     * Declares that the resources a recorded program adopts with `import` exist as it declares them
     * (a correct import), so that the stand-in providers read them so.
     */
    adopt(stack: RecordedStack): void {
        const world: Record<string, Record<string, unknown>> = fs.existsSync(this.worldFile)
            ? JSON.parse(fs.readFileSync(this.worldFile, "utf8")) as Record<string, Record<string, unknown>> : {};
        for (const r of stack.resources) {
            if (r.importId !== undefined) {
                world[`${r.type}::${r.importId}`] = r.inputs;
            }
        }
        fs.writeFileSync(this.worldFile, JSON.stringify(world));
    }

    /** Everything the stand-in providers were asked to create, update or delete so far. */
    providerCalls(): ProviderCall[] {
        return fs.existsSync(this.providerLog)
            ? fs.readFileSync(this.providerLog, "utf8").split("\n").filter(l => l !== "").map(l => JSON.parse(l) as ProviderCall)
            : [];
    }

    /**
     * A copy of a program in the scratch directory, with a new stack of that name on the file
     * backend, configured as the program's `configStack` (default `dev`). The copy sits inside the
     * repository so that it resolves the repository's installed SDKs, as the reference programs do.
     */
    async project(programDir: string, stack: string, name = path.basename(programDir), configStack = "dev"): Promise<Project> {
        const dir = path.join(this.root, "programs", name);
        fs.rmSync(dir, { recursive: true, force: true });
        fs.cpSync(programDir, dir, { recursive: true, filter: src => !src.includes(`${path.sep}node_modules`) });
        const config = path.join(programDir, `Pulumi.${configStack}.yaml`);
        if (stack !== configStack && fs.existsSync(config)) {
            fs.copyFileSync(config, path.join(dir, `Pulumi.${stack}.yaml`));
        }
        await this.ok(["stack", "init", stack, "--secrets-provider", "passphrase"], dir);
        return new Project(this, dir, stack);
    }
}

export class Project {
    constructor(readonly engine: RealEngine, readonly dir: string, readonly stack: string) {}

    preview(args: string[] = []): Promise<Operation> {
        return this.engine.operation(["preview", "--stack", this.stack, ...args], this.dir);
    }

    up(args: string[] = []): Promise<Operation> {
        return this.engine.operation(["up", "--yes", "--stack", this.stack, ...args], this.dir);
    }

    run(args: string[]): Promise<Run> {
        return this.engine.run([...args, "--stack", this.stack], this.dir);
    }
}
