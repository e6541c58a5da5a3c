// `node bin/scripts/duplicate-ids.js [MB…]`: the check command on `pulumi stack export` files in
// which many resources share ARM IDs (the same resources imported again, aliased or replaced),
// at the given sizes (default 15 and 150 MB). Each copy of the isolated-environment reference
// program gets its own URNs, and keeps the IDs, names and properties of the first. Prints, per
// size, the file's size, its resource count, the command's wall time and CPU time (user +
// system: steadier than wall time on a shared machine), its peak RSS and the verdict counts.
// With --distinct the copies get their own IDs too, for comparison.

import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RecordedResource } from "../support/program";
import { stackExport } from "../support/documents";
import { recordTemplate, renamedCopies, runCheckCommand, TEMPLATE_PREFIX as PREFIX } from "../support/stack-copies";

/** Copies of `template` up to `size` resources: URNs renamed per copy, everything else (IDs) shared unless `distinct`. */
export function copies(template: RecordedResource[], size: number, distinct = false): RecordedResource[] {
    if (distinct) {
        return renamedCopies(template, size);
    }
    const own = new Set(template.filter(r => r.urn.includes(PREFIX)).map(r => r.urn));
    const out: RecordedResource[] = template.filter(r => !own.has(r.urn));
    const json = JSON.stringify(template.filter(r => own.has(r.urn)));
    for (let i = 0; out.length < size; i++) {
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
    const stack = await recordTemplate();
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
            const run = runCheckCommand([file, "--tier", "isolated-environment", "--format", "json", "--output", `${file}.report`], ["--max-old-space-size=8192"]);
            const report = fs.existsSync(`${file}.report`) ? JSON.parse(fs.readFileSync(`${file}.report`, "utf8")) as { summary: { mandatory: number; advisory: number } } : undefined;
            console.log(`| ${sizeMb.toFixed(1)} | ${resources.length} | ${distinct ? "distinct" : "shared"} | ${(run.ms / 1000).toFixed(2)} | ${run.cpuS.toFixed(2)} | ${run.rssMb.toFixed(0)} | ${report?.summary.mandatory ?? `exit ${run.status}`} | ${report?.summary.advisory ?? ""} |`);
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
