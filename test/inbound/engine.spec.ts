import * as assert from "assert";
import { thePack } from "../harness/global";
import { analyzeStack } from "../harness/check";
import { RecordedResource, runProgram } from "../../support/program";
import { inboundWorkspace, ipAccessLists, recipient, serviceDirect } from "../../support/fixtures/inbound";
import { featureRow, MATRIX, TIERS } from "../../policies/matrix";

const INBOUND = MATRIX.filter(r => r.group === "inbound").map(r => r.id);
const ACCOUNT_ATTESTED = { "account-ip-access-lists": { attestations: [{ reason: "account IP access lists enabled in the account console", reference: "SEC-142" }] } };

function compliant(o: { publicNetworkAccess?: string; conf?: string; tokenList?: string[] } = {}) {
    return () => {
        const { workspace } = inboundWorkspace({ frontEnd: "transit", browserAuth: "self", publicNetworkAccess: o.publicNetworkAccess ?? "Disabled" });
        serviceDirect({ register: true });
        ipAccessLists(workspace, { conf: o.conf ?? "true" });
        recipient("partner", "TOKEN", o.tokenList ?? ["203.0.113.0/24"]);
    };
}

describe("the inbound group as the engine sees it", () => {
    it("GetAnalyzerInfo describes every inbound policy: feature and group tags, tier tags from the matrix, remediation, schema", async () => {
        const info = await thePack().getAnalyzerInfo();
        assert.strictEqual(INBOUND.length, 5);
        for (const id of INBOUND) {
            const p = info.policies.find(x => x.name === id);
            assert.ok(p, `no policy ${id} in ${info.policies.map(x => x.name).join(", ")}`);
            assert.ok(p.tags.includes(`feature:${id}`), `${id}: ${p.tags.join(", ")}`);
            assert.ok(p.tags.includes("group:inbound"), `${id}: ${p.tags.join(", ")}`);
            const row = featureRow(id);
            for (const t of TIERS) {
                assert.strictEqual(p.tags.includes(`tier:${t}:required`), row.tiers[t] === "required", `${id} ${t}: ${p.tags.join(", ")}`);
            }
            assert.strictEqual(p.displayName, row.title);
            // Account IP access lists have no resource: their remediation is the attestation.
            assert.match(p.remediationSteps, id === "account-ip-access-lists" ? /"attestations"/ : /new (databricks|azure_native)\./, id);
            assert.match(p.url, /^https:\/\/learn\.microsoft\.com\//, id);
            assert.ok(p.description.length > 60, id);
            assert.deepStrictEqual(Object.keys(p.configSchema?.properties ?? {}).sort(), ["attestations", "exemptions", "requireEvidenceInStack", "tier", "workspaceStorageAccounts"], id);
        }
        const front = info.policies.find(x => x.name === "workspace-inbound-private-link");
        assert.ok(front && !front.tags.some(t => t.startsWith("tier:hardened-connectivity")), front?.tags.join(", "));
        assert.match(info.policies.find(x => x.name === "account-ip-access-lists")?.remediationSteps ?? "", /"account-ip-access-lists": \{"attestations": \[\{"reason": "\.\.\."\}\]\}/);
    });

    it("AnalyzeStack over gRPC: a fully isolated stack passes every inbound policy, at update and at preview", async () => {
        for (const preview of [false, true]) {
            const stack = await runProgram(compliant(), { preview });
            const v = await analyzeStack(stack, { tier: "isolated-environment", config: ACCOUNT_ATTESTED });
            for (const id of INBOUND) {
                assert.strictEqual(v.notApplicable(id), undefined, `${id} preview=${preview}`);
                assert.deepStrictEqual(v.mandatory(id), [], `preview=${preview}\n${v.toString()}`);
            }
            const advisories = INBOUND.flatMap(id => v.advisory(id));
            assert.strictEqual(advisories.length, 1, `preview=${preview}\n${v.toString()}`);
            assert.strictEqual(advisories[0].policyName, "account-ip-access-lists");
            assert.match(advisories[0].message, /Attested outside this stack: account IP access lists enabled in the account console \(reference: SEC-142\)/);
        }
    });

    it("AnalyzeStack over gRPC: each broken part is mandatory at its tier; Hardened skips the Private Link features; a user's advisory level is honoured", async () => {
        const stack = await runProgram(compliant({ publicNetworkAccess: "Enabled", conf: "false", tokenList: ["0.0.0.0/0"] }), { preview: false });
        const iso = await analyzeStack(stack, { tier: "isolated-environment" });
        const ws = iso.urn("prod-ws");
        assert.deepStrictEqual(iso.mandatory("workspace-inbound-private-link").map(d => d.urn), [ws], iso.toString());
        // The WorkspaceConf's own wrong value is reported on it (before it is created), not again on the workspace.
        assert.deepStrictEqual(iso.mandatory("workspace-ip-access-lists").map(d => d.urn), [iso.urn("acl-conf")], iso.toString());
        assert.deepStrictEqual(iso.mandatory("delta-sharing-ip-access-lists").map(d => d.urn), [iso.urn("partner")], iso.toString());
        assert.deepStrictEqual(iso.mandatory("performance-services-private-link"), [], iso.toString());
        // No resource can show account IP access lists: missing, so mandatory until attested.
        assert.strictEqual(iso.mandatory("account-ip-access-lists").length, 1, iso.toString());
        assert.match(iso.mandatory("account-ip-access-lists")[0].message, /Found: this stack does not declare the account's account-policy \(nor any account IP access list\)/);

        const hard = await analyzeStack(stack, { tier: "hardened-connectivity", config: { "workspace-ip-access-lists": "advisory" } });
        for (const id of ["workspace-inbound-private-link", "performance-services-private-link"]) {
            assert.deepStrictEqual(hard.of(id), [], hard.toString());
            assert.match(hard.notApplicable(id) ?? "", /not part of the Hardened connectivity/);
        }
        assert.deepStrictEqual(hard.mandatory("workspace-ip-access-lists"), [], hard.toString());
        assert.match(hard.advisory("workspace-ip-access-lists")[0]?.message ?? "", /sets enableIpAccessLists to "false"/);
        assert.strictEqual(hard.mandatory("delta-sharing-ip-access-lists").length, 1, hard.toString());

        // A stack tag asks for the stricter tier.
        const tagged = await analyzeStack(stack, { tier: "hardened-connectivity", tags: { "databricks-network-tier": "isolated-environment" } });
        assert.strictEqual(tagged.mandatory("workspace-inbound-private-link").length, 1, tagged.toString());
    });

    it("AnalyzeStack tolerates odd property shapes: no crash, and nothing it cannot read passes", async () => {
        const urn = (type: string, name: string) => `urn:pulumi:dev::databricks-network::${type}::${name}`;
        const res = (type: string, name: string, outputs: Record<string, unknown>, extra: Partial<RecordedResource> = {}): RecordedResource => ({
            urn: urn(type, name), type, name, custom: true, inputs: outputs, outputs, dependencies: [], propertyDependencies: {}, ...extra,
        });
        const provider = res("pulumi:providers:databricks", "odd", { azureWorkspaceResourceId: 42, host: ["x"] });
        const resources: RecordedResource[] = [
            res("azure-native:databricks:Workspace", "odd-ws", { resourceGroupName: "rg", workspaceName: "odd-ws", sku: "premium", publicNetworkAccess: { value: "Disabled" }, location: 7 }),
            provider,
            res("databricks:index/workspaceConf:WorkspaceConf", "odd-conf", { customConfig: "enableIpAccessLists=true" }, { provider: provider.urn }),
            res("databricks:index/ipAccessList:IpAccessList", "odd-list", { listType: ["ALLOW"], ipAddresses: "0.0.0.0/0", enabled: "yes" }, { provider: provider.urn }),
            res("databricks:index/recipient:Recipient", "odd-recipient", { authenticationType: "TOKEN", ipAccessList: 5 }),
            res("azure-native:network:PrivateEndpoint", "odd-pe", { privateLinkServiceConnections: "none", manualPrivateLinkServiceConnections: [null, 3, { groupIds: "service_direct" }] }),
            res("databricks:index/accountIpAccessList:AccountIpAccessList", "odd-acct", { ipAddresses: { a: 1 } }),
        ];
        const v = await analyzeStack({ resources, preview: false }, { tier: "isolated-environment" });
        for (const id of INBOUND) {
            assert.ok(v.of(id).length > 0 || v.notApplicable(id) !== undefined, `${id} said nothing\n${v.toString()}`);
            assert.ok(!v.of(id).some(d => /could not evaluate/.test(d.message)), v.toString());
        }
        // The workspace cannot be shown to have public access disabled, a known front end or IP access lists.
        assert.ok(v.of("workspace-inbound-private-link").some(d => d.urn === urn("azure-native:databricks:Workspace", "odd-ws")), v.toString());
        assert.ok(v.of("workspace-ip-access-lists").length > 0, v.toString());
        // A provider ID of the wrong type links to no workspace: the single workspace stays open, never mandatory by that list.
        assert.ok(!v.mandatory("workspace-ip-access-lists").some(d => /allows 0\.0\.0\.0\/0/.test(d.message)), v.toString());
        assert.ok(v.of("delta-sharing-ip-access-lists").some(d => d.urn === urn("databricks:index/recipient:Recipient", "odd-recipient")), v.toString());
    });
});
