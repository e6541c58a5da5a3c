// `npm run bench`: what the pack costs the engine, against an empty pack built with the same
// dependencies and measured in the same run. Prints a Markdown report (and writes
// docs/benchmarks.md with --write). BENCH_QUICK=1 runs a short version for development.
//
// - start-up: time from spawn to the port line, and peak RSS (VmHWM) at that point; median of N runs;
// - AnalyzeStack: synthetic stacks of 1 000, 10 000 and 50 000 resources, made of copies of the
//   isolated-environment reference program (workspaces with their networks, firewall, endpoints,
//   DNS and account resources) recorded under mocks, with names, URNs, ARM IDs and Databricks IDs
//   renamed per copy; the request is encoded before the clock starts. Measured twice: on a warm
//   pack answering every size in turn, and on a fresh pack per call (as a preview meets it);
// - scale: a fresh pack per size from 2 500 to 50 000 resources, four calls, the median of the last
//   three; cost per resource, ratio to the empty pack, peak RSS;
// - Analyze: round-trip latency per resource, p50 and p99;
// - the check command on stack exports of 10 000 and 100 000 resources;
// - diagnostic bytes per resource at two sizes ten times apart (support/diagnostic-bytes.ts).

import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { encodedAnalyzeStackRequest, PackProcess } from "../support/engine";
import { TIMING_PREFIX, TIMINGS_ENV } from "../policies/core/engine/hooks";
import { RecordedResource } from "../support/program";
import { tierConfig } from "../support/engine";
import { stackExport } from "../support/documents";
import { diagnosticBytesGrowth } from "../support/diagnostic-bytes";
import { recordTemplate, renamedCopies, runCheckCommand } from "../support/stack-copies";

const QUICK = process.env.BENCH_QUICK === "1";
const RUNS = QUICK ? 1 : 5;
const SIZES = QUICK ? [1_000] : [1_000, 2_000, 10_000, 50_000];
/** The scale table: cost per resource from 2 500 to 50 000 resources. */
const SCALE_SIZES = QUICK ? [2_500, 10_000] : [2_500, 5_000, 10_000, 20_000, 50_000];
/** Measured calls per pack in the scale table. */
const SCALE_CALLS = QUICK ? 3 : 5;
/**
 * Fresh packs per size in the scale table, this pack and the empty one taking turns: the medians are
 * of every measured call of them all, so that one call a full collection lands in moves them little.
 */
const SCALE_PACKS = QUICK ? 1 : 2;
/**
 * Resources a fresh pack of the scale table reads before its calls are measured: one call, or as
 * many as reach this count, so that small stacks are not measured while the JIT still compiles.
 */
const SCALE_WARMUP_RESOURCES = 20_000;
/** Fresh packs per size in the fresh-pack table. */
const COLD_RUNS = QUICK ? 1 : 3;
/** Stack exports the check command reads. */
const CHECK_SIZES = QUICK ? [2_000, 10_000] : [10_000, 100_000];
/** A call slower than this stops the pack: larger stacks are not run. */
const CALL_LIMIT_MS = QUICK ? 30_000 : 120_000;
const LATENCY_CALLS = QUICK ? 200 : 2_000;
/** AnalyzeStack calls per size (the median is reported). */
const STACK_CALLS = QUICK ? 1 : 5;
const REPO = path.resolve(__dirname, "..", "..");

function log(s: string): void {
    process.stderr.write(`${s}\n`);
}

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function percentile(xs: number[], p: number): number {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

/** Peak resident set size of a process, in MB (Linux). */
function peakRssMb(pid: number): number {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(status);
    return m ? Number(m[1]) / 1024 : NaN;
}

/** CPU time (user and system, every thread) a process has used, in ms (Linux, 100 ticks a second). */
function cpuMs(pid: number): number {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** An empty pack (one policy that never reports) using this repository's node_modules. */
function emptyPackDir(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "empty-pack-"));
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir");
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "empty-pack", version: "0.0.0", main: "index.js" }));
    fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\n");
    fs.writeFileSync(path.join(dir, "index.js"), [
        "const { PolicyPack } = require(\"@pulumi/policy\");",
        "new PolicyPack(\"empty\", { policies: [{ name: \"noop\", description: \"never reports\", enforcementLevel: \"advisory\",",
        "    validateStack: () => undefined }] });",
        "",
    ].join("\n"));
    return dir;
}

