// Pass/fail cases of account-ip-access-lists (fixtures/cases.ts says how they run).

import * as pulumi from "@pulumi/pulumi";
import * as network from "@pulumi/azure-native/network";
import * as databricks from "@pulumi/databricks";
import { FeatureCases, FeatureCase, Expected, TierExpectation, advisory, attested, beforeCreation, mandatory, note } from "../../../fixtures/cases";
import { nativeWorkspace } from "../../../fixtures/native";
import { accountIpAccessList, allowFrom, classicWorkspace, ingressPolicy, IngressOptions, recipient, WORKSPACE_DOORS } from "../../../fixtures/inbound";
import { SECRET_MASK } from "../../core/model/values";

const F = "account-ip-access-lists";
const ATTEST = { [F]: { attestations: [{ reason: "account IP access lists enabled by the security team", reference: "SEC-142" }] } };

/** The same findings at both tiers that require the feature. */
function required(e: TierExpectation): FeatureCase["expect"] {
    return { "hardened-connectivity": e, "isolated-environment": e };
}

/** account-policy's own ingress admits everyone: refused before creation, and no attestation covers it. */
const refused: Expected[] = [beforeCreation(mandatory("wrong", "acct"))];

function wrongIngress(what: string, o: IngressOptions): FeatureCase {
    return {
        name: `account-policy whose ingress ${what} fails before creation, attested or not, at update and preview`,
        program: () => ingressPolicy("acct", o),
        mode: "both",
        config: ATTEST,
        expect: { "hardened-connectivity": refused },
    };
}

/** account-policy with ranges that depend on the workspace's ID (unknown until apply at preview). */
function rangesAfterApply(ranges: string[]): () => void {
    return () => {
        const ws = nativeWorkspace().workspace;
        ingressPolicy("acct", { allowRules: [allowFrom(ws.id.apply(() => ranges))] });
    };
}

const BREAK_GLASS = { label: "break-glass", origin: { allIpRanges: true } };
const SELECTED = { identityType: "IDENTITY_TYPE_SELECTED_IDENTITIES", identities: [{ principalId: "42", principalType: "PRINCIPAL_TYPE_USER" }] };

