// A first preview carries values computed at apply, so a secret among them is not reworded
// stack-wide: each rule must say itself that a value it could not read is secret, and that one
// computed at apply is unknown until apply. Judged through the check command on `pulumi preview --json`.

import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCommand as run } from "../harness/command";
import { TierId } from "../../policies";
import { SIG_KEY } from "../../policies/core/model/values";
import { previewJson } from "../../support/documents";
import { RecordedStack, runProgram } from "../../support/program";
import { nativeWorkspace } from "../../fixtures/native";
import { allowFrom, ingressPolicy, ipAccessLists, WORKSPACE_DOORS } from "../../fixtures/inbound";
import { egressPolicy, ncc, nccBinding, networkOption } from "../../fixtures/outbound";
import { dataStorage, externalLocation, routedWorkspace } from "../../fixtures/outbound-network";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dbx-preview-secrets-"));
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** The engine's sentinels for a string and a list unknown during preview. */
const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const UNKNOWN_ARRAY = "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2";

interface Finding { feature: string; status: string; kind?: string; message: string }

async function cli(doc: unknown, tier: TierId): Promise<Finding[]> {
    const file = path.join(tmp, "plan.json");
    fs.writeFileSync(file, JSON.stringify(doc));
    const r = await run(["--tier", tier, "--format", "json", file]);
    assert.ok(r.code === 0 || r.code === 1, r.err);
    return (JSON.parse(r.out) as { findings: Finding[] }).findings;
}

/** A copy of `stack` whose resource `name` holds `value` at input `at`. */
function withInput(stack: RecordedStack, name: string, at: (string | number)[], value: (was: unknown) => unknown): RecordedStack {
    const copy = JSON.parse(JSON.stringify(stack)) as RecordedStack;
    const r = copy.resources.find(x => x.name === name);
    assert.ok(r, `no resource ${name} among ${copy.resources.map(x => x.name).join(", ")}`);
    let o = r.inputs as Record<string | number, unknown>;
    for (const k of at.slice(0, -1)) {
        o = o[k] as Record<string | number, unknown>;
        assert.ok(o !== null && typeof o === "object", `${name}: no input ${at.join(".")}`);
    }
    const last = at[at.length - 1];
    o[last] = value(o[last]);
    return copy;
}

const secret = (was: unknown) => ({ [SIG_KEY]: SECRET_SIG, value: was });

interface Place {
    feature: string;
    tier: TierId;
    program: () => unknown;
    resource: string;
    at: (string | number)[];
    /** The sentinel of the value's type, for the same value unknown. */
    unknown: string;
    /** What the finding says of the value (before "secret" or "unknown until apply"). */
    says: RegExp;
    /** The value made secret where the program leaves it unset (an output not reported at preview). */
    plain?: unknown;
}

const PLACES: { title: string; place: Place }[] = [
    {
        title: "external-firewall: the next hop IP of a subnet's default route",
        place: {
            feature: "external-firewall", tier: "isolated-environment",
            program: () => routedWorkspace({ routeForm: "resources", host: { ip: "10.99.0.4" }, firewall: false }),
            resource: "prod-host-rt-default", at: ["nextHopIpAddress"], unknown: UNKNOWN_STRING,
            says: /the next hop IP of .*prod-host-rt-default.* is /,
        },
    },
    {
        title: "vnet-injection: a subnet's delegations",
        place: {
            feature: "vnet-injection", tier: "isolated-environment",
            program: () => routedWorkspace({ routeForm: "resources", host: { ip: "10.99.0.4" }, firewall: false }),
            resource: "prod-host", at: ["delegations"], unknown: UNKNOWN_ARRAY,
            says: /its delegations are /,
        },
    },
    {
        title: "classic-compute-private-link: a back-end private endpoint's group IDs",
        place: {
            feature: "classic-compute-private-link", tier: "isolated-environment",
            program: () => nativeWorkspace(),
            resource: "prod-backend", at: ["privateLinkServiceConnections", 0, "groupIds"], unknown: UNKNOWN_ARRAY,
            says: /its group IDs are /,
        },
    },
    {
        title: "serverless-stable-ips: a storage account's firewall default action",
        place: {
            feature: "serverless-stable-ips", tier: "isolated-environment",
            program: () => {
                const { workspace } = nativeWorkspace();
                nccBinding("bind", ncc("ncc"), workspace);
                dataStorage({ defaultAction: "Deny" });
                externalLocation("lake-data", "lake");
            },
            resource: "lake", at: ["networkRuleSet", "defaultAction"], unknown: UNKNOWN_STRING,
            says: /its firewall default action is /,
        },
    },
    {
        title: "workspace-ip-access-lists: a WorkspaceConf's enableIpAccessLists",
        place: {
            feature: "workspace-ip-access-lists", tier: "isolated-environment",
            program: () => ipAccessLists(nativeWorkspace().workspace),
            resource: "acl-conf", at: ["customConfig", "enableIpAccessLists"], unknown: UNKNOWN_STRING,
            says: /customConfig\.enableIpAccessLists is /,
        },
    },
    {
        title: "external-firewall: the private IP of a firewall a default route may reach",
        place: {
            feature: "external-firewall", tier: "isolated-environment",
            program: () => routedWorkspace({ routeForm: "resources", host: { ip: "10.99.0.4" } }),
            resource: "hub-fw", at: ["ipConfigurations", 0, "privateIPAddress"], unknown: UNKNOWN_STRING, plain: "10.99.0.4",
            says: /may be .*hub-fw.*, whose private IP is /,
        },
    },
    {
        title: "serverless-private-link: the workspace ID an NCC binding names",
        place: {
            feature: "serverless-private-link", tier: "isolated-environment",
            program: () => {
                const { workspace } = nativeWorkspace();
                nccBinding("bind", ncc("ncc"), "1234567890");
                return workspace;
            },
            resource: "bind", at: ["workspaceId"], unknown: UNKNOWN_STRING,
            says: /the workspace of .*bind.* is /,
        },
    },
    {
        title: "workspace-ip-access-lists: the ranges the ingress policy that governs the workspace admits",
        place: {
            feature: "workspace-ip-access-lists", tier: "isolated-environment",
            program: () => {
                nativeWorkspace();
                ingressPolicy("dp", { networkPolicyId: "default-policy", allowRules: [allowFrom(["203.0.113.0/24"], WORKSPACE_DOORS)] });
            },
            resource: "dp", at: ["ingress", "publicAccess", "allowRules", 0, "origin", "includedIpRanges", "ipRanges"], unknown: UNKNOWN_ARRAY,
            says: /whether the ingress policy that governs it does is /,
        },
    },
    {
        title: "workspace-ip-access-lists: the network policy a WorkspaceNetworkOption applies",
        place: {
            feature: "workspace-ip-access-lists", tier: "isolated-environment",
            program: () => {
                const { workspace } = nativeWorkspace();
                networkOption("opt", workspace, "ws-ingress");
                ingressPolicy("p", { networkPolicyId: "ws-ingress", allowRules: [allowFrom(["203.0.113.0/24"], WORKSPACE_DOORS)] });
            },
            resource: "opt", at: ["networkPolicyId"], unknown: UNKNOWN_STRING,
            says: /applies a network policy /,
        },
    },
    {
        title: "account-ip-access-lists: whether a restricting policy is account-policy",
        place: {
            feature: "account-ip-access-lists", tier: "isolated-environment",
            program: () => {
                nativeWorkspace();
                ingressPolicy("ap");
            },
            resource: "ap", at: ["networkPolicyId"], unknown: UNKNOWN_STRING,
            says: /but whether it is account-policy is /,
        },
    },
];

