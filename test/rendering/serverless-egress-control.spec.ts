// serverless-egress-control in wording: what a stack without account-level resources is told to
// add and how to attest it (policy pack configuration and library), and the fix of an open policy
// (its verdicts are cases beside the feature).

import * as assert from "assert";
import { decideOn, InProcessVerdict } from "../../support/verdicts";
import { nativeWorkspace } from "../../fixtures/native";
import { egressPolicy, networkOption } from "../../fixtures/outbound";

const F = "serverless-egress-control";
const H = { tier: "hardened-connectivity" as const };
const messagesOf = (v: InProcessVerdict) => v.diagnostics().filter(d => d.policyName === F).map(d => d.message);

describe(`${F} in wording`, () => {
    it("with no account-level resources: says what the stack lacks, what to add and how to attest", async () => {
        const v = await decideOn(() => nativeWorkspace(), H);
        const m = v.diagnostics().filter(d => d.policyName === F).map(d => d.message);
        assert.strictEqual(m.length, 1, v.toString());
        assert.match(m[0], /Found: this stack declares no account network policy or workspace network option/);
        assert.match(m[0], /Fix: declare a restricted policy and apply it: .*new databricks\.WorkspaceNetworkOption/);
        assert.match(m[0], /attest it: set "serverless-egress-control": \{"attestations"/);
        assert.match(m[0], /library: `attestations: \{ "serverless-egress-control": \[\{ reason: "…" \}\] \}`/);
    });

    it("a FULL_ACCESS policy: the first line says which option applies which policy and what it allows; fixed with RESTRICTED_ACCESS", async () => {
        const v = await decideOn(() => networkOption("opt", nativeWorkspace().workspace, egressPolicy("open", { restrictionMode: "FULL_ACCESS" })), H);
        const m = messagesOf(v);
        assert.strictEqual(m.length, 1, v.toString());
        assert.match(m[0], /^Found: "opt" \(databricks:index\/workspaceNetworkOption:WorkspaceNetworkOption\) applies policy "open" \([^)]*\), which has egress restrictionMode "FULL_ACCESS" \(serverless compute may reach any destination\)\.\n/);
        assert.doesNotMatch(m[0], /DRY_RUN/);
        assert.match(m[0], /Fix: .*RESTRICTED_ACCESS/);
    });

    it("FULL_ACCESS in DRY_RUN: says both, and what dry run leaves unblocked", async () => {
        const m = messagesOf(await decideOn(() => networkOption("opt", nativeWorkspace().workspace, egressPolicy("open", { restrictionMode: "FULL_ACCESS", enforcementMode: "DRY_RUN" })), H));
        assert.strictEqual(m.length, 1, m.join("\n"));
        assert.match(m[0], /^Found: .*restrictionMode "FULL_ACCESS" \(serverless compute may reach any destination\); its enforcementMode is "DRY_RUN" as well: every product only logs violations \(no dryRunModeProductFilters\)\.\n/);
    });

    it("DRY_RUN with dryRunModeProductFilters: names the products that only log", async () => {
        const m = messagesOf(await decideOn(() => networkOption("opt", nativeWorkspace().workspace, egressPolicy("dry", { enforcementMode: "DRY_RUN", dryRunProducts: ["SQL", "ML_SERVING"] })), H));
        assert.strictEqual(m.length, 1, m.join("\n"));
        assert.match(m[0], /^Found: .*which restricts egress in enforcementMode "DRY_RUN": the products its dryRunModeProductFilters names \("SQL", "ML_SERVING"\) only log violations; the others are enforced\.\n/);
    });

    it("ENFORCED with dryRunModeProductFilters: passes, with a note on what the filter means", async () => {
        const v = await decideOn(() => networkOption("opt", nativeWorkspace().workspace, egressPolicy("enforced", { enforcementMode: "ENFORCED", dryRunProducts: ["SQL"] })), H);
        assert.deepStrictEqual(v.findings(F, "mandatory"), [], v.toString());
        const m = messagesOf(v);
        assert.strictEqual(m.length, 1, m.join("\n"));
        assert.match(m[0], /^Note: policy "enforced" .* is enforced and its dryRunModeProductFilters names "SQL": the provider documents the filter as the products kept in dry run .* under "ENFORCED", which blocks traffic that violates the policy, the filter keeps nothing in dry run\.\n/);
    });
});
