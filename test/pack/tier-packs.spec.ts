import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildPack, packSpecs } from "../../support/tier-packs";
import { PackProcess } from "../../support/engine";
import { PACK_DIR } from "../harness/global";
import { runProgram } from "../../support/program";
import { nativeWorkspace } from "../../fixtures/native";

describe("one published pack per tier (Pulumi Cloud)", () => {
    let outDir: string;
    let pack: PackProcess | undefined;

    before(() => {
        outDir = fs.mkdtempSync(path.join(os.tmpdir(), "dbx-packs-"));
    });

    after(async () => {
        await pack?.stop();
        fs.rmSync(outDir, { recursive: true, force: true });
    });

    it("builds a self-contained pack per tier whose policies default to that tier", async () => {
        const specs = packSpecs();
        assert.deepStrictEqual(specs.map(s => s.tier), ["managed-security", "hardened-connectivity", "isolated-environment"]);
        const spec = specs[2];
        const dir = buildPack(spec, outDir);
        const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
        assert.strictEqual(pkg.name, "azure-databricks-network-isolated-environment");
        assert.strictEqual(pkg.devDependencies, undefined, "published packs carry runtime dependencies only");
        // The engine runs `npm install` in the pack; here the repository's modules stand in for it.
        fs.symlinkSync(path.join(PACK_DIR, "node_modules"), path.join(dir, "node_modules"), "dir");
        pack = await PackProcess.start(dir);
        const info = await pack.getAnalyzerInfo();
        assert.strictEqual(info.name, "azure-databricks-network-isolated-environment");
        assert.ok(info.policies.every(p => p.configSchema?.properties.tier.default === "isolated-environment"));
        await pack.configureStack({ dryRun: false });
        await pack.configure({}, info);
        const stack = await runProgram(() => nativeWorkspace({ noPublicIp: false }), { preview: false });
        // The workspace's own inputs: refused when the engine analyzes it, before creation.
        const ws = stack.resources.find(r => r.name === "prod-ws");
        assert.ok(ws);
        const res = await pack.analyze(ws, stack.resources);
        const scc = res.diagnostics.find(d => d.policyName === "secure-cluster-connectivity-resource" && d.enforcementLevel === "mandatory");
        assert.match(scc?.message ?? "", /Isolated environment \(tier isolated-environment\)/);
    });
});
