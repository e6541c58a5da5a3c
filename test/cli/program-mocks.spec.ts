// Mocks a user can complete: resource outputs by type and logical name, several answers per
// lookup chosen by its arguments, built-in answers that follow the program's configuration, ARM
// IDs for every Azure type and IDs for subnets declared inline; completed programs give the same
// verdicts as the engine on the same resources.

import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { armIdOf } from "../../cli/inputs/arm-types";
import { runCommand } from "../harness/command";
import { parseMocks } from "../../cli/program/mocks";
import { runProgramDir } from "../../cli/program/program";
import { INVOKE_ANSWERS, mockContext, RecordedStack } from "../../cli/program/record";
import { InputError } from "../../cli/inputs/inputs";
import { TierId } from "../../policies/matrix";
import { analyzeStack, featureOf } from "../harness/check";
import { PACK_DIR } from "../harness/global";

const PROGRAMS = path.join(PACK_DIR, "test", "programs");
const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";

/** Folders made for the suite's files, removed after it. */
const made: string[] = [];

function tempFile(name: string, content: unknown): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dbx-mocks-"));
    made.push(dir);
    const file = path.join(dir, name);
    fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
    return file;
}

function resource(stack: RecordedStack, name: string): RecordedStack["resources"][number] {
    const r = stack.resources.find(x => x.name === name);
    assert.ok(r, `no resource ${name}`);
    return r;
}

type Finding = { feature: string; urn?: string; level: string; message: string; phase: string; status: string };

/** The command's known-values findings equal the engine's diagnostics on the same recorded stack; its exit status and findings. */
async function sameAsEngine(dir: string, known: RecordedStack, tier: TierId, extra: string[] = []): Promise<{ code: number; findings: Finding[] }> {
    const engine = await analyzeStack(known, { tier });
    const r = await runCommand(["--program", dir, "--tier", tier, "--format", "json", ...extra]);
    assert.ok(r.code === 0 || r.code === 1, r.err);
    const findings = (JSON.parse(r.out) as { findings: Finding[] }).findings;
    assert.deepStrictEqual(
        findings.filter(f => f.phase !== "preview").map(f => `${f.feature}|${f.urn ?? ""}|${f.level}|${f.message}`).sort(),
        engine.diagnostics.map(d => `${featureOf(d)}|${d.urn}|${d.enforcementLevel}|${d.message}`).sort());
    return { code: r.code, findings };
}