interface Started { pack: PackProcess; ms: number; rssMb: number }

async function start(dir: string): Promise<Started> {
    const t0 = process.hrtime.bigint();
    // The pack reports its own AnalyzeStack time on stderr (the empty pack ignores the variable).
    const pack = await PackProcess.start(dir, { [TIMINGS_ENV]: "1" });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    return { pack, ms, rssMb: peakRssMb(pack.pid) };
}

async function startups(dir: string): Promise<{ ms: number; rssMb: number }> {
    const ms: number[] = [];
    const rss: number[] = [];
    for (let i = 0; i < RUNS; i++) {
        const s = await start(dir);
        ms.push(s.ms);
        rss.push(s.rssMb);
        await s.pack.stop();
    }
    return { ms: median(ms), rssMb: median(rss) };
}

async function configure(pack: PackProcess): Promise<void> {
    await pack.configureStack({ dryRun: false });
    const info = await pack.info();
    const names = info.policies.map(p => p.name);
    await pack.configure(tierConfig("isolated-environment", {
        "account-ip-access-lists": { attestations: [{ reason: "account console IP access lists set by the platform team" }] },
    }, names), info);
}

/** The pack's own time for its last AnalyzeStack, from its stderr (NaN for the empty pack). */
function ownMs(pack: PackProcess): number {
    const lines = pack.stderr.join("").split("\n").filter(l => l.startsWith(TIMING_PREFIX));
    const m = /in ([\d.]+) ms/.exec(lines[lines.length - 1] ?? "");
    return m ? Number(m[1]) : NaN;
}

interface WarmPoint { ms: number; ownMs: number; diagnostics: number }

/**
 * STACK_CALLS AnalyzeStack calls of one request on a pack; undefined when a call exceeds
 * CALL_LIMIT_MS. The request is encoded before the clock starts: the engine encodes its request
 * itself (in Go); what is timed is what the pack adds to the engine's wait.
 */
async function analyzeStackMs(pack: PackProcess, bytes: Uint8Array): Promise<WarmPoint | undefined> {
    const times: number[] = [];
    const own: number[] = [];
    let diagnostics = 0;
    for (let i = 0; i < STACK_CALLS; i++) {
        const t0 = process.hrtime.bigint();
        let timer: NodeJS.Timeout | undefined;
        const limit = new Promise<undefined>(resolve => { timer = setTimeout(() => resolve(undefined), CALL_LIMIT_MS); });
        const res = await Promise.race([pack.sendAnalyzeStackBytes(bytes), limit]);
        clearTimeout(timer);
        if (!res) {
            return undefined;
        }
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
        own.push(ownMs(pack));
        diagnostics = res.diagnostics.length;
    }
    return { ms: median(times), ownMs: median(own), diagnostics };
}

/**
 * AnalyzeStack as a preview meets it: the engine starts the pack, configures it and calls
 * AnalyzeStack once. A fresh pack per call; medians over `runs` packs.
 */
async function coldAnalyzeStack(dir: string, resources: RecordedResource[], runs: number, configurePack: (p: PackProcess) => Promise<void>):
    Promise<{ ms: number; ownMs: number }> {
    const bytes = encodedAnalyzeStackRequest(resources);
    const times: number[] = [];
    const own: number[] = [];
    for (let i = 0; i < runs; i++) {
        const { pack } = await start(dir);
        try {
            await configurePack(pack);
            const t0 = process.hrtime.bigint();
            await pack.sendAnalyzeStackBytes(bytes);
            times.push(Number(process.hrtime.bigint() - t0) / 1e6);
            own.push(ownMs(pack));
        } finally {
            await pack.stop();
        }
    }
    return { ms: median(times), ownMs: median(own) };
}

interface ScalePoint { ms: number; ownMs: number; cpuMs: number; rssMb: number; startRssMb: number }

interface ScaleRun { times: number[]; own: number[]; cpuMs: number; rssMb: number; startRssMb: number }

