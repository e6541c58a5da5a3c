// The evidence picture: per workspace, the resources and links the verdicts rest on, built from
// the stack model and the findings; drawn as Mermaid (checked by Mermaid's own parser) and as a
// text tree, bounded on large stacks.

import * as assert from "assert";
import { Report } from "../../cli/check";
import { EvidenceEdge, EvidenceNode, WorkspacePicture } from "../../cli/picture/evidence";
import { renderMermaid } from "../../cli/picture/render";
import { MARKDOWN_MAX_CHARS, renderMarkdown } from "../../cli/formats/markdown";
import { kindWord } from "../../policies/core/rules/contract";
import { renderTable } from "../../cli/formats/table";
import { checkStack } from "../../cli/check";
import { toResourceInputs } from "../../cli/program/record";
import { recordTemplate, renamedCopies, TEMPLATE_PREFIX } from "../../support/stack-copies";
import { TierId } from "../../policies/matrix";
import { MUTATIONS } from "../e2e/mutations";
import { mermaidBlocks, mermaidParse } from "./mermaid";
import { Edit, PROGRAMS, removed, reportOf, setValues } from "./reports";

const program = (tier: TierId) => PROGRAMS.find(p => p.tier === tier) as (typeof PROGRAMS)[number];
const mutation = (id: string) => removed(MUTATIONS.find(m => m.id === id)?.remove as (p: string, r: { type: string; name: string }) => boolean);

function picture(r: Report): WorkspacePicture {
    assert.ok(r.evidence && r.evidence.workspaces.length === 1, "one workspace pictured");
    return r.evidence.workspaces[0];
}

function node(p: WorkspacePicture, id: string): EvidenceNode {
    return p.nodes.find(n => n.id === id) as EvidenceNode;
}

/** Each edge as `from -label-> to`, an absent one marked `(missing, failing)` or `(missing)`. */
function links(p: WorkspacePicture): string[] {
    const mark = (e: EvidenceEdge) => (e.state === "absent" ? (e.failing ? " (missing, failing)" : " (missing)") : e.state === "unknown" ? " (unknown)" : "");
    return p.edges.map(e => `${node(p, e.from).label} -${e.label}-> ${node(p, e.to).label}${mark(e)}`);
}

/** The facts of the node with this label, wrong ones marked with ✖. */
function facts(p: WorkspacePicture, label: string): string[] {
    const n = p.nodes.find(x => x.label === label);
    assert.ok(n, `no node ${label}: ${p.nodes.map(x => x.label).join(", ")}`);
    return n.facts.map(f => `${f.wrong ? "✖ " : ""}${f.text}`);
}

function includesAll(list: readonly string[], expected: readonly string[]): void {
    const missing = expected.filter(e => !list.includes(e));
    assert.deepStrictEqual(missing, [], list.join("\n"));
}

/** Every red mark rests on a finding: a wrong fact or failing missing link names a feature with a finding on the workspace. */
function agreesWithFindings(r: Report, p: WorkspacePicture): void {
    const open = new Set(r.findings.filter(f => f.resource?.urn === p.urn && (f.status === "fail" || f.status === "unverified")).map(f => f.feature));
    for (const n of p.nodes) {
        for (const f of n.facts.filter(x => x.wrong)) {
            assert.ok(f.feature !== undefined && open.has(f.feature), `${n.label}: ${f.text}`);
        }
    }
    for (const e of p.edges.filter(x => x.failing)) {
        assert.ok(e.features.some(f => open.has(f)), `${e.label}: ${e.features.join(", ")}`);
    }
}