describe("--program mocks", function () {
    after(() => {
        for (const dir of made.splice(0)) {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    this.timeout(60_000);

    describe("resource outputs", () => {
        it("built-in outputs answer a key's versioned URI; --mocks answers the rest, by logical name over type", async () => {
            const dir = path.join(PROGRAMS, "undefined-output");
            const mocks = parseMocks({ resources: {
                "azure-native:managedidentity:UserAssignedIdentity": { clientId: "22222222-0000-0000-0000-000000000000", principalId: "p" },
                "azure-native:managedidentity:UserAssignedIdentity::uami": { clientId: "11111111-0000-0000-0000-000000000000" },
            } }, "mocks.json");
            const runs = await runProgramDir({ dir, mocks, inProcess: true });
            const key = resource(runs.known, "cmk");
            assert.strictEqual(key.outputs.id, `${SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-dbx/keys/cmk`);
            assert.match(String(key.outputs.keyUriWithVersion), /^https:\/\/kv-dbx\.vault\.azure\.net\/keys\/cmk\/[0-9a-f]{32}$/);
            const uami = resource(runs.known, "uami");
            assert.strictEqual(uami.outputs.clientId, "11111111-0000-0000-0000-000000000000");
            assert.strictEqual(uami.outputs.principalId, "p");
            assert.strictEqual(uami.outputs.id, `${SUB}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uami`);
            // At preview computed outputs stay unknown, as a first `pulumi preview` sees them.
            assert.strictEqual(resource(runs.preview, "uami").outputs.clientId, undefined);
            const file = tempFile("mocks.json", { resources: { "azure-native:managedidentity:UserAssignedIdentity": { clientId: "3-3" } } });
            const r = await runCommand(["--program", dir, "--mocks", file]);
            assert.strictEqual(r.code, 0, r.err);
        });

        it("every Azure type gets an ARM ID of its real resource type; unlisted types a derived one", () => {
            const id = (type: string, inputs: Record<string, unknown>, name = "x") => armIdOf(type, name, inputs, "s");
            assert.strictEqual(id("azure-native:databricks:AccessConnector", { resourceGroupName: "rg", connectorName: "ac" }), "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Databricks/accessConnectors/ac");
            assert.strictEqual(id("azure:databricks/accessConnector:AccessConnector", { resourceGroupName: "rg", name: "ac" }), "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Databricks/accessConnectors/ac");
            assert.strictEqual(id("azure:keyvault/key:Key", { keyVaultId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv", name: "k" }), "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv/keys/k");
            assert.strictEqual(id("azure-native:storage:BlobContainer", { resourceGroupName: "rg", accountName: "st", containerName: "c" }), "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st/blobServices/default/containers/c");
            assert.strictEqual(id("azure-native:network:PublicIPAddress", { resourceGroupName: "rg", publicIpAddressName: "pip" }), "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/pip");
            assert.strictEqual(id("azure-native:network/v20240501:Subnet", { resourceGroupName: "rg", virtualNetworkName: "v", subnetName: "a" }), "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/a");
            assert.strictEqual(id("azure-native:resources:ResourceGroup", { resourceGroupName: "rg-1" }), "/subscriptions/s/resourceGroups/rg-1");
            assert.strictEqual(id("azure:core/resourceGroup:ResourceGroup", {}, "rg-2"), "/subscriptions/s/resourceGroups/rg-2");
            assert.strictEqual(id("azure-native:cdn:Profile", { resourceGroupName: "rg", profileName: "p" }), "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Cdn/profiles/p");
            assert.strictEqual(id("azure:network/subnetNetworkSecurityGroupAssociation:SubnetNetworkSecurityGroupAssociation", { subnetId: "/subscriptions/s/x/subnets/a" }), "/subscriptions/s/x/subnets/a");
            assert.strictEqual(id("databricks:index/ipAccessList:IpAccessList", {}), undefined);
        });

        it("subnets declared inline in a VNet get their IDs, so the known-values run places the workspace's endpoint in its VNet", async () => {
            const dir = path.join(PROGRAMS, "inline-subnets");
            const runs = await runProgramDir({ dir, inProcess: true });
            const subnets = resource(runs.known, "vnet").outputs.subnets as { id: string; name: string }[];
            assert.deepStrictEqual(subnets.map(s => s.id), ["host", "container", "pe"].map(n => `${SUB}/resourceGroups/rg-inline/providers/Microsoft.Network/virtualNetworks/vnet/subnets/${n}`));
            const { findings } = await sameAsEngine(dir, runs.known, "managed-security");
            const privateLink = findings.filter(f => f.feature === "classic-compute-private-link");
            assert.deepStrictEqual(privateLink.map(f => f.status), ["note"], JSON.stringify(privateLink));
            assert.deepStrictEqual(findings.filter(f => f.level === "mandatory"), []);
        });
    });

    describe("lookups", () => {
        const dir = path.join(PROGRAMS, "lookups");
        const mocksFile = path.join(dir, "mocks.json");

        it("the README example: several answers per lookup chosen by its arguments; built-in getResourceGroup follows the configured location; same verdicts as the engine", async () => {
            const runs = await runProgramDir({ dir, mocks: parseMocks(JSON.parse(fs.readFileSync(mocksFile, "utf8")), mocksFile), inProcess: true });
            const ws = resource(runs.known, "acme-ws");
            assert.strictEqual(ws.inputs.location, "northeurope");
            const params = ws.inputs.customParameters as Record<string, unknown>;
            assert.deepStrictEqual([params.publicSubnetName, params.privateSubnetName], ["host", "container"]);
            const pe = resource(runs.known, "acme-backend");
            assert.match(String(pe.inputs.subnetId), /\/subnets\/endpoints$/);
            assert.deepStrictEqual((pe.inputs.privateDnsZoneGroup as { privateDnsZoneIds: string[] }).privateDnsZoneIds, [`${SUB}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.azuredatabricks.net`]);
            const { code, findings } = await sameAsEngine(dir, runs.known, "hardened-connectivity", ["--mocks", mocksFile]);
            assert.deepStrictEqual(findings.filter(f => f.feature === "classic-compute-private-link" || f.feature === "secure-cluster-connectivity").filter(f => f.level === "mandatory"), []);
            // The rest of the tier fails: six mandatory violations, exit status 1.
            assert.strictEqual(code, 1);
            assert.strictEqual(findings.filter(f => f.level === "mandatory").length, 6, JSON.stringify(findings.filter(f => f.level === "mandatory")));
        });

        it("a call that no case matches names its arguments and how many answers there are", async () => {
            const doc = JSON.parse(fs.readFileSync(mocksFile, "utf8")) as { invokes: Record<string, { args: { name: string } }[]> };
            doc.invokes["azure:network/getSubnet:getSubnet"] = doc.invokes["azure:network/getSubnet:getSubnet"].filter(c => c.args.name !== "endpoints");
            const r = await runCommand(["--program", dir, "--mocks", tempFile("mocks.json", doc)]);
            assert.strictEqual(r.code, 2);
            assert.match(r.err, /^databricks-network-check: test\/programs\/lookups: the program calls the invoke azure:network\/getSubnet:getSubnet with \{"name":"endpoints","resourceGroupName":"rg-network","virtualNetworkName":"spoke"\}, which none of the 2 answers in the mocks file matches by its arguments: add a case .*\(called at test\/programs\/lookups\/index\.ts:9\)\n$/);
        });

        it("built-in getClientConfig and getResourceGroup follow the configured subscription, tenant and location", () => {
            const ctx = mockContext({ "azure-native:location": "swedencentral", "azure-native:subscriptionId": "sub-1", "azure-native:tenantId": "ten-1" });
            assert.deepStrictEqual(INVOKE_ANSWERS["azure-native:resources:getResourceGroup"]({ resourceGroupName: "rg" }, ctx), { id: "/subscriptions/sub-1/resourceGroups/rg", name: "rg", location: "swedencentral", properties: { provisioningState: "Succeeded" } });
            const cc = INVOKE_ANSWERS["azure:core/getClientConfig:getClientConfig"]({}, ctx);
            assert.deepStrictEqual([cc.subscriptionId, cc.tenantId], ["sub-1", "ten-1"]);
            assert.strictEqual(INVOKE_ANSWERS["azure:core/getResourceGroup:getResourceGroup"]({ name: "x" }, mockContext({})).location, "westeurope");
        });
    });

    it("a malformed mocks file is rejected naming the field", async () => {
        const bad = (doc: unknown) => assert.throws(() => parseMocks(doc, "m.json"), (e: unknown) => e instanceof InputError && /^m\.json: /.test(e.message) && e.message.length < 300);
        bad([]);
        bad({ invoke: {} });
        bad({ invokes: { "a:b:c": [] } });
        bad({ invokes: { "a:b:c": [{ args: { name: "x" } }] } });
        bad({ invokes: { "a:b:c": [{ args: 3, result: {} }] } });
        bad({ resources: { "Key": {} } });
        bad({ resources: { "azure-native:keyvault:Key": "x" } });
        assert.throws(() => parseMocks({ invokes: { t: [{ result: {} }, { result: 1 }] } }, "m.json"), /invokes\["t"\]\[1\] must be \{"args": \{…\}, "result": \{…\}\}/);
        const r = await runCommand(["--program", path.join(PROGRAMS, "lookups"), "--mocks", tempFile("mocks.json", "{ nope")]);
        assert.strictEqual(r.code, 2);
        assert.match(r.err, /mocks\.json: the mocks file is not valid JSON/);
    });

    describe("outputs the program reads that the mocks never set", () => {
        const dir = path.join(PROGRAMS, "unset-outputs");
        const WS = "azure:databricks/workspace:Workspace";
        type Unset = { type: string; name: string; output: string; readBy: string[]; verdicts?: string[]; mock: string };

        it("the recording names them in the known-values run only (a classic workspace's managed resource group)", async () => {
            const runs = await runProgramDir({ dir, inProcess: true });
            assert.deepStrictEqual(runs.known.unsetOutputs?.map(u => [u.type, u.name, u.output, u.urn?.endsWith("::ws")]), [[WS, "ws", "managedResourceGroupId", true]]);
            assert.strictEqual(runs.preview.unsetOutputs, undefined);
            // Judged on the undefined value: the ID the program built.
            const target = JSON.stringify(resource(runs.known, "dbfs-dfs").inputs.privateServiceConnection);
            assert.match(target, /"undefined\/providers\/Microsoft\.Storage\/storageAccounts\/dbstorage"/);
        });

        it("the report names each, what took it and the verdicts resting on it, and how to set it", async () => {
            const json = await runCommand(["--program", dir, "--tier", "hardened-connectivity", "--format", "json"]);
            const unset = (JSON.parse(json.out) as { unsetOutputs?: Unset[] }).unsetOutputs;
            assert.deepStrictEqual(unset, [{
                type: WS, name: "ws", output: "managedResourceGroupId", readBy: ["dbfs-dfs.privateServiceConnection"],
                verdicts: ["classic-compute-private-link on ws"], mock: `{"resources": {"${WS}::ws": {"managedResourceGroupId": <value>}}}`,
            }]);
            const table = await runCommand(["--program", dir, "--tier", "hardened-connectivity"]);
            assert.match(table.out, /Outputs the mocks did not set \(values built from them are undefined here\)\n  !  azure:databricks\/workspace:Workspace "ws" output managedResourceGroupId: read by the program, never set by the mocks \(undefined in the known-values run\); its resource's values are taken by dbfs-dfs\.privateServiceConnection; verdicts resting on it: classic-compute-private-link on ws\. Set it with --mocks /);
            assert.match((await runCommand(["--help"])).out, /--mocks <file> .*\n\s+the report names each output the program read that no answer set\n/);
            const md = await runCommand(["--program", dir, "--tier", "hardened-connectivity", "--format", "markdown"]);
            assert.match(md.out, /\*\*Outputs the mocks did not set[^\n]*\*\*\n\n- azure:databricks\/workspace:Workspace "ws" output managedResourceGroupId: /);
        });

        it("set by --mocks, the output is read as given and named no more", async () => {
            const mocks = tempFile("mocks.json", { resources: { [`${WS}::ws`]: { managedResourceGroupId: `${SUB}/resourceGroups/databricks-rg-ws` } } });
            const r = await runCommand(["--program", dir, "--mocks", mocks, "--tier", "hardened-connectivity", "--format", "json"]);
            assert.strictEqual((JSON.parse(r.out) as { unsetOutputs?: Unset[] }).unsetOutputs, undefined, r.out);
            const runs = await runProgramDir({ dir, mocks: parseMocks(JSON.parse(fs.readFileSync(mocks, "utf8")), mocks), inProcess: true });
            assert.match(JSON.stringify(resource(runs.known, "dbfs-dfs").inputs.privateServiceConnection), /resourceGroups\/databricks-rg-ws\/providers\/Microsoft\.Storage\/storageAccounts\/dbstorage/);
        });

        it("a program that reads only outputs the mocks set has none", async () => {
            const r = await runCommand(["--program", path.join(PROGRAMS, "compliant"), "--format", "json"]);
            assert.strictEqual((JSON.parse(r.out) as { unsetOutputs?: Unset[] }).unsetOutputs, undefined);
        });
    });
});