/**
 * The packs of the warm and scale tables are each driven by a client process of its own (this
 * script with one of these flags), so that nothing the benchmark has built before (its heap, its
 * collector) shares the machine with the measured calls: the process does only that pack's calls.
 */
const SCALE_RUN_FLAG = "--scale-run";
const WARM_RUN_FLAG = "--warm-run";

/** This script run with `flag` and `args`; what it prints, as JSON. */
function inChild<T>(flag: string, args: string[]): T {
    const run = spawnSync(process.execPath, [__filename, flag, ...args], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
    if (run.status !== 0) {
        throw new Error(`${flag} ${args.join(" ")} failed: ${run.stderr}`);
    }
    return JSON.parse(run.stdout) as T;
}

/** The warm table's calls of one pack (this pack or the empty one), all sizes in turn. */
interface WarmRun { points: (WarmPoint | null)[]; peakMb: number }

/** One pack answers every size in turn; after a call over the limit, larger sizes are not run. */
async function warmRunChild(args: string[]): Promise<void> {
    const [dir, kind, ...files] = args;
    const { pack } = await start(dir);
    const points: (WarmPoint | null)[] = [];
    let peakMb = NaN;
    try {
        await (kind === "pack" ? configure(pack) : configureEmpty(pack));
        for (const file of files) {
            const point = points.includes(null) ? undefined : await analyzeStackMs(pack, fs.readFileSync(file));
            points.push(point ?? null);
            peakMb = peakRssMb(pack.pid);
        }
    } finally {
        await pack.stop();
    }
    process.stdout.write(JSON.stringify({ points, peakMb }));
}

async function scaleRunChild(args: string[]): Promise<void> {
    const [dir, requestFile, size, kind] = args;
    const bytes = fs.readFileSync(requestFile);
    const r = await scaleRun(dir, bytes, Number(size), kind === "pack" ? configure : configureEmpty);
    process.stdout.write(JSON.stringify(r));
}

/**
 * One fresh pack of the scale table: configured, it answers the same request (warm-up calls, then
 * SCALE_CALLS measured); the measured calls' times, its CPU time per measured call and its peak RSS.
 */
async function scaleRun(dir: string, bytes: Uint8Array, size: number, configurePack: (p: PackProcess) => Promise<void>): Promise<ScaleRun> {
    const { pack, rssMb: startRssMb } = await start(dir);
    try {
        await configurePack(pack);
        const warmups = Math.max(1, Math.ceil(SCALE_WARMUP_RESOURCES / size));
        const times: number[] = [];
        const own: number[] = [];
        let cpu0 = 0;
        for (let i = 0; i < warmups + SCALE_CALLS; i++) {
            if (i === warmups) {
                cpu0 = cpuMs(pack.pid);
            }
            const t0 = process.hrtime.bigint();
            await pack.sendAnalyzeStackBytes(bytes);
            if (i >= warmups) {
                times.push(Number(process.hrtime.bigint() - t0) / 1e6);
                own.push(ownMs(pack));
            }
        }
        // CPU time is the mean over the measured calls (clock ticks are 10 ms); unlike the wall
        // time it does not include waiting for a core on a shared machine.
        return { times, own, cpuMs: (cpuMs(pack.pid) - cpu0) / SCALE_CALLS, rssMb: peakRssMb(pack.pid), startRssMb };
    } finally {
        await pack.stop();
    }
}

/**
 * The encoded request of `size` resources, written to a file in `dir` for a client process, and
 * its workspace count (the resources themselves are not kept).
 */
function requestFile(template: RecordedResource[], size: number, dir: string, name: string): { file: string; workspaces: number } {
    const resources = renamedCopies(template, size);
    const file = path.join(dir, `${name}-${size}.bin`);
    fs.writeFileSync(file, encodedAnalyzeStackRequest(resources));
    return { file, workspaces: resources.filter(r => r.type.endsWith("databricks:Workspace")).length };
}

/** The runs of one size as one point: medians of every measured call, mean CPU, the largest peak RSS. */
function scalePoint(runs: ScaleRun[]): ScalePoint {
    const largest = runs.reduce((a, b) => (b.rssMb > a.rssMb ? b : a));
    return {
        ms: median(runs.flatMap(r => r.times)),
        ownMs: median(runs.flatMap(r => r.own)),
        cpuMs: runs.reduce((n, r) => n + r.cpuMs, 0) / runs.length,
        rssMb: largest.rssMb,
        startRssMb: largest.startRssMb,
    };
}

async function configureEmpty(pack: PackProcess): Promise<void> {
    await pack.configureStack({ dryRun: false });
    await pack.configure({});
}

async function latencies(pack: PackProcess, resources: RecordedResource[]): Promise<{ p50: number; p99: number }> {
    const custom = resources.filter(r => r.custom);
    for (const r of custom.slice(0, 20)) {
        await pack.analyze(r, resources);
    }
    const times: number[] = [];
    for (let i = 0; i < LATENCY_CALLS; i++) {
        const r = custom[i % custom.length];
        const t0 = process.hrtime.bigint();
        await pack.analyze(r, resources);
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/**
 * The check command on a `pulumi stack export` of `size` resources: wall time and the command's own
 * peak RSS (process.resourceUsage().maxRSS, reported by a wrapper).
 */
function checkCommandOnFile(template: RecordedResource[], size: number): { sizeMb: number; resources: number; ms: number; rssMb: number; status: number | null } {
    const resources = renamedCopies(template, size);
    const file = path.join(os.tmpdir(), `dbx-bench-export-${process.pid}.json`);
    fs.writeFileSync(file, JSON.stringify(stackExport({ resources, preview: false })));
    try {
        const sizeMb = fs.statSync(file).size / (1024 * 1024);
        const run = runCheckCommand([file, "--tier", "isolated-environment", "--format", "json", "--output", `${file}.report`]);
        return { sizeMb, resources: resources.length, ms: run.ms, rssMb: run.rssMb, status: run.status };
    } finally {
        fs.rmSync(file, { force: true });
        fs.rmSync(`${file}.report`, { force: true });
    }
}

function machine(): string {
    const cpu = os.cpus()[0]?.model ?? "unknown CPU";
    return `${os.cpus().length} CPUs (nproc ${execFileSync("nproc").toString().trim()}, ${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory, Node.js ${process.version}, ${os.platform()} ${os.release()}`;
}

const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);
const ok = (b: boolean) => (b ? "met" : "**missed**");

async function main(): Promise<void> {
    const emptyDir = emptyPackDir();
    try {
        log(`start-up: ${RUNS} runs each`);
        const packStart = await startups(REPO);
        const emptyStart = await startups(emptyDir);

        log("recording the isolated-environment program");
        const stack = await recordTemplate();
        const template = stack.resources;

        // Each pack is driven by a client process of its own (as in the scale table below).
        const requests = SIZES.map(size => requestFile(template, size, emptyDir, "warm"));
        const files = requests.map(q => q.file);
        log(`AnalyzeStack on a warm pack: ${SIZES.join(", ")} resources`);
        const emptyRun = inChild<WarmRun>(WARM_RUN_FLAG, [emptyDir, "empty", ...files]);
        const packRun = inChild<WarmRun>(WARM_RUN_FLAG, [REPO, "pack", ...files]);
        files.forEach(f => fs.rmSync(f));
        const rows: string[] = [];
        const byMs = new Map<number, number>();
        const ownBy = new Map<number, number>();
        const emptyBy = new Map<number, number>();
        const packPeakMb = packRun.peakMb;
        const stopped = packRun.points.includes(null);
        SIZES.forEach((size, i) => {
            const workspaces = requests[i].workspaces;
            const base = emptyRun.points[i];
            if (base) {
                emptyBy.set(size, base.ms);
            }
            const mine = packRun.points[i];
            if (!mine) {
                const first = packRun.points.indexOf(null) === i;
                rows.push(`| ${size.toLocaleString("en")} | ${workspaces} | ${first ? `> ${CALL_LIMIT_MS} (stopped)` : `not run (a smaller stack exceeded ${CALL_LIMIT_MS / 1000} s)`} | – | ${base ? f1(base.ms) : "–"} | – |`);
                return;
            }
            byMs.set(size, mine.ms);
            ownBy.set(size, mine.ownMs);
            rows.push(`| ${size.toLocaleString("en")} | ${workspaces} | ${f1(mine.ms)} | ${f1(mine.ownMs)} | ${base ? f1(base.ms) : "–"} | ${mine.diagnostics} |`);
        });

        // As a preview meets it: a fresh pack per call (not run when a warm call already exceeded the limit).
        const coldRows: string[] = [];
        const coldBy = new Map<number, number>();
        const coldOwnBy = new Map<number, number>();
        const coldEmptyBy = new Map<number, number>();
        for (const size of stopped ? [] : SIZES) {
            log(`AnalyzeStack on fresh packs: ${size} resources`);
            const resources = renamedCopies(template, size);
            const mine = await coldAnalyzeStack(REPO, resources, COLD_RUNS, configure);
            const base = await coldAnalyzeStack(emptyDir, resources, COLD_RUNS, configureEmpty);
            coldBy.set(size, mine.ms);
            coldOwnBy.set(size, mine.ownMs);
            coldEmptyBy.set(size, base.ms);
            coldRows.push(`| ${size.toLocaleString("en")} | ${f1(mine.ms)} | ${f1(mine.ownMs)} | ${f1(base.ms)} |`);
        }

        log("Analyze latency");
        const latencyPack = (await start(REPO)).pack;
        await configure(latencyPack);
        const lat = await latencies(latencyPack, template);
        await latencyPack.stop();
        const latencyEmpty = (await start(emptyDir)).pack;
        await configureEmpty(latencyEmpty);
        const latEmpty = await latencies(latencyEmpty, template);
        // No other pack is alive while the scale table runs.
        await latencyEmpty.stop();

        // Cost per resource with the stack's size: a fresh pack per size, as a preview meets it.
        const scale: { size: number; workspaces: number; mine: ScalePoint; base: ScalePoint }[] = [];
        // The machine's load, which wall-clock figures depend on (the CPU column does not).
        const scaleLoad = [os.loadavg()[0]];
        for (const size of SCALE_SIZES) {
            log(`scale: ${size} resources`);
            const { file, workspaces } = requestFile(template, size, emptyDir, "scale");
            const mine: ScaleRun[] = [];
            const base: ScaleRun[] = [];
            for (let i = 0; i < SCALE_PACKS; i++) {
                mine.push(inChild<ScaleRun>(SCALE_RUN_FLAG, [REPO, file, String(size), "pack"]));
                base.push(inChild<ScaleRun>(SCALE_RUN_FLAG, [emptyDir, file, String(size), "empty"]));
            }
            fs.rmSync(file);
            scale.push({ size, workspaces, mine: scalePoint(mine), base: scalePoint(base) });
        }
        scaleLoad.push(os.loadavg()[0]);

        const clis = CHECK_SIZES.map(size => {
            log(`check command on a stack export of ${size} resources`);
            return checkCommandOnFile(template, size);
        });


        const startRatio = packStart.ms / emptyStart.ms;
        const r50 = byMs.has(50_000) && byMs.has(10_000) ? (byMs.get(50_000) as number) / (byMs.get(10_000) as number) : NaN;
        const r2 = byMs.has(2_000) && byMs.has(1_000) ? (byMs.get(2_000) as number) / (byMs.get(1_000) as number) : NaN;
        const r10 = byMs.has(10_000) && byMs.has(1_000) ? (byMs.get(10_000) as number) / (byMs.get(1_000) as number) : NaN;
        const tenK = byMs.get(10_000) ?? NaN;
        const ratio = (m: Map<number, number>, a: number, b: number) => (m.get(a) ?? NaN) / (m.get(b) ?? NaN);
        const own50 = ratio(ownBy, 50_000, 10_000);
        const empty50 = ratio(emptyBy, 50_000, 10_000);
        const cold50 = ratio(coldBy, 50_000, 10_000);
        const coldOwn50 = ratio(coldOwnBy, 50_000, 10_000);
        const coldEmpty50 = ratio(coldEmptyBy, 50_000, 10_000);
        const coldTenK = coldBy.get(10_000) ?? NaN;
        const perRes = (ms: number, size: number) => (ms * 1000) / size;
        const spreadOf = (xs: number[]) => Math.max(...xs) / Math.min(...xs);
        const spread = spreadOf(scale.map(p => perRes(p.mine.ms, p.size)));
        const ownSpread = spreadOf(scale.map(p => perRes(p.mine.ownMs, p.size)));
        const baseSpread = spreadOf(scale.map(p => perRes(p.base.ms, p.size)));
        const cpuSpread = spreadOf(scale.map(p => perRes(p.mine.cpuMs, p.size)));
        const baseCpuSpread = spreadOf(scale.map(p => perRes(p.base.cpuMs, p.size)));
        const worstRatio = Math.max(...scale.map(p => p.mine.ms / p.base.ms));
        const rssAbove = (p: ScalePoint, size: number) => (p.rssMb - p.startRssMb) / size;
        const lastScale = scale[scale.length - 1];
        const rssSpread = rssAbove(lastScale.mine, lastScale.size) / rssAbove(scale[0].mine, scale[0].size);
        const cliTime = clis[1].ms / clis[0].ms;
        const cliRss = clis[1].rssMb / clis[0].rssMb;
        const linear = (label: string, r: number, extra = "") =>
            `| 50 000 / 10 000 resources at most 5.5×: ${label} | ${Number.isNaN(r) ? "not measured" : `${f2(r)}×${extra}`} | ${Number.isNaN(r) ? (stopped ? "**missed**" : "not measured") : ok(r <= 5.5)} |`;
        log("diagnostic bytes per resource");
        const growth = await diagnosticBytesGrowth(QUICK ? 200 : 1_000);
        const report = [
            "# Benchmarks",
            "",
            "Produced by `npm run bench` (`scripts/bench.ts`): the compiled pack, started exactly as the engine starts it",
            "(`run-policy-pack`, cwd = pack directory), against an empty pack (one no-op policy) using the same `node_modules`,",
            "measured in the same run. Times are wall-clock milliseconds on the client side of the gRPC call.",
            "",
            `Machine: ${machine()}. Run at ${new Date().toISOString()}${QUICK ? " (BENCH_QUICK: short run)" : ""}.`,
            "",
            `## Start-up (median of ${RUNS} runs)`,
            "",
            "| | time to the port line (ms) | peak RSS at the port line (MB) |",
            "|---|---|---|",
            `| this pack | ${f1(packStart.ms)} | ${f1(packStart.rssMb)} |`,
            `| empty pack | ${f1(emptyStart.ms)} | ${f1(emptyStart.rssMb)} |`,
            `| ratio | ${f2(startRatio)} | ${f2(packStart.rssMb / emptyStart.rssMb)} |`,
            "",
            "## AnalyzeStack on a warm pack (isolated-environment tier: every feature evaluated)",
            "",
            `Synthetic stacks: copies of the isolated-environment reference program (${template.length} resources each, recorded`,
            `in update mode), renamed per copy. One pack answers every size in turn (1 000 first), ${STACK_CALLS} calls each, driven by a client process of its own; medians.`,
            "*Round trip*: the gRPC call as the engine waits for it, from the encoded request to the decoded answer (transfer,",
            "the pack's decoding, its work and its answer). The request is encoded before the clock starts, as the engine",
            "encodes its own request (in Go) whichever pack it calls.",
            "*Own work*: what the pack reports it spends from the request's bytes to the encoded response (reading the",
            `resources, building the stack model, evaluating every feature), logged when ${TIMINGS_ENV} is set.`,
            "",
            "| resources | workspaces | this pack, round trip (ms) | this pack, own work (ms) | empty pack, round trip (ms) | diagnostics |",
            "|---|---|---|---|---|---|",
            ...rows,
            "",
            `Round-trip ratios: 2 000 / 1 000 = ${f2(r2)}; 10 000 / 1 000 = ${f2(r10)}; 50 000 / 10 000 = ${f2(r50)} (empty pack: ${f2(empty50)}).`,
            `Own-work ratio 50 000 / 10 000 = ${f2(own50)}. Peak RSS of the pack after the largest stack it analyzed: ${f1(packPeakMb)} MB.`,
            "",
            `## AnalyzeStack as a preview meets it (a fresh pack per call, median of ${COLD_RUNS} packs)`,
            "",
            "The engine starts a policy pack for a preview (or an update), configures it and calls `AnalyzeStack`: this is",
            "that call, on a pack that has answered nothing before (its code not yet optimized by the JIT, its heap empty).",
            "Same stacks, same timing as above.",
            "",
            "| resources | this pack, round trip (ms) | this pack, own work (ms) | empty pack, round trip (ms) |",
            "|---|---|---|---|",
            ...coldRows,
            "",
            `Ratios 50 000 / 10 000: round trip ${f2(cold50)} (empty pack ${f2(coldEmpty50)}); own work ${f2(coldOwn50)}.`,
            "",
            `## Cost per resource from ${SCALE_SIZES[0].toLocaleString("en")} to ${SCALE_SIZES[SCALE_SIZES.length - 1].toLocaleString("en")} resources (a fresh pack per size)`,
            "",
            `Same stacks. For each size ${SCALE_PACKS === 1 ? "a fresh pack (and a fresh empty pack) is" : `${SCALE_PACKS} fresh packs (and as many fresh empty packs, taking turns) are each`} configured and answer${SCALE_PACKS === 1 ? "s" : ""} the same request, each driven by a client process of its own: first`,
            `once, or as often as it takes to read ${SCALE_WARMUP_RESOURCES.toLocaleString("en")} resources (the JIT compiles the code meanwhile), then ${SCALE_CALLS} times, measured;`,
            "the figures are medians of all the measured calls. *CPU*: the process's CPU time per measured call (all threads, the",
            "request's reception included; mean of the measured calls), which waiting for a core does not inflate. *µs / resource*: the round trip",
            "divided by the resources; *ratio*: this pack's round trip over the empty pack's. *Peak RSS*: VmHWM of the pack after",
            "its last call (the largest of its packs); *above start-up*: the same less its VmHWM at the port line, per 1 000 resources.",
            "",
            "| resources | workspaces | this pack, round trip (ms) | µs / resource | own work (ms) | CPU µs / resource | empty pack (ms) | µs / resource | CPU µs / resource | ratio | CPU ratio | peak RSS (MB) | MB / 1 000 above start-up | empty pack peak RSS (MB) |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
            ...scale.map(p => `| ${p.size.toLocaleString("en")} | ${p.workspaces} | ${f1(p.mine.ms)} | ${f1(perRes(p.mine.ms, p.size))} | ${f1(p.mine.ownMs)} | ${f1(perRes(p.mine.cpuMs, p.size))} | ${f1(p.base.ms)} | ${f1(perRes(p.base.ms, p.size))} | ${f1(perRes(p.base.cpuMs, p.size))} | ${f2(p.mine.ms / p.base.ms)} | ${f2(p.mine.cpuMs / p.base.cpuMs)} | ${f1(p.mine.rssMb)} | ${f2(((p.mine.rssMb - p.mine.startRssMb) * 1000) / p.size)} | ${f1(p.base.rssMb)} |`),
            "",
            `Load average (1 minute) at the start and the end of this table: ${scaleLoad.map(f2).join(" and ")}.`,
            "",
            `This pack's µs / resource, largest over smallest across sizes: ${f2(spread)} (round trip), ${f2(ownSpread)} (own work), ${f2(cpuSpread)} (CPU); the empty pack's: ${f2(baseSpread)} (round trip), ${f2(baseCpuSpread)} (CPU).`,
            "",
            `## Analyze round trip per resource (${LATENCY_CALLS} calls over the program's resources)`,
            "",
            "| | p50 (ms) | p99 (ms) |",
            "|---|---|---|",
            `| this pack | ${f2(lat.p50)} | ${f2(lat.p99)} |`,
            `| empty pack | ${f2(latEmpty.p50)} | ${f2(latEmpty.p99)} |`,
            "",
            `## databricks-network-check on \`pulumi stack export\` files`,
            "",
            "Copies of the same program, `--format json`, tier isolated-environment; the command's wall time (start-up included) and peak RSS.",
            "",
            "| resources | file (MB) | wall time (ms) | µs / resource | peak RSS (MB) | exit status |",
            "|---|---|---|---|---|---|",
            ...clis.map(c => `| ${c.resources.toLocaleString("en")} | ${f1(c.sizeMb)} | ${f1(c.ms)} | ${f1((c.ms * 1000) / c.resources)} | ${f1(c.rssMb)} | ${c.status} |`),
            "",
            `Ratios ${CHECK_SIZES[1].toLocaleString("en")} / ${CHECK_SIZES[0].toLocaleString("en")} resources (×${CHECK_SIZES[1] / CHECK_SIZES[0]}): wall time ${f2(cliTime)}, peak RSS ${f2(cliRss)}.`,
            `For comparison, the pack's peak RSS after the largest AnalyzeStack of the warm table: ${f1(packPeakMb)} MB.`,
            "",
            "## Targets",
            "",
            "| target | measured | |",
            "|---|---|---|",
            `| start-up within 1.2× of the empty pack | ${f2(startRatio)}× | ${ok(startRatio <= 1.2)} |`,
            `| µs / resource within 15 % from ${SCALE_SIZES[0].toLocaleString("en")} to ${SCALE_SIZES[SCALE_SIZES.length - 1].toLocaleString("en")} resources (round trip, fresh pack, largest / smallest) | ${f2(spread)} | ${ok(spread <= 1.15)} |`,
            `| CPU µs / resource within 15 % from ${SCALE_SIZES[0].toLocaleString("en")} to ${SCALE_SIZES[SCALE_SIZES.length - 1].toLocaleString("en")} resources (fresh pack, largest / smallest) | ${f2(cpuSpread)} | ${ok(cpuSpread <= 1.15)} |`,
            `| at every size at most the empty pack's cost (round trip) | largest ratio ${f2(worstRatio)} | ${ok(worstRatio <= 1)} |`,
            `| peak RSS above start-up linear (MB / 1 000 resources, largest / smallest size) | ${f2(rssSpread)} | ${ok(rssSpread <= 1.15)} |`,
            `| check command linear, ${CHECK_SIZES[1].toLocaleString("en")} / ${CHECK_SIZES[0].toLocaleString("en")} resources: wall time and peak RSS at most ×${CHECK_SIZES[1] / CHECK_SIZES[0]} | ${f2(cliTime)}× / ${f2(cliRss)}× | ${ok(cliTime <= CHECK_SIZES[1] / CHECK_SIZES[0] && cliRss <= CHECK_SIZES[1] / CHECK_SIZES[0])} |`,
            linear("a fresh pack per call (as a preview runs it), the round trip", cold50, ` (empty pack ${f2(coldEmpty50)}×)`),
            linear("a fresh pack per call, the pack's own work", coldOwn50),
            linear("a warm pack answering repeated calls, the round trip", r50, ` (empty pack ${f2(empty50)}×)`),
            linear("a warm pack answering repeated calls, the pack's own work", own50),
            `| diagnostic bytes per resource at ${growth.small.resources} and ${growth.large.resources} resources (endpoints to a workspace of another stack) within 1.2× | ${f1(growth.small.bytesPerResource)} / ${f1(growth.large.bytesPerResource)} bytes (${f2(growth.ratio)}×) | ${ok(growth.ratio <= 1.2)} |`,
            `| 10 000 resources analyzed in under 2 s (round trip, fresh pack / warm pack) | ${Number.isNaN(tenK) ? (stopped ? `> ${CALL_LIMIT_MS} ms` : "–") : `${f1(coldTenK)} ms / ${f1(tenK)} ms`} | ${Number.isNaN(tenK) ? (stopped ? "**missed**" : "not measured") : ok(Math.max(tenK, coldTenK) < 2000)} |`,
            "",
        ].join("\n");
        process.stdout.write(report);
        if (process.argv.includes("--write")) {
            // The hand-written analysis below the figures is kept across runs.
            const file = path.join(REPO, "docs", "benchmarks.md");
            const previous = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
            const at = previous.indexOf("\n## Analysis");
            fs.writeFileSync(file, at >= 0 ? report + previous.slice(at) : report);
            log("wrote docs/benchmarks.md");
        }
    } finally {
        fs.rmSync(emptyDir, { recursive: true, force: true });
    }
}

(process.argv[2] === SCALE_RUN_FLAG ? scaleRunChild(process.argv.slice(3))
    : process.argv[2] === WARM_RUN_FLAG ? warmRunChild(process.argv.slice(3)) : main()).catch(e => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
});
