// The inbound group as the engine sees it: the policies it describes, and stacks of odd property
// shapes sent over gRPC (no crash, nothing it cannot read passes, the same verdicts as in process).

import * as assert from "assert";
import { thePack } from "../harness/global";
import { RecordedResource } from "../../support/program";
import { contractDifferences } from "../../support/contract";
import { normalised, observedFindings } from "../../support/case-runs";
import { Expected } from "../../fixtures/cases";
import { decideOnStack } from "../../support/verdicts";
import { FeatureId, featureRow, MATRIX, TIERS } from "../../policies/matrix";
import { message } from "../../policies/core/evaluation/render";

const INBOUND = MATRIX.filter(r => r.group === "inbound").map(r => r.id);

describe("the inbound group as the engine sees it", () => {
    it("GetAnalyzerInfo describes every inbound policy: feature and group tags, tier tags from the matrix, remediation, schema", async () => {
        const info = await thePack().info();
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

    it("AnalyzeStack tolerates odd property shapes: no crash, nothing it cannot read passes, the engine reports what the decision function does", async () => {
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
        const stack = { resources, preview: false };
        const tier = "isolated-environment" as const;
        assert.deepStrictEqual(await contractDifferences(thePack(), [{ stack, tier, title: "odd shapes" }]), []);

        const v = decideOnStack(stack, { tier });
        const judged = (f: FeatureId) => observedFindings(v, [f]);
        for (const id of INBOUND) {
            const j = judged(id);
            assert.ok(j === "not-applicable" || j.length > 0, `${id} said nothing\n${v.toString()}`);
            assert.ok(!v.findings(id).some(o => /could not evaluate/.test(message(o))), v.toString());
        }
        const ws = (reason: "wrong" | "missing", beforeCreation: boolean, feature: FeatureId): Expected =>
            ({ level: "mandatory", status: "fail", reason, resource: "odd-ws", stage: beforeCreation ? "before-creation" : "after-update", feature });
        // The workspace cannot be shown to be Premium, to have public access disabled, or a front end
        // or browser authentication endpoint (the odd endpoint targets nothing).
        const F = "workspace-inbound-private-link";
        assert.deepStrictEqual(judged(F), normalised([ws("wrong", true, F), ws("wrong", true, F), ws("missing", false, F), ws("missing", false, F)], F), v.toString());
        const P = "performance-services-private-link";
        assert.deepStrictEqual(judged(P), normalised([ws("wrong", false, P), ws("missing", false, P)], P), v.toString());
        // A recipient whose ipAccessList is not an object restricts nothing.
        const D = "delta-sharing-ip-access-lists";
        assert.deepStrictEqual(judged(D), normalised([
            { level: "mandatory", status: "fail", reason: "wrong", resource: "odd-recipient", stage: "before-creation", feature: D },
            ws("wrong", false, D),
        ], D), v.toString());
        // A provider ID of the wrong type links to no workspace: the workspace stays without lists
        // (missing), never failed by that list's 0.0.0.0/0.
        const W = "workspace-ip-access-lists";
        const w = judged(W);
        assert.ok(w !== "not-applicable" && w.length > 0 && !w.some(o => o.reason === "wrong" && o.stage !== "before-creation"), v.toString());
    });
});
