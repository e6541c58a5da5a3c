// The check command under hostile input: impossible dates in --config are refused, values are
// quoted cut to a short prefix, and resources that share IDs leave the verdicts as they are.

import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCommand as run } from "../harness/command";
import { stackExport } from "../../support/documents";
import { RecordedResource, runProgram } from "../../support/program";
import { nativeWorkspace } from "../../fixtures/native";
import { PROGRAMS } from "../e2e/programs";
import { sharingIds } from "../harness/duplicates";
import { recorded } from "../e2e/recordings";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dbx-hostile-"));

function write(name: string, content: unknown): string {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
    return file;
}

interface Finding { feature: string; urn?: string; level: string; status: string; message: string }

describe("databricks-network-check under hostile input", () => {
    let exportFile: string;

    before(async () => {
        const stack = await runProgram(() => nativeWorkspace({ noPublicIp: false }), { preview: false });
        exportFile = write("export.json", stackExport(stack));
    });

    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("--config: an expiry that is no day of the calendar is refused, naming the field, without a stack trace", async () => {
        for (const date of ["2027-02-30", "2027-02-31", "2027-04-31", "2100-02-29"]) {
            const cfg = write(`dates-${date}.json`, { "secure-cluster-connectivity": { exemptions: [{ resource: "ws", reason: "lab", expires: date }] } });
            const r = await run(["--config", cfg, exportFile]);
            assert.strictEqual(r.code, 2, `${date}: ${r.out}`);
            assert.match(r.err, new RegExp(`dates-${date}\\.json: secure-cluster-connectivity\\.exemptions\\[0\\]\\.expires must be a calendar date in the form YYYY-MM-DD; got "${date}"`));
            assert.doesNotMatch(r.err, /\n\s+at /);
        }
        // A leap day is a day: the exemption applies.
        const cfg = write("leap.json", { "secure-cluster-connectivity": { exemptions: [{ resource: "prod-ws", reason: "lab", expires: "2096-02-29" }] } });
        const r = await run(["--config", cfg, "--format", "json", exportFile]);
        assert.strictEqual(r.code, 0, r.err);
        const scc = (JSON.parse(r.out).findings as Finding[]).filter(f => f.feature === "secure-cluster-connectivity");
        assert.deepStrictEqual(scc.map(f => f.status), ["exempted"]);
    });

    it("--config: a 1 MB value is quoted cut to a short prefix", async () => {
        const cfg = write("tier.json", { "vnet-injection": { tier: "t".repeat(1 << 20) } });
        const r = await run(["--config", cfg, exportFile]);
        assert.strictEqual(r.code, 2);
        assert.ok(r.err.length < 1000, `${r.err.length} characters`);
        assert.match(r.err, /vnet-injection\.tier must be one of .*; got "t{100}"…\(\+1048476 characters\)/);
        // A name far longer than any policy's is refused without a suggestion (no edit distance
        // over it): a 1 MB name answers as a short one does.
        const name = write("name.json", { ["p".repeat(1 << 20)]: "mandatory" });
        const n = await run(["--config", name, exportFile]);
        assert.strictEqual(n.code, 2);
        assert.ok(n.err.length < 2000, `${n.err.length} characters`);
        assert.match(n.err, /"p{100}"…\(\+1048476 characters\) is not a policy of this pack$/m);
    });

    it("a 5 MB sku.name in a stack export gives a bounded report", async () => {
        const size = 5 * 1024 * 1024;
        const stack = await runProgram(() => nativeWorkspace({ sku: "s".repeat(size) }), { preview: false });
        const file = write("big-sku.json", stackExport(stack));
        for (const format of ["json", "table", "markdown", "sarif"]) {
            const r = await run(["--tier", "isolated-environment", "--format", format, file]);
            assert.strictEqual(r.code, 1, r.err);
            assert.ok(r.out.length < 256 * 1024, `${format}: ${r.out.length} characters`);
            assert.match(r.out, new RegExp(`the workspace SKU is \\\\?"s{100}\\\\?"…\\(\\+${size - 100} characters\\)`), format);
        }
    });

    it("20 000 resources sharing ARM IDs in a stack export leave the verdicts unchanged", async () => {
        // The Hardened program judged at Isolated: findings on many resources to compare.
        const p = PROGRAMS.find(x => x.tier === "hardened-connectivity")!;
        const stack = await recorded(p, "update");
        const copies = sharingIds(stack.resources, p.prefix);
        const config = write("ie-config.json", p.packConfig);
        const findings = async (resources: RecordedResource[], name: string) => {
            const r = await run(["--tier", "isolated-environment", "--config", config, "--format", "json", write(name, stackExport({ ...stack, resources }))]);
            assert.ok(r.code === 0 || r.code === 1, r.err);
            return (JSON.parse(r.out).findings as Finding[]).map(f => [f.feature, f.urn, f.level, f.status, f.message]);
        };
        const alone = await findings(stack.resources, "alone.json");
        assert.ok(alone.length > 0);
        assert.deepStrictEqual(await findings([...stack.resources, ...copies], "shared.json"), alone);
    });
});