export const cases: FeatureCases = {
    feature: F,
    cases: [
        // Nothing in the stack restricts the account console: missing until attested.
        {
            name: "an azure-native workspace and nothing that restricts the account console: missing (mandatory) for the stack",
            program: () => nativeWorkspace(),
            expect: { "managed-security": "not-applicable", ...required([mandatory("missing")]) },
        },
        {
            name: "a classic @pulumi/azure workspace and nothing that restricts the account console: missing (mandatory)",
            program: () => classicWorkspace(),
            expect: { "hardened-connectivity": [mandatory("missing")] },
        },
        {
            name: "an attestation covers the missing account IP access lists",
            program: () => nativeWorkspace(),
            config: ATTEST,
            expect: required([attested("missing")]),
        },
        {
            name: "a stack of Databricks resources without a workspace is judged too",
            program: () => recipient("partner", "DATABRICKS"),
            expect: { "hardened-connectivity": [mandatory("missing")] },
        },
        {
            name: "a stack with neither a workspace nor Databricks resources is not judged",
            program: () => new network.VirtualNetwork("lonely", { resourceGroupName: "rg", addressSpace: { addressPrefixes: ["10.0.0.0/16"] } }),
            expect: { "hardened-connectivity": "not-applicable" },
        },

        // The Premium prerequisite: a failure of the workspace's own SKU that no attestation covers.
        {
            name: "a Standard workspace fails the Premium prerequisite even with the account lists attested",
            program: () => nativeWorkspace({ sku: "standard" }),
            config: ATTEST,
            expect: { "hardened-connectivity": [mandatory("wrong", "prod-ws"), attested("missing")] },
        },

        // Legacy account IP access list resources (no resource in @pulumi/databricks today).
        {
            name: "an enabled account ALLOW list of specific ranges passes",
            program: () => { nativeWorkspace(); accountIpAccessList("corp", { label: "corp", listType: "ALLOW", ipAddresses: ["203.0.113.0/24"] }); },
            expect: required([]),
        },
        {
            name: "an account ALLOW list of 0.0.0.0/0 fails on the list, attested or not",
            program: () => { nativeWorkspace(); accountIpAccessList("open", { label: "open", listType: "ALLOW", ipAddresses: ["0.0.0.0/0"] }); },
            config: ATTEST,
            expect: required([mandatory("wrong", "open")]),
        },
        {
            name: "only a disabled account ALLOW list fails on the list",
            program: () => { nativeWorkspace(); accountIpAccessList("off", { label: "off", listType: "ALLOW", enabled: false, ipAddresses: ["203.0.113.0/24"] }); },
            expect: { "hardened-connectivity": [mandatory("wrong", "off")] },
        },
        {
            name: "an account list whose addresses are unknown at preview is unverified (advisory)",
            program: () => {
                nativeWorkspace();
                const ip = new network.PublicIPAddress("egress", { resourceGroupName: "rg-dbx", publicIpAddressName: "egress" });
                accountIpAccessList("egress-list", { label: "egress", listType: "ALLOW", ipAddresses: [ip.ipAddress] });
            },
            mode: "preview",
            expect: { "hardened-connectivity": [advisory("unknown", "egress-list")] },
        },

        // Context-based ingress control on account-policy.
        {
            name: "account-policy restricted to specific ranges passes without attestation in an account stack",
            program: () => ingressPolicy("acct"),
            mode: "both",
            expect: required([]),
        },
        {
            name: "account-policy restricted to specific ranges passes beside a workspace",
            program: () => { nativeWorkspace(); ingressPolicy("acct"); },
            mode: "both",
            expect: { "hardened-connectivity": [] },
        },
        wrongIngress("is FULL_ACCESS", { restrictionMode: "FULL_ACCESS" }),
        wrongIngress("allows allIpRanges to the account console", { allowRules: [{ origin: { allIpRanges: true }, destination: { accountUi: { allDestinations: true } } }] }),
        wrongIngress("allows every address but some (excludedIpRanges)", { allowRules: [{ origin: { excludedIpRanges: { ipRanges: ["198.51.100.0/24"] } } }] }),
        wrongIngress("allows 0.0.0.0/1 and 128.0.0.0/1 in one rule", { allowRules: [allowFrom(["0.0.0.0/1", "128.0.0.0/1"])] }),
        wrongIngress("restricts only in ingressDryRun", { dryRunOnly: true }),
        wrongIngress("has a rule without origin", { allowRules: [{ label: "x", destination: { accountApi: { scopes: ["all-apis"] } } }] }),
        // Allow rules are alternatives: ranges of separate rules that together cover every address restrict nothing.
        wrongIngress("allows 0.0.0.0/1 and 128.0.0.0/1 in two rules", { allowRules: [allowFrom(["0.0.0.0/1"], undefined, "a"), allowFrom(["128.0.0.0/1"], { allDestinations: true }, "b")] }),
        {
            name: "two halves of IPv4 in two rules, one of them for selected identities only: no one is admitted from everywhere, the policy passes",
            program: () => ingressPolicy("acct", { allowRules: [allowFrom(["0.0.0.0/1"], undefined, "a"), { ...allowFrom(["128.0.0.0/1"], { allDestinations: true }, "b"), authentication: SELECTED }] }),
            mode: "both",
            expect: { "hardened-connectivity": [] },
        },
        {
            name: "account-policy declared without ingress: still missing (mandatory), on the policy",
            program: () => new databricks.AccountNetworkPolicy("acct", { networkPolicyId: "account-policy", egress: { networkAccess: { restrictionMode: "RESTRICTED_ACCESS" } } }),
            expect: { "hardened-connectivity": [mandatory("missing", "acct")] },
        },
        {
            name: "account-policy declared without ingress, the account lists attested",
            program: () => new databricks.AccountNetworkPolicy("acct", { networkPolicyId: "account-policy", egress: { networkAccess: { restrictionMode: "RESTRICTED_ACCESS" } } }),
            config: ATTEST,
            expect: { "hardened-connectivity": [attested("missing", "acct")] },
        },
        {
            name: "account rules in another network policy are refused before creation and are no evidence",
            program: () => ingressPolicy("other", { networkPolicyId: "restricted-ws" }),
            expect: { "hardened-connectivity": [beforeCreation(mandatory("wrong", "other")), mandatory("missing")] },
        },
        {
            name: "an allIpRanges rule for selected identities is a named exception (a note), not a catch-all",
            program: () => ingressPolicy("acct", { allowRules: [allowFrom(["203.0.113.0/24"]), { ...BREAK_GLASS, authentication: SELECTED }] }),
            expect: { "hardened-connectivity": [note("acct")] },
        },
        {
            name: "the same allIpRanges rule for every identity admits everyone",
            program: () => ingressPolicy("acct", { allowRules: [allowFrom(["203.0.113.0/24"]), BREAK_GLASS] }),
            expect: { "hardened-connectivity": refused },
        },
        {
            name: "a catch-all rule to the workspace doors only, in account-policy, does not reach the account console",
            program: () => ingressPolicy("acct", { allowRules: [allowFrom(["203.0.113.0/24"]), { origin: { allIpRanges: true }, destination: WORKSPACE_DOORS }] }),
            expect: { "hardened-connectivity": [] },
        },
        {
            name: "a catch-all rule to Databricks One at account level admits everyone to an account door",
            program: () => ingressPolicy("acct", { allowRules: [allowFrom(["203.0.113.0/24"]), { origin: { allIpRanges: true }, destination: { accountDatabricksOne: { allDestinations: true } } }] }),
            expect: { "hardened-connectivity": refused },
        },
        {
            name: "account-policy ranges unknown at preview are unverified (advisory)",
            program: rangesAfterApply(["0.0.0.0/0"]),
            mode: "preview",
            expect: { "hardened-connectivity": [advisory("unknown", "acct")] },
        },
        {
            name: "the same ranges, known at update as 0.0.0.0/0, are refused before creation",
            program: rangesAfterApply(["0.0.0.0/0"]),
            expect: { "hardened-connectivity": refused },
        },
        {
            name: "the same ranges, known at update as specific ranges, pass",
            program: rangesAfterApply(["203.0.113.0/24"]),
            expect: { "hardened-connectivity": [] },
        },
        {
            name: "a restricting policy whose ID is unknown at preview (maybe account-policy) is unverified (advisory)",
            program: () => {
                const ws = nativeWorkspace().workspace;
                ingressPolicy("acct", { networkPolicyId: ws.id.apply(() => "account-policy") });
            },
            mode: "preview",
            expect: { "hardened-connectivity": [advisory("unknown", "acct")] },
        },
        {
            name: "account-policy ranges that are not IPv4 CIDRs are refused before creation",
            program: () => ingressPolicy("acct", { allowRules: [allowFrom(["203.0.113.0/24", "10.0.0/8"])] }),
            expect: { "hardened-connectivity": refused },
        },
        {
            name: "ranges masked as the CLI masks an undecrypted secret are secret (advisory), never a pass",
            program: () => ingressPolicy("acct", { allowRules: [allowFrom([SECRET_MASK])] }),
            expect: { "hardened-connectivity": [advisory("secret", "acct")] },
        },
        {
            name: "secret ranges are read like any other value once decrypted: a secret 0.0.0.0/0 is refused",
            program: () => ingressPolicy("acct", { allowRules: [allowFrom(pulumi.secret(["0.0.0.0/0"]))] }),
            expect: { "hardened-connectivity": refused },
        },
    ],
};
