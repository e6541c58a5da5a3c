// The kind → level mapping, the rule that throws, and requireEvidenceInStack as configuration,
// through the one decision function (in process).

import * as assert from "assert";
import { decide, reported } from "../../../policies/core/evaluation/verdicts";
import { levelOf } from "../../../policies/core/evaluation/evaluate";
import { ConfigError, parseFeatureConfig } from "../../../policies/core/evaluation/config";
import { message } from "../../../policies/core/evaluation/render";
import { REASONS, FeatureModule, reasonOf } from "../../../policies/core/rules/contract";
import { StackModel } from "../../../policies/core/model/stack";
import { serverlessEgressControl } from "../../../policies/outbound/serverless-egress-control";
import { externalFirewall } from "../../../policies/outbound/external-firewall";
import { policyPackArgs } from "../../../policies/pack";
import { tierConfigFile } from "../../../support/generated-files";
import { settingsFor } from "../../../support/verdicts";

describe("reasons and levels", () => {
    it("maps each reason to its level: wrong and missing block a mandatory feature, outside and secret only when strict, unknown never", () => {
        const table = REASONS.map(k => [k, levelOf(k, "mandatory", { requireEvidenceInStack: false }), levelOf(k, "mandatory", { requireEvidenceInStack: true }), levelOf(k, "advisory", { requireEvidenceInStack: true })]);
        assert.deepStrictEqual(table, [
            ["wrong", "mandatory", "mandatory", "advisory"],
            ["missing", "mandatory", "mandatory", "advisory"],
            ["outside", "advisory", "mandatory", "advisory"],
            ["unknown", "advisory", "advisory", "advisory"],
            ["secret", "advisory", "mandatory", "advisory"],
        ]);
    });

    it("derives a finding's reason when the rule gives none", () => {
        assert.strictEqual(reasonOf({ status: "fail" }), "wrong");
        assert.strictEqual(reasonOf({ status: "fail", reason: "missing" }), "missing");
        assert.strictEqual(reasonOf({ status: "unverified" }), "unknown");
        assert.strictEqual(reasonOf({ status: "unverified", reason: "outside" }), "outside");
        assert.strictEqual(reasonOf({ status: "pass" }), undefined);
        assert.strictEqual(reasonOf({ status: "note" }), undefined);
    });

    describe("a rule that throws", () => {
        const model = new StackModel([{ urn: "urn:pulumi:dev::p::azure-native:databricks:Workspace::ws", type: "azure-native:databricks:Workspace", name: "ws", props: { location: "westeurope" } }]);
        const throwing = (f: FeatureModule): FeatureModule => ({ ...f, evaluate: () => { throw new Error("cannot read properties of undefined (reading 'x')"); } });

        it("is mandatory for a required feature, says to report it and how to attest meanwhile; attested, advisory", () => {
            const r = reported(decide([throwing(serverlessEgressControl)], model, settingsFor({ tier: "hardened-connectivity" }), undefined));
            assert.strictEqual(r.length, 1);
            assert.strictEqual(r[0].level, "mandatory");
            assert.strictEqual(r[0].reason, "missing");
            const text = message(r[0]);
            assert.match(text, /the rule could not evaluate this stack \(cannot read properties of undefined \(reading 'x'\)\)/);
            assert.match(text, /Report this as a bug in the policy pack/);
            assert.match(text, /attest it: set "serverless-egress-control"/);
            const attested = reported(decide([throwing(serverlessEgressControl)], model, settingsFor({ tier: "hardened-connectivity", config: { "serverless-egress-control": { attestations: [{ reason: "reviewed by hand" }] } } }), undefined));
            assert.deepStrictEqual(attested.map(x => [x.level, x.status]), [["advisory", "attested"]]);
        });

        it("is advisory for an optional feature", () => {
            const r = reported(decide([throwing(externalFirewall)], model, settingsFor({ tier: "hardened-connectivity" }), undefined));
            assert.deepStrictEqual(r.map(x => x.level), ["advisory"]);
        });
    });

    describe("requireEvidenceInStack", () => {
        it("parses true and false, defaults to false, and refuses anything else naming the field", () => {
            assert.strictEqual(parseFeatureConfig({}, "vnet-injection").requireEvidenceInStack, false);
            assert.strictEqual(parseFeatureConfig({ requireEvidenceInStack: true }, "vnet-injection").requireEvidenceInStack, true);
            for (const bad of ["true", 1, null, {}]) {
                assert.throws(() => parseFeatureConfig({ requireEvidenceInStack: bad }, "vnet-injection"),
                    (e: unknown) => e instanceof ConfigError && /^vnet-injection\.requireEvidenceInStack must be true or false; got /.test(e.message));
            }
        });

        it("is set once in the library, on every policy; a bad value throws naming the option", () => {
            const { initialConfig } = policyPackArgs({ tier: "isolated-environment", requireEvidenceInStack: true });
            const features = Object.entries(initialConfig).filter(([name]) => name !== "tier-tag");
            assert.ok(features.length > 10 && features.every(([, c]) => (c as { requireEvidenceInStack?: boolean }).requireEvidenceInStack === true), JSON.stringify(initialConfig));
            assert.throws(() => policyPackArgs({ requireEvidenceInStack: "yes" as unknown as boolean }), /options\.requireEvidenceInStack must be true or false/);
            const off = policyPackArgs({}).initialConfig["vnet-injection"] as { requireEvidenceInStack?: boolean };
            assert.strictEqual(off.requireEvidenceInStack, false);
        });

        it("workspaceStorageAccounts is a list of strings, refused otherwise naming the field", () => {
            assert.deepStrictEqual(parseFeatureConfig({ workspaceStorageAccounts: ["lake"] }, "cloud-service-private-access").workspaceStorageAccounts, ["lake"]);
            assert.throws(() => parseFeatureConfig({ workspaceStorageAccounts: "lake" }, "cloud-service-private-access"), /cloud-service-private-access\.workspaceStorageAccounts must be a list of non-empty strings/);
            assert.throws(() => policyPackArgs({ workspaceStorageAccounts: [""] }), /options\.workspaceStorageAccounts must be a list of non-empty strings/);
        });

        it("is written out, off, in the pack-wide entry of the ready-made files", () => {
            const file = JSON.parse(tierConfigFile("hardened-connectivity")) as Record<string, { requireEvidenceInStack?: boolean }>;
            assert.ok(Object.values(file).every(c => c.requireEvidenceInStack === false), JSON.stringify(file));
        });
    });
});
