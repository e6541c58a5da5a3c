// `node bin/scripts/duplicate-ids.js [MB…]`: the check command on `pulumi stack export` files in
// which many resources share ARM IDs (the same resources imported again, aliased or replaced),
// at the given sizes (default 15 and 150 MB). Each copy of the isolated-environment reference
// program gets its own URNs, and keeps the IDs, names and properties of the first. Prints, per
// size, the file's size, its resource count, the command's wall time and CPU time (user +
// system: steadier than wall time on a shared machine), its peak RSS and the verdict counts.
// With --distinct the copies get their own IDs too, for comparison.

import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RecordedResource, runProgram } from "../test/harness/program";
import { stackExport } from "../test/harness/documents";
import { deploy } from "../examples/isolated-environment/deploy";
import { SERVICE_DIRECT_PLS } from "../test/e2e/programs";

const REPO = path.resolve(__dirname, "..", "..");
const PREFIX = "zq7";

/** Copies of `template` up to `size` resources: URNs renamed per copy, everything else (IDs) shared unless `distinct`. */
export function copies(template: RecordedResource[], size: number, distinct = false): RecordedResource[] {
    const own = new Set(template.filter(r => r.urn.includes(PREFIX)).map(r => r.urn));
    const out: RecordedResource[] = template.filter(r => !own.has(r.urn));
    const json = JSON.stringify(template.filter(r => own.has(r.urn)));
    // Databricks-side numeric identities (workspace IDs, NCC IDs), renamed in distinct copies.
    const numbers = [...new Set(json.match(/\b1\d{12}\b/g) ?? [])];
    for (let i = 0; out.length < size; i++) {
        if (distinct) {
            let copy = json.split(PREFIX).join(`w${i}x`);
            numbers.forEach((n, k) => { copy = copy.split(n).join(String(2_000_000_000_000 + i * 100 + k)); });
            out.push(...(JSON.parse(copy) as RecordedResource[]));
            continue;
        }
        const rename = (u: string) => (own.has(u) ? u.split(PREFIX).join(`w${i}x`) : u);
        for (const r of JSON.parse(json) as RecordedResource[]) {
            out.push({
                ...r,
                urn: rename(r.urn),
                parent: r.parent && rename(r.parent),
                provider: r.provider && rename(r.provider),
                dependencies: r.dependencies.map(rename),
                propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, us]) => [k, us.map(rename)])),
            });
        }
    }
    return out.slice(0, size);
}

async function main(): Promise<void> {
    const args = process.argv.slice(2);
    const distinct = args.includes("--distinct");
    const sizes = args.filter(a => a !== "--distinct").map(Number);
    const stack = await runProgram(() => deploy({
        prefix: PREFIX, location: "westeurope", databricksAccountId: "11111111-2222-3333-4444-555555555555",
        allowedIpRanges: ["203.0.113.0/24"], serviceDirectPrivateLinkServiceId: SERVICE_DIRECT_PLS,
        sharingRecipients: [{ name: "partner", allowedIpRanges: ["192.0.2.0/24"] }],
    }), { preview: false });
    const template = stack.resources;
    const perResource = JSON.stringify(stackExport({ ...stack, resources: template })).length / template.length;
    console.log(`| file (MB) | resources | IDs | wall time (s) | CPU time (s) | peak RSS (MB) | mandatory | advisory |`);
    console.log(`|---|---|---|---|---|---|---|---|`);
    for (const mb of sizes.length > 0 ? sizes : [15, 150]) {
        const resources = copies(template, Math.ceil((mb * 1024 * 1024) / perResource), distinct);
        const file = path.join(os.tmpdir(), `dbx-duplicate-ids-${process.pid}.json`);
        fs.writeFileSync(file, JSON.stringify(stackExport({ ...stack, resources })));
        try {
            const sizeMb = fs.statSync(file).size / (1024 * 1024);
            const wrapper = `require(${JSON.stringify(path.join(REPO, "bin", "cli", "main.js"))}).main(process.argv.slice(1)).then(c => { const u = process.resourceUsage(); process.stderr.write("maxRSS " + u.maxRSS + " cpu " + (u.userCPUTime + u.systemCPUTime) + "\\n"); process.exit(c); })`;
            const t0 = process.hrtime.bigint();
            const run = spawnSync(process.execPath, ["--max-old-space-size=8192", "-e", wrapper, file, "--tier", "isolated-environment", "--format", "json", "--output", `${file}.report`], { encoding: "utf8" });
            const s = Number(process.hrtime.bigint() - t0) / 1e9;
            const kb = Number(/maxRSS (\d+)/.exec(run.stderr ?? "")?.[1] ?? NaN);
            const cpu = Number(/cpu (\d+)/.exec(run.stderr ?? "")?.[1] ?? NaN) / 1e6;
            const report = fs.existsSync(`${file}.report`) ? JSON.parse(fs.readFileSync(`${file}.report`, "utf8")) as { summary: { mandatory: number; advisory: number } } : undefined;
            console.log(`| ${sizeMb.toFixed(1)} | ${resources.length} | ${distinct ? "distinct" : "shared"} | ${s.toFixed(2)} | ${cpu.toFixed(2)} | ${(kb / 1024).toFixed(0)} | ${report?.summary.mandatory ?? `exit ${run.status}`} | ${report?.summary.advisory ?? ""} |`);
        } finally {
            fs.rmSync(file, { force: true });
            fs.rmSync(`${file}.report`, { force: true });
        }
    }
}

if (require.main === module) {
    main().catch(e => {
        console.error(e);
        process.exit(1);
    });
}
