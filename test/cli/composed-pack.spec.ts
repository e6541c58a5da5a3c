import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCommand as run } from "../harness/command";
import { stackExport } from "../../support/documents";
import { PackProcess } from "../../support/engine";
import { PACK_DIR } from "../harness/global";
import { runProgram } from "../../support/program";
import { nativeWorkspace } from "../../fixtures/native";
import { classicWorkspace } from "../../fixtures/classic";

/** A team's pack directory that depends on this package, the way npm would install it. */
function composedPack(root: string, name: string, body: string): string {
    const dir = path.join(root, name);
    fs.mkdirSync(path.join(dir, "node_modules"), { recursive: true });
    for (const entry of fs.readdirSync(path.join(PACK_DIR, "node_modules"))) {
        if (!entry.startsWith(".")) {
            fs.symlinkSync(path.join(PACK_DIR, "node_modules", entry), path.join(dir, "node_modules", entry));
        }
    }
    fs.symlinkSync(PACK_DIR, path.join(dir, "node_modules", "azure-databricks-network-policies"), "dir");
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, version: "1.2.3", main: "index.js" }));
    fs.writeFileSync(path.join(dir, "index.js"), `const { createPolicyPack } = require("azure-databricks-network-policies/lib");\n${body}\n`);
    return dir;
}

interface JsonFinding { feature: string; level: string; urn?: string; message: string }

describe("databricks-network-check --pack: a composed pack's own options", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "dbx-composed-"));
    let pack: PackProcess | undefined;

    after(async () => {
        await pack?.stop();
        fs.rmSync(root, { recursive: true, force: true });
    });

    it("gives exactly the verdicts the engine gives with that pack", async function () {
        this.timeout(120_000);
        const dir = composedPack(root, "acme-pack", `createPolicyPack("acme-databricks-network", {
    tier: "hardened-connectivity",
    enforcement: { "vnet-injection": "advisory" },
    attestations: { "serverless-egress-control": [{ reason: "account stack applies the restricted policy", reference: "stack acme/account" }] },
    exemptions: [{ features: ["workspace-ip-access-lists"], resource: "cl-ws", reason: "lab workspace", expires: "2999-01-01" }],
});`);
        const stack = await runProgram(() => { nativeWorkspace({ name: "a", noPublicIp: false }); classicWorkspace({ delegate: false }); }, { preview: false });
        pack = await PackProcess.start(dir);
        const info = await pack.info();
        assert.strictEqual(info.name, "acme-databricks-network");
        await pack.configureStack({ dryRun: false });
        await pack.configure({}, info);
        // A run as the engine makes it: Analyze per resource, then AnalyzeStack.
        const perResource = [];
        for (const res of stack.resources) {
            perResource.push(...(await pack.analyze(res, stack.resources)).diagnostics);
        }
        const engine = { diagnostics: [...perResource, ...(await pack.analyzeStack(stack)).diagnostics] };
        const file = path.join(root, "state.json");
        fs.writeFileSync(file, JSON.stringify(stackExport(stack)));
        const r = await run(["--pack", dir, file, "--format", "json"]);
        assert.strictEqual(r.err, "");
        const report = JSON.parse(r.out) as { tier: string; pack?: { name: string }; findings: JsonFinding[] };
        assert.strictEqual(report.tier, "hardened-connectivity");
        assert.deepStrictEqual(report.pack, { name: "acme-databricks-network" });
        const fromCommand = report.findings.map(f => `[${f.level}] ${f.feature} ${f.urn ?? ""}\n${f.message}`);
        const fromEngine = engine.diagnostics.map(d => `[${d.enforcementLevel}] ${d.policyName.replace(/-resource$/, "")} ${d.urn}\n${d.message}`);
        assert.deepStrictEqual([...fromCommand].sort(), fromEngine.sort());
        // The options really acted: softened, attested and exempted, each visible.
        assert.ok(report.findings.some(f => f.feature === "vnet-injection" && f.level === "advisory"), r.out);
        assert.ok(report.findings.some(f => f.feature === "serverless-egress-control" && /Attested outside this stack: account stack/.test(f.message)), r.out);
        assert.ok(report.findings.some(f => f.feature === "workspace-ip-access-lists" && /Exempted: lab workspace/.test(f.message)), r.out);
        assert.strictEqual(r.code, 1, "the SCC failure of workspace a is still mandatory");
        // A --policy-pack-config file goes over the pack's options, as in the engine.
        const cfg = path.join(root, "cfg.json");
        fs.writeFileSync(cfg, JSON.stringify({ "secure-cluster-connectivity": "advisory", "classic-compute-private-link": "advisory", "vnet-injection": "advisory", "serverless-private-link": "advisory", "workspace-ip-access-lists": "advisory", "account-ip-access-lists": "advisory", "delta-sharing-ip-access-lists": "advisory", "serverless-egress-control": "advisory", "cloud-service-private-access": "advisory", "serverless-stable-ips": "advisory" }));
        const over = await run(["--pack", dir, "--config", cfg, file, "--format", "json"]);
        assert.strictEqual(over.code, 0, over.out);
    });

    it("refuses a module that composes no pack, or one with bad options, naming it", async () => {
        const none = composedPack(root, "no-pack", "module.exports = {};");
        const a = await run(["--pack", none, "x.json"]);
        assert.strictEqual(a.code, 2);
        assert.match(a.err, /creates no pack with createPolicyPack/);
        const bad = composedPack(root, "bad-pack", `createPolicyPack("bad", { tier: "gold" });`);
        const b = await run(["--pack", bad, "x.json"]);
        assert.strictEqual(b.code, 2);
        assert.match(b.err, /options\.tier must be one of/);
        const missing = await run(["--pack", path.join(root, "nowhere"), "x.json"]);
        assert.strictEqual(missing.code, 2);
        assert.match(missing.err, /nowhere: no such file, directory or installed module/);
    });
});
