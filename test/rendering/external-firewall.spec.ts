// external-firewall in wording: which Databricks subnet a problem is about, the fix it gives, and
// why a serverless-only workspace is not judged (its verdicts are cases beside the feature).

import * as assert from "assert";
import * as databricks from "@pulumi/azure-native/databricks";
import { decideOn, decideOnStack, InProcessVerdict } from "../../support/verdicts";
import { classicRoutedWorkspace, FIREWALL_OUTPUTS, routedWorkspace } from "../../fixtures/outbound-network";
import { runProgram } from "../../support/program";

const F = "external-firewall";
const I = { tier: "isolated-environment" as const };

const messages = (v: InProcessVerdict) => v.diagnostics().filter(d => d.policyName === F).map(d => d.message);

describe(`${F} in wording`, () => {
    it("a default route to Internet names the next hop and fixes it with a VirtualAppliance route", async () => {
        const stack = await runProgram(() => routedWorkspace({ host: "internet", container: "firewall" }), { preview: false, outputs: FIREWALL_OUTPUTS });
        const m = messages(decideOnStack(stack, I));
        assert.strictEqual(m.length, 1, m.join("\n"));
        assert.match(m[0], /default route .* goes to "Internet", not to a firewall/);
        assert.match(m[0], /Fix: .*VirtualAppliance/);
    });

    it("the subnet left without a route table is named as the container subnet (azure-native and classic)", async () => {
        const native = await runProgram(() => routedWorkspace({ host: "firewall", container: "none" }), { preview: false, outputs: FIREWALL_OUTPUTS });
        const classic = await decideOn(() => classicRoutedWorkspace({ associate: "host" }), I);
        for (const m of [messages(decideOnStack(native, I)), messages(classic)]) {
            assert.strictEqual(m.length, 1, m.join("\n"));
            assert.match(m[0], /Databricks subnet "[a-z-]*container" .* has no route table/);
        }
    });

    it("each finding's first line says its problem: the host and the container subnet apart", async () => {
        const stack = await runProgram(() => routedWorkspace({ host: "none", container: "none" }), { preview: false, outputs: FIREWALL_OUTPUTS });
        const first = messages(decideOnStack(stack, I)).map(m => m.split("\n")[0]).sort();
        assert.deepStrictEqual(first.map(l => l.replace(/"[a-z-]*(host|container)"/, "$1")), [
            "Found: Databricks subnet container (azure-native:network:Subnet) has no route table.",
            "Found: Databricks subnet host (azure-native:network:Subnet) has no route table.",
        ]);
    });

    it("a NAT gateway is named as the subnet's, not the route table's", async () => {
        const stack = await runProgram(() => routedWorkspace({ host: "empty", container: "firewall", natGateway: true }), { preview: false, outputs: FIREWALL_OUTPUTS });
        const m = messages(decideOnStack(stack, I));
        assert.strictEqual(m.length, 1, m.join("\n"));
        assert.match(m[0], /route table .*, which has no routes \(the subnet has a NAT gateway, which translates addresses but inspects nothing\)/);
    });

    it("a serverless-only workspace: no classic compute plane to route", async () => {
        const v = await decideOn(() => new databricks.Workspace("sl", {
            resourceGroupName: "rg", location: "westeurope", workspaceName: "sl", sku: { name: "premium" }, computeMode: "Serverless",
        } as databricks.WorkspaceArgs), I);
        assert.match(v.notApplicable(F) ?? "", /serverless-only workspace \(computeMode "Serverless"\): no classic compute plane/);
    });
});
