// Context-based ingress control (AccountNetworkPolicy.ingress) as evidence of the account and the
// workspace front doors, through the engine: recorded programs, preview and update.

import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";
import { check, Verdicts } from "../harness/check";
import { nativeWorkspace } from "../../support/fixtures/native";
import { allowFrom, classicWorkspace, ingressPolicy, ipAccessLists, recipient, WORKSPACE_DOORS } from "../../support/fixtures/inbound";
import { networkOption, workspaceIdOf } from "../../support/fixtures/outbound";
import { decideOn } from "../../support/verdicts";
import { SECRET_MASK } from "../../policies/core/model/values";

function governedMasked(): void {
    const ws = nativeWorkspace().workspace;
    networkOption("opt", ws, ingressPolicy("p", { networkPolicyId: "ws-ingress", allowRules: [allowFrom([SECRET_MASK], WORKSPACE_DOORS)] }));
}

const ACCOUNT = "account-ip-access-lists";
const WS = "workspace-ip-access-lists";
const HARD = { tier: "hardened-connectivity" as const };
const ATTEST_ACCOUNT = { [ACCOUNT]: { attestations: [{ reason: "account IP access lists in the console" }] } };

function passes(v: Verdicts, feature: string): void {
    assert.strictEqual(v.notApplicable(feature), undefined, `${feature} evaluated`);
    assert.deepStrictEqual(v.mandatory(feature), [], v.toString());
}

function refused(v: Verdicts, feature: string, says: RegExp): void {
    const m = v.mandatory(feature).filter(d => says.test(d.message));
    assert.ok(m.length >= 1, `no mandatory ${feature} matching ${says}\n${v.toString()}`);
}