describe("a first preview: a secret where a rule reads a value itself is said to be secret", function () {
    this.timeout(120_000);
    for (const { title, place } of PLACES) {
        describe(title, () => {
            let stack: RecordedStack;
            before(async () => {
                stack = await runProgram(place.program, { preview: true });
            });

            it("secret: kind secret, saying so and how to let the check read it, never unknown until apply", async () => {
                const findings = (await cli(previewJson(withInput(stack, place.resource, place.at, was => secret(was ?? place.plain))), place.tier)).filter(f => f.feature === place.feature);
                const text = findings.map(f => `${f.status} ${f.kind ?? ""}: ${f.message}`).join("\n\n");
                // Other values of the preview stay unknown: the stack is not reworded as a whole.
                const about = findings.filter(f => place.says.test(f.message));
                assert.ok(about.length > 0, text);
                for (const f of about) {
                    assert.strictEqual(f.kind, "secret", text);
                    assert.match(f.message, new RegExp(`${place.says.source}secret \\(not readable here\\)`), text);
                    assert.match(f.message, /pulumi stack export --show-secrets/, text);
                    assert.doesNotMatch(f.message, /unknown until apply|pulumi up analyzes again/, text);
                }
            });

            it("the same value unknown: unknown until apply", async () => {
                const findings = (await cli(previewJson(withInput(stack, place.resource, place.at, () => place.unknown)), place.tier)).filter(f => f.feature === place.feature);
                const text = findings.map(f => `${f.status} ${f.kind ?? ""}: ${f.message}`).join("\n\n");
                const about = findings.filter(f => place.says.test(f.message));
                assert.ok(about.length > 0, text);
                for (const f of about) {
                    assert.strictEqual(f.kind, "unknown", text);
                    assert.match(f.message, new RegExp(`${place.says.source}unknown until apply`), text);
                    assert.match(f.message, /pulumi up analyzes again/, text);
                }
            });
        });
    }
});

describe("a first preview: the evidence picture names a secret link as secret", function () {
    this.timeout(120_000);
    it("the network policy a WorkspaceNetworkOption applies", async () => {
        const stack = await runProgram(() => {
            const { workspace } = nativeWorkspace();
            networkOption("opt", workspace, "ws-ingress");
        }, { preview: true });
        const file = path.join(tmp, "picture.json");
        fs.writeFileSync(file, JSON.stringify(previewJson(withInput(stack, "opt", ["networkPolicyId"], secret))));
        const r = await run(["--tier", "isolated-environment", "--explain", file]);
        assert.ok(r.code === 0 || r.code === 1, r.err);
        assert.match(r.out, /network policy \(secret \(not readable here\)\)/, r.out);
        assert.doesNotMatch(r.out, /network policy \(unknown until apply\)/, r.out);
    });

    it("the egress restriction mode of the policy that governs the workspace", async () => {
        const stack = await runProgram(() => {
            nativeWorkspace();
            egressPolicy("dp", { networkPolicyId: "default-policy" });
        }, { preview: true });
        const file = path.join(tmp, "picture-egress.json");
        fs.writeFileSync(file, JSON.stringify(previewJson(withInput(stack, "dp", ["egress", "networkAccess", "restrictionMode"], secret))));
        const r = await run(["--tier", "isolated-environment", "--explain", file]);
        assert.ok(r.code === 0 || r.code === 1, r.err);
        assert.match(r.out, /egress: secret \(not readable here\)/, r.out);
    });
});
