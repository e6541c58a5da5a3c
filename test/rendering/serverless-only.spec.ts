// Why the classic compute features are not evaluated for a serverless-only workspace, as the engine
// reports it (its verdicts are cases beside each classic feature).

import * as assert from "assert";
import * as databricks from "@pulumi/azure-native/databricks";
import { decideOn } from "../../support/verdicts";

const CLASSIC = ["secure-cluster-connectivity", "vnet-injection", "classic-compute-private-link"];

describe("serverless-only workspaces: why the classic features do not apply", () => {
    it("names the serverless compute mode and the missing classic compute plane", async () => {
        const v = await decideOn(() => new databricks.Workspace("sl", {
            resourceGroupName: "rg", location: "westeurope", workspaceName: "sl", sku: { name: "premium" }, computeMode: "Serverless",
        } as databricks.WorkspaceArgs), { tier: "isolated-environment" });
        for (const f of CLASSIC) {
            assert.match(v.notApplicable(f) ?? "", /serverless-only workspace \(computeMode "Serverless"\): no classic compute plane/, f);
        }
    });
});