describe("context-based ingress control", () => {
    describe("account-ip-access-lists: account-policy in the stack", () => {
        it("restricted to specific ranges passes with no attestation, at update and preview, in an account stack and beside a workspace", async () => {
            for (const preview of [false, true]) {
                const alone = await check(() => ingressPolicy("acct"), { ...HARD, preview });
                passes(alone, ACCOUNT);
                assert.deepStrictEqual(alone.of(ACCOUNT), [], alone.toString());
                const beside = await check(() => { nativeWorkspace(); ingressPolicy("acct"); }, { ...HARD, preview });
                assert.deepStrictEqual(beside.of(ACCOUNT), [], beside.toString());
            }
        });

        it("the stack's own wrong values fail and no attestation covers them", async () => {
            const cases: [string, () => unknown, RegExp][] = [
                ["FULL_ACCESS", () => ingressPolicy("acct", { restrictionMode: "FULL_ACCESS" }), /restrictionMode "FULL_ACCESS"/],
                ["allIpRanges", () => ingressPolicy("acct", { allowRules: [{ origin: { allIpRanges: true }, destination: { accountUi: { allDestinations: true } } }] }), /admits every address \(allIpRanges\)/],
                ["excludedIpRanges", () => ingressPolicy("acct", { allowRules: [{ origin: { excludedIpRanges: { ipRanges: ["198.51.100.0/24"] } } }] }), /every public address but 198\.51\.100\.0\/24 \(excludedIpRanges\)/],
                ["split catch-all", () => ingressPolicy("acct", { allowRules: [allowFrom(["0.0.0.0/1"], undefined, "a"), allowFrom(["128.0.0.0/1"], { allDestinations: true }, "b")] }), /every IPv4 address \(0\.0\.0\.0\/1\)|together cover/],
                ["split in one rule", () => ingressPolicy("acct", { allowRules: [allowFrom(["0.0.0.0/1", "128.0.0.0/1"])] }), /0\.0\.0\.0\/1, 128\.0\.0\.0\/1 together cover the whole space/],
                ["dry run only", () => ingressPolicy("acct", { dryRunOnly: true }), /only in ingressDryRun, which logs requests and restricts nothing/],
                ["no origin", () => ingressPolicy("acct", { allowRules: [{ label: "x", destination: { accountApi: { scopes: ["all-apis"] } } }] }), /admits every address \(it sets no origin\)/],
            ];
            for (const [what, program, says] of cases) {
                for (const preview of [false, true]) {
                    const v = await check(program, { ...HARD, preview, config: ATTEST_ACCOUNT });
                    if (what === "split catch-all") {
                        // Two rules each admitting half: each alone is specific, so the policy restricts.
                        passes(v, ACCOUNT);
                        continue;
                    }
                    refused(v, ACCOUNT, says);
                    assert.ok(v.mandatory(ACCOUNT).every(d => d.policyName === `${ACCOUNT}-resource`), `${what}: refused before creation, once\n${v.toString()}`);
                }
            }
        });

        it("missing account-policy: mandatory until attested, saying how to declare it and how to attest", async () => {
            const v = await check(() => nativeWorkspace(), HARD);
            const [m] = v.mandatory(ACCOUNT);
            assert.match(m.message, /networkPolicyId: "account-policy"/);
            assert.match(m.message, /import: "account-policy"/);
            assert.match(m.message, /"account-ip-access-lists": \{"attestations"/);
            const attested = await check(() => nativeWorkspace(), { ...HARD, config: ATTEST_ACCOUNT });
            assert.deepStrictEqual(attested.mandatory(ACCOUNT), []);
            // Declared without ingress: still missing (the console's lists may restrict), and says so.
            const bare = await check(() => new databricks.AccountNetworkPolicy("acct", { networkPolicyId: "account-policy", egress: { networkAccess: { restrictionMode: "RESTRICTED_ACCESS" } } }), HARD);
            refused(bare, ACCOUNT, /policy "acct" .* sets no ingress, so nothing in this stack restricts the account console/);
        });

        it("account rules in another policy are not evidence, and the API would refuse them", async () => {
            const v = await check(() => ingressPolicy("other", { networkPolicyId: "restricted-ws" }), HARD);
            refused(v, ACCOUNT, /names account destinations .* which the API accepts only in account-policy/);
            refused(v, ACCOUNT, /does not declare the account's account-policy .* not evidence: the API accepts them only in account-policy/);
        });

        it("a rule for selected identities is a named exception, not a catch-all", async () => {
            const v = await check(() => ingressPolicy("acct", { allowRules: [allowFrom(["203.0.113.0/24"]), { label: "break-glass", origin: { allIpRanges: true }, authentication: { identityType: "IDENTITY_TYPE_SELECTED_IDENTITIES", identities: [{ principalId: "42", principalType: "PRINCIPAL_TYPE_USER" }] } }] }), HARD);
            passes(v, ACCOUNT);
            assert.ok(v.advisory(ACCOUNT).some(d => /named exceptions: allow rule "break-glass" admits every address \(allIpRanges\) for 1 selected identity only/.test(d.message)), v.toString());
        });

        it("a workspace-only catch-all rule in account-policy does not reach the account console", async () => {
            passes(await check(() => ingressPolicy("acct", { allowRules: [allowFrom(["203.0.113.0/24"]), { origin: { allIpRanges: true }, destination: WORKSPACE_DOORS }] }), HARD), ACCOUNT);
        });

        it("ranges or a policy ID unknown until apply: advisory, judged again when known", async () => {
            const v = await check(() => {
                const ws = nativeWorkspace().workspace;
                ingressPolicy("acct", { allowRules: [allowFrom(ws.id.apply(() => ["0.0.0.0/0"]))] });
            }, { ...HARD, preview: true });
            assert.deepStrictEqual(v.mandatory(ACCOUNT), [], v.toString());
            assert.ok(v.advisory(ACCOUNT).some(d => /unknown until apply/.test(d.message)), v.toString());
            const known = await check(() => {
                const ws = nativeWorkspace().workspace;
                ingressPolicy("acct", { allowRules: [allowFrom(ws.id.apply(() => ["0.0.0.0/0"]))] });
            }, HARD);
            refused(known, ACCOUNT, /0\.0\.0\.0\/0/);
            const id = await check(() => {
                const ws = nativeWorkspace().workspace;
                ingressPolicy("acct", { networkPolicyId: ws.id.apply(() => "account-policy") });
            }, { ...HARD, preview: true });
            assert.deepStrictEqual(id.mandatory(ACCOUNT), [], id.toString());
            assert.ok(id.advisory(ACCOUNT).some(d => /whether it is account-policy is unknown until apply/.test(d.message)), id.toString());
        });
    });

    describe("workspace-ip-access-lists: the ingress of the policy that governs the workspace", () => {
        const governed = (mode: string, rules?: ReturnType<typeof allowFrom>[], classic = false) => () => {
            const ws = classic ? classicWorkspace() : nativeWorkspace().workspace;
            const p = ingressPolicy("ws-policy", { networkPolicyId: "ws-ingress", restrictionMode: mode, allowRules: rules ?? [allowFrom(["203.0.113.0/24"], WORKSPACE_DOORS)] });
            networkOption("ws-option", ws, p);
            return ws;
        };

        it("restricted public access proves the feature with no IP access lists, both providers, preview and update", async () => {
            for (const classic of [false, true]) {
                for (const preview of [false, true]) {
                    const v = await check(governed("RESTRICTED_ACCESS", undefined, classic), { ...HARD, preview });
                    passes(v, WS);
                    assert.deepStrictEqual(v.of(WS), [], `classic ${classic} preview ${preview}\n${v.toString()}`);
                }
            }
        });

        it("default-policy governs a workspace without an option", async () => {
            const v = await check(() => { nativeWorkspace(); ingressPolicy("def", { networkPolicyId: "default-policy", allowRules: [allowFrom(["203.0.113.0/24"], { allDestinations: true })] }); }, HARD);
            assert.deepStrictEqual(v.of(WS), [], v.toString());
        });

        it("FULL_ACCESS or a catch-all rule with no IP access lists: mandatory, naming the policy", async () => {
            for (const [mode, rules, says] of [
                ["FULL_ACCESS", undefined, /restrictionMode "FULL_ACCESS"/],
                ["RESTRICTED_ACCESS", [{ origin: { allIpRanges: true } }], /admits every address \(allIpRanges\)/],
                ["RESTRICTED_ACCESS", [allowFrom(["0.0.0.0/1", "128.0.0.0/1"], WORKSPACE_DOORS)], /together cover the whole space/],
            ] as const) {
                const v = await check(governed(mode, rules as ReturnType<typeof allowFrom>[] | undefined), HARD);
                refused(v, WS, says);
            }
        });

        it("either gate restricting is enough; a catch-all in the other gate is a note naming it", async () => {
            const listsAndOpenPolicy = await check(() => ipAccessLists(governed("FULL_ACCESS")()), HARD);
            assert.deepStrictEqual(listsAndOpenPolicy.mandatory(WS), [], listsAndOpenPolicy.toString());
            assert.ok(listsAndOpenPolicy.advisory(WS).some(d => /"ws-policy".*FULL_ACCESS.*the IP access lists restrict/.test(d.message)), listsAndOpenPolicy.toString());
            const policyAndOpenList = await check(() => ipAccessLists(governed("RESTRICTED_ACCESS")(), { conf: "false", lists: [{ listType: "ALLOW", ipAddresses: ["0.0.0.0/0"] }] }), HARD);
            assert.deepStrictEqual(policyAndOpenList.mandatory(WS), [], policyAndOpenList.toString());
            assert.ok(policyAndOpenList.advisory(WS).some(d => /allows 0\.0\.0\.0\/0.*so the workspace's public access is restricted/.test(d.message)), policyAndOpenList.toString());
            // Without the restricting policy the same list is mandatory.
            refused(await check(() => ipAccessLists(nativeWorkspace().workspace, { lists: [{ listType: "ALLOW", ipAddresses: ["0.0.0.0/0"] }] }), HARD), WS, /allows 0\.0\.0\.0\/0/);
        });

        it("several workspaces bound to different policies are each judged by their own", async () => {
            const v = await check(() => {
                const a = nativeWorkspace({ name: "a" }).workspace;
                const b = nativeWorkspace({ name: "b" }).workspace;
                networkOption("a-opt", a, ingressPolicy("a-pol", { networkPolicyId: "a-ingress", allowRules: [allowFrom(["203.0.113.0/24"], WORKSPACE_DOORS)] }));
                networkOption("b-opt", b, ingressPolicy("b-pol", { networkPolicyId: "b-ingress", restrictionMode: "FULL_ACCESS" }));
            }, HARD);
            assert.ok(v.mandatory(WS).every(d => d.urn === v.urn("b-ws")), v.toString());
            assert.ok(v.mandatory(WS).length > 0, v.toString());
        });

        it("a governing policy outside the stack is never evidence alone: the lists stay required, the policy named", async () => {
            const v = await check(() => networkOption("opt", nativeWorkspace().workspace, "policy-of-the-account-stack"), HARD);
            refused(v, WS, /network policy "policy-of-the-account-stack", which is not declared in this stack/);
        });

        it("ingress unknown until apply leaves the workspace advisory, and the known values decide", async () => {
            const program = (ranges: string[]) => () => {
                const ws = nativeWorkspace().workspace;
                networkOption("opt", ws, ingressPolicy("p", { networkPolicyId: "ws-ingress", allowRules: [allowFrom(workspaceIdOf(ws).apply(() => ranges), WORKSPACE_DOORS)] }));
            };
            const preview = await check(program(["0.0.0.0/0"]), { ...HARD, preview: true });
            assert.deepStrictEqual(preview.mandatory(WS), [], preview.toString());
            assert.ok(preview.advisory(WS).some(d => /unknown until apply/.test(d.message)), preview.toString());
            refused(await check(program(["0.0.0.0/0"]), HARD), WS, /admits every IPv4 address|0\.0\.0\.0\/0/);
            assert.deepStrictEqual((await check(program(["203.0.113.0/24"]), HARD)).mandatory(WS), []);
        });
    });

    describe("allow lists that admit everything in pieces", () => {
        it("a workspace IP access list and a Delta Sharing recipient of 0.0.0.0/1 + 128.0.0.0/1 fail, naming both ranges", async () => {
            const v = await check(() => {
                ipAccessLists(nativeWorkspace().workspace, { lists: [{ listType: "ALLOW", ipAddresses: ["0.0.0.0/1", "128.0.0.0/1"] }] });
                recipient("partner", "TOKEN", ["::/1", "8000::/1"]);
            }, HARD);
            refused(v, WS, /0\.0\.0\.0\/1 \+ 128\.0\.0\.0\/1, which together cover every address/);
            refused(v, "delta-sharing-ip-access-lists", /::\/1 \+ 8000::\/1 together cover every IPv6 address/);
        });

        it("malformed ranges are named, never a crash", async () => {
            const v = await check(() => recipient("partner", "TOKEN", ["203.0.113.0/24", "203.0.113.300"]), HARD);
            refused(v, "delta-sharing-ip-access-lists", /not IP addresses or CIDR ranges: 203\.0\.113\.300/);
            const acct = await check(() => ingressPolicy("acct", { allowRules: [allowFrom(["203.0.113.0/24", "10.0.0/8"])] }), HARD);
            refused(acct, ACCOUNT, /not IPv4 CIDRs: 10\.0\.0\/8/);
        });
    });

    it("ranges masked as the CLI masks a secret it does not decrypt (\"[secret]\", pkg/backend/display/json.go): advisory, never a pass", async () => {
        for (const [feature, program] of [
            [ACCOUNT, () => ingressPolicy("acct", { allowRules: [allowFrom([SECRET_MASK])] })],
            [WS, governedMasked],
        ] as const) {
            const v = await decideOn(program, HARD);
            assert.deepStrictEqual(v.mandatory(feature), [], v.toString());
            assert.ok(v.advisory(feature).some(r => r.outcome?.kind === "unknown" && /secret \(not readable here\)/.test(r.outcome.found)), `${feature}\n${v.toString()}`);
        }
    });

    it("secret ranges are read like any other value once the engine decrypts them", async () => {
        const v = await check(() => ingressPolicy("acct", { allowRules: [allowFrom(pulumi.secret(["0.0.0.0/0"]))] }), HARD);
        refused(v, ACCOUNT, /0\.0\.0\.0\/0/);
    });
});
