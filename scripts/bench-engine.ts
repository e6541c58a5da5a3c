// `npm run bench:engine`: what the pack costs a user's `pulumi preview`, in the real Pulumi CLI (the
// pinned build of `npm run build:engine`, stand-in providers). A generated program of copies of the
// isolated-environment reference program (each copy a workspace with its network, firewall,
// endpoints, DNS and account resources) at about 100, 1 000 and 3 000 resources is previewed without
// the pack and with it (`--policy-pack . --policy-pack-config configs/isolated-environment.json`), in
// turn, several times; the report gives the median wall time of each, their ratio pair by pair, and
// the pack's share of a preview.
//
//   npm run bench:engine [-- <runs> [<size> …]]      (default 3 runs of 100, 1 000 and 3 000)

import * as fs from "fs";
import * as path from "path";
import { RealEngine, REPO } from "../support/real-engine/cli";
import { SERVICE_DIRECT_PLS } from "../support/reference";

const PER_COPY = 49;

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** A program of `copies` copies of the reference program, in JavaScript (nothing to compile). */
function writeProgram(dir: string, copies: number): void {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: bench\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n`);
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "bench", main: "index.js" }));
    fs.writeFileSync(path.join(dir, "index.js"), [
        `const { deploy } = require(${JSON.stringify(path.join(REPO, "bin/examples/isolated-environment/deploy.js"))});`,
        `for (let i = 0; i < ${copies}; i++) {`,
        `    deploy({ prefix: "b" + i, location: "westeurope", databricksAccountId: "11111111-2222-3333-4444-555555555555",`,
        `        allowedIpRanges: ["203.0.113.0/24"], serviceDirectPrivateLinkServiceId: ${JSON.stringify(SERVICE_DIRECT_PLS)},`,
        `        sharingRecipients: [{ name: "partner", allowedIpRanges: ["192.0.2.0/24"] }] });`,
        `}`,
        "",
    ].join("\n"));
}

async function main(): Promise<void> {
    const [runsArg, ...sizeArgs] = process.argv.slice(2);
    const runs = Number(runsArg ?? 3);
    const sizes = sizeArgs.length > 0 ? sizeArgs.map(Number) : [100, 1_000, 3_000];
    const engine = new RealEngine(path.join(REPO, "bin/real-engine/bench"));
    const pack = ["--policy-pack", REPO, "--policy-pack-config", path.join(REPO, "configs/isolated-environment.json")];
    const rows: string[] = [];
    for (const size of sizes) {
        const copies = Math.max(1, Math.round(size / PER_COPY));
        const dir = path.join(engine.root, `program-${size}`);
        writeProgram(dir, copies);
        const stack = `s${size}`;
        await engine.ok(["stack", "init", stack, "--secrets-provider", "passphrase"], dir);
        const time = async (extra: string[]) => {
            const t0 = process.hrtime.bigint();
            const r = await engine.run(["preview", "--stack", stack, ...extra], dir);
            const s = Number(process.hrtime.bigint() - t0) / 1e9;
            // With the pack a preview fails where a mandatory policy does; the program itself must not.
            if (r.status !== 0 && extra.length === 0) {
                throw new Error(`the preview of ${size} resources failed:\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
            }
            return s;
        };
        await time([]); // warm-up: plugins, the file cache
        const without: number[] = [];
        const withPack: number[] = [];
        for (let i = 0; i < runs; i++) {
            without.push(await time([]));
            withPack.push(await time(pack));
            process.stderr.write(`${size}: run ${i + 1}/${runs}: ${without[i].toFixed(1)} s without, ${withPack[i].toFixed(1)} s with the pack\n`);
        }
        const ratios = withPack.map((w, i) => w / without[i]);
        const [a, b] = [median(without), median(withPack)];
        rows.push(`| ${copies * PER_COPY} | ${a.toFixed(1)} s | ${b.toFixed(1)} s | ${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) | ${(b - a).toFixed(1)} s (${(100 * (b - a) / b).toFixed(0)}%) |`);
    }
    process.stdout.write([
        `Real \`pulumi preview\` (Pulumi CLI, stand-in providers), median of ${runs} runs each, in turn:`,
        "",
        "| resources | without the pack | with the pack | ratio (min–max) | the pack's share |",
        "|---|---|---|---|---|",
        ...rows,
        "",
    ].join("\n"));
}

main().catch((e: unknown) => {
    process.stderr.write(`bench-engine: ${(e as Error).message}\n`);
    process.exit(1);
});