describe("the evidence picture: what the verdicts rest on, per workspace", () => {
    describe("the reference programs", () => {
        it("Managed security: VNet, subnets with their NSG, the back-end endpoint, NCC, network policy, lists, recipients, storage", async () => {
            const r = await reportOf(program("managed-security"));
            const p = picture(r);
            assert.strictEqual(p.nodes[0].role, "workspace");
            assert.strictEqual(p.nodes[0].label, "workspace \"ms-ws\"");
            includesAll(links(p), [
                "workspace \"ms-ws\" -injected into-> VNet \"ms-vnet\"",
                "VNet \"ms-vnet\" -host-> subnet \"ms-host\"",
                "VNet \"ms-vnet\" -container-> subnet \"ms-container\"",
                "subnet \"ms-host\" -NSG-> NSG \"ms-nsg\"",
                "subnet \"ms-container\" -NSG-> NSG \"ms-nsg\"",
                "workspace \"ms-ws\" -databricks_ui_api-> private endpoint \"ms-backend\"",
                "private endpoint \"ms-backend\" -in-> subnet \"ms-privatelink\"",
                "workspace \"ms-ws\" -bound by-> NCC binding \"ms-ncc-binding\"",
                "NCC binding \"ms-ncc-binding\" -NCC-> NCC \"ms-ncc\"",
                "workspace \"ms-ws\" -uses-> storage account \"ms-lake\"",
                // No firewall is required at this tier; the optional feature's advisory findings say what is missing.
                "subnet \"ms-host\" -no route table-> route table (missing, failing)",
            ]);
            includesAll(facts(p, "subnet \"ms-host\""), ["delegated to Databricks: yes"]);
            includesAll(facts(p, "NCC \"ms-ncc\""), ["region \"westeurope\""]);
            agreesWithFindings(r, p);
        });

        it("Hardened connectivity: the network policy and the option that binds it, IP access lists, NCC rules to the lake", async () => {
            const r = await reportOf(program("hardened-connectivity"));
            const p = picture(r);
            includesAll(links(p), [
                "workspace \"hc-ws\" -option-> network option \"hc-egress-option\"",
                "network option \"hc-egress-option\" -applies-> network policy \"hc-egress\"",
                "workspace \"hc-ws\" -configured by-> workspace conf \"hc-conf\"",
                "workspace \"hc-ws\" -IP access list-> IP access list \"hc-allowed\"",
                "workspace \"hc-ws\" -shares with-> Delta Sharing recipient \"hc-recipient-partner\"",
                "NCC \"hc-ncc\" -rule-> private endpoint rule \"hc-ncc-lake-blob\"",
                "private endpoint rule \"hc-ncc-lake-blob\" -serverless private endpoint to-> storage account \"hc-lake\"",
            ]);
            includesAll(facts(p, "network policy \"hc-egress\""), ["id \"hc-egress\"", "egress: restricted, enforced"]);
            // Only the firewall, optional at this tier, is missing: its advisory findings say so.
            assert.deepStrictEqual(p.edges.filter(e => e.failing).map(e => e.features), [["external-firewall"], ["external-firewall"]]);
            agreesWithFindings(r, p);
        });

        it("Isolated environment: both subnets' default route to the firewall, front-end and web-auth endpoints; nothing missing", async () => {
            const r = await reportOf(program("isolated-environment"));
            const p = picture(r);
            includesAll(links(p), [
                "subnet \"ie-host\" -route table-> route table \"ie-routes\"",
                "subnet \"ie-container\" -route table-> route table \"ie-routes\"",
                "route table \"ie-routes\" -next hop-> Azure Firewall \"ie-firewall\"",
                "workspace \"ie-ws\" -databricks_ui_api-> private endpoint \"ie-frontend\"",
                "workspace \"ie-ws\" -browser_authentication-> private endpoint \"ie-webauth\"",
            ]);
            assert.match(facts(p, "route table \"ie-routes\"")[0], /^0\.0\.0\.0\/0 → "VirtualAppliance" 10\./);
            assert.deepStrictEqual(p.edges.filter(e => e.state === "absent"), []);
            assert.deepStrictEqual(p.nodes.filter(n => n.facts.some(f => f.wrong) || n.findings.length > 0).map(n => n.label), []);
        });

        it("at preview, links unknown until apply are drawn as unknown, never as missing", async () => {
            const r = await reportOf(program("isolated-environment"), { mode: "preview" });
            const p = picture(r);
            assert.deepStrictEqual(p.edges.filter(e => e.failing), []);
            agreesWithFindings(r, p);
        });
    });

    describe("a change that breaks each relationship shows where it breaks", () => {
        const ie = () => program("isolated-environment");
        const hc = () => program("hardened-connectivity");
        const cases: { name: string; tier: TierId; edits: Edit[]; links?: string[]; facts?: [string, string][]; node?: [string, string] }[] = [
            { name: "back-end endpoint removed", tier: "managed-security", edits: [mutation("remove-backend-endpoint")], links: ["workspace \"ms-ws\" -no databricks_ui_api endpoint-> databricks_ui_api endpoint (missing, failing)"] },
            { name: "web-auth endpoint removed", tier: "isolated-environment", edits: [mutation("remove-browser-authentication-endpoint")], links: ["workspace \"ie-ws\" -no browser_authentication endpoint-> browser_authentication endpoint (missing, failing)"] },
            { name: "container subnet without route table", tier: "isolated-environment", edits: [setValues("container", v => ({ ...v, routeTable: undefined }))], links: ["subnet \"ie-container\" -no route table-> route table (missing, failing)"] },
            { name: "container subnet without NSG", tier: "isolated-environment", edits: [setValues("container", v => ({ ...v, networkSecurityGroup: undefined }))], links: ["subnet \"ie-container\" -no network security group-> network security group (missing, failing)"] },
            { name: "host subnet not delegated", tier: "isolated-environment", edits: [setValues("host", v => ({ ...v, delegations: [] }))], facts: [["subnet \"ie-host\"", "✖ delegated to Databricks: no"]] },
            { name: "default route to the internet", tier: "isolated-environment", edits: [setValues("routes", v => ({ ...v, routes: [{ name: "internet", addressPrefix: "0.0.0.0/0", nextHopType: "Internet" }] }))], facts: [["route table \"ie-routes\"", "✖ 0.0.0.0/0 → \"Internet\""]] },
            { name: "default route to a hub firewall elsewhere", tier: "isolated-environment", edits: [setValues("routes", v => ({ ...v, routes: [{ name: "hub", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.99.0.4" }] }))], links: ["route table \"ie-routes\" -next hop-> next hop 10.99.0.4 (not in this stack)"], node: ["next hop 10.99.0.4 (not in this stack)", "outside"] },
            { name: "route table without a default route", tier: "isolated-environment", edits: [setValues("routes", v => ({ ...v, routes: [] }))], links: ["route table \"ie-routes\" -no default route 0.0.0.0/0-> default route 0.0.0.0/0 (missing, failing)"] },
            { name: "public network access enabled", tier: "isolated-environment", edits: [setValues("ws", v => ({ ...v, publicNetworkAccess: "Enabled" }))], facts: [["workspace \"ie-ws\"", "✖ publicNetworkAccess \"Enabled\""]] },
            { name: "NCC binding removed", tier: "hardened-connectivity", edits: [mutation("remove-ncc-binding")], links: ["workspace \"hc-ws\" -no NCC binding-> NCC binding (missing, failing)"] },
            { name: "NCC of another region", tier: "managed-security", edits: [setValues("ncc", v => ({ ...v, region: "northeurope" }))], facts: [["NCC \"ms-ncc\"", "✖ region \"northeurope\""]] },
            { name: "egress in full access", tier: "hardened-connectivity", edits: [setValues("egress", v => ({ ...v, egress: { networkAccess: { restrictionMode: "FULL_ACCESS" } } }))], facts: [["network policy \"hc-egress\"", "✖ egress: not restricted"]] },
            { name: "network option removed: the workspace falls back to a default-policy declared nowhere here", tier: "hardened-connectivity", edits: [mutation("remove-workspace-network-option")], links: ["workspace \"hc-ws\" -governed by-> default-policy (not in this stack)"], node: ["default-policy (not in this stack)", "outside"] },
            { name: "IP access list removed", tier: "hardened-connectivity", edits: [removed((p, r) => r.name === `${p}-allowed`)], links: ["workspace \"hc-ws\" -no IP access list-> IP access list (missing, failing)"] },
            { name: "recipient open to every address", tier: "hardened-connectivity", edits: [setValues("recipient-partner", v => ({ ...v, ipAccessList: { allowedIpAddresses: ["0.0.0.0/0"] } }))], node: ["Delta Sharing recipient \"hc-recipient-partner\"", "✖ delta-sharing-ip-access-lists (fail)"] },
            { name: "lake open to the public", tier: "hardened-connectivity", edits: [setValues("lake", v => ({ ...v, publicNetworkAccess: "Enabled", networkRuleSet: { defaultAction: "Allow" } }))], facts: [["storage account \"hc-lake\"", "✖ firewall default action Deny: no; public access disabled: no"]] },
        ];
        for (const c of cases) {
            it(c.name, async () => {
                const r = await reportOf(program(c.tier), { edits: c.edits });
                const p = picture(r);
                includesAll(links(p), c.links ?? []);
                for (const [label, fact] of c.facts ?? []) {
                    includesAll(facts(p, label), [fact]);
                }
                if (c.node) {
                    const [label, what] = c.node;
                    const n = p.nodes.find(x => x.label === label);
                    assert.ok(n, p.nodes.map(x => x.label).join("\n"));
                    assert.ok(n.place === what || n.findings.some(f => `✖ ${f.feature} (${f.reason && kindWord(f.reason)})` === what), JSON.stringify(n));
                }
                agreesWithFindings(r, p);
                // Drawn as Mermaid, it parses.
                assert.strictEqual(await mermaidParse(renderMermaid(p)), "flowchart-v2");
            });
        }
        void ie;
        void hc;
    });

    describe("drawn", () => {
        it("the Markdown report's diagrams parse with Mermaid's own parser, for every reference program at every tier", async () => {
            for (const p of PROGRAMS) {
                for (const tier of ["managed-security", "isolated-environment"] as const) {
                    const md = renderMarkdown(await reportOf(p, { tier }));
                    const blocks = mermaidBlocks(md);
                    assert.strictEqual(blocks.length, 1, `${p.tier} at ${tier}`);
                    assert.strictEqual(await mermaidParse(blocks[0]), "flowchart-v2");
                    assert.match(md, new RegExp(`<details><summary>Evidence behind the verdicts</summary>[\\s\\S]*\\*\\*workspace \`${p.prefix}-ws\`\\*\\*`));
                }
            }
        });

        it("missing links are dashed and red, wrong values on red nodes, outside and unknown evidence dashed", async () => {
            const r = await reportOf(program("managed-security"), { tier: "isolated-environment", edits: [mutation("remove-backend-endpoint")] });
            const text = renderMermaid(picture(r));
            assert.match(text, /^ {2}n0 -\.->\|"no databricks_ui_api endpoint"\| n\d+$/m);
            const edgeLines = text.split("\n").filter(l => / -->| -\.->/.test(l));
            const red = edgeLines.map((l, i) => (/no databricks_ui_api endpoint/.test(l) ? i : -1)).filter(i => i >= 0);
            assert.match(text, new RegExp(`^ {2}linkStyle [\\d,]*\\b${red[0]}\\b[\\d,]* stroke:#c62828`, "m"));
            assert.match(text, /^ {2}class n0(,n\d+)* wrong$/m);
            assert.match(text, /publicNetworkAccess #quot;Enabled#quot;/);
        });

        it("labels with quotes, brackets, hashes, backticks and line breaks parse", async () => {
            const nasty = "a\"b]c[d#e`f<g>h|i\nj;k{l}m(n)o";
            const p: WorkspacePicture = {
                urn: "u", name: nasty,
                nodes: [
                    { id: "n0", role: "workspace", label: `workspace ${JSON.stringify(nasty)}`, place: "stack", facts: [{ text: nasty, wrong: true }], findings: [{ feature: "vnet-injection", status: "fail", level: "mandatory", reason: "wrong", policy: "vnet-injection", stage: "after-update", tier: "isolated-environment", requirement: "required", found: nasty }] },
                    { id: "n1", role: "vnet", label: nasty, place: "outside", facts: [], findings: [] },
                    { id: "n2", role: "absent", label: nasty, place: "absent", facts: [], findings: [] },
                ],
                edges: [
                    { from: "n0", to: "n1", label: nasty, state: "present", features: [], failing: false },
                    { from: "n0", to: "n2", label: `no ${nasty}`, state: "absent", features: ["vnet-injection"], failing: true },
                ],
            };
            assert.strictEqual(await mermaidParse(renderMermaid(p)), "flowchart-v2");
        });

        it("the table's --explain writes the same picture as an indented tree", async () => {
            const r = await reportOf(program("isolated-environment"), { edits: [setValues("container", v => ({ ...v, routeTable: undefined }))] });
            const table = renderTable(r, { colour: false, explain: true });
            const tree = table.slice(table.indexOf("Evidence behind the verdicts"));
            assert.match(tree, /^ {2}workspace "ie-ws": SKU "premium"; publicNetworkAccess "Disabled"; .*✖ external-firewall \(missing\)$/m);
            assert.match(tree, /^ {4}injected into → VNet "ie-vnet"$/m);
            assert.match(tree, /^ {6}host → subnet "ie-host": delegated to Databricks: yes$/m);
            assert.match(tree, /^ {10}next hop → Azure Firewall "ie-firewall"$/m);
            assert.match(tree, /^ {8}✖ no route table \(external-firewall\)$/m);
            assert.doesNotMatch(renderTable(r, false), /Evidence behind the verdicts/);
        });
    });

    describe("bounded on a large stack", function () {
        const WORKSPACES = 40;
        let report: Report;
        before(async () => {
            const template = await recordTemplate();
            const perCopy = template.resources.filter(r => r.urn.includes(TEMPLATE_PREFIX)).length;
            const resources = renamedCopies(template.resources, template.resources.length - perCopy + WORKSPACES * perCopy)
                .filter(r => !/PrivateEndpoint|Firewall/.test(r.type));
            report = checkStack(toResourceInputs({ ...template, resources }), { file: "big.json", kind: "export" }, { tier: "isolated-environment" });
        });

        it("the Markdown report draws the first few workspaces, says how many more, and stays within its bound", async () => {
            const md = renderMarkdown(report);
            assert.ok(md.length <= MARKDOWN_MAX_CHARS, `${md.length}`);
            const blocks = mermaidBlocks(md);
            assert.ok(blocks.length >= 1 && blocks.length <= 3, `${blocks.length}`);
            assert.match(md, new RegExp(`\\*\\*${WORKSPACES - blocks.length} more workspaces not drawn\\*\\*`));
            for (const b of blocks) {
                assert.strictEqual(await mermaidParse(b), "flowchart-v2");
            }
            // Findings still come first and fill what the pictures leave.
            assert.ok(md.indexOf("Findings, worst first") < md.indexOf("Evidence behind the verdicts"));
            assert.ok(md.length > MARKDOWN_MAX_CHARS - 3_000, `${md.length}`);
            const small = renderMarkdown(report, { maxChars: 5_000, fullReport: [] });
            assert.ok(small.length <= 5_000, `${small.length}`);
        });

        it("--explain writes ten workspaces, then how many more", () => {
            const table = renderTable(report, { colour: false, explain: true });
            assert.strictEqual([...table.matchAll(/^ {2}workspace "/gm)].length, 10);
            assert.match(table, new RegExp(`^ {2}${WORKSPACES - 10} more workspaces not shown$`, "m"));
        });
    });
});
