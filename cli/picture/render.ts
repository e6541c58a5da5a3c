// The evidence picture written out: a Mermaid flowchart per workspace (the Markdown report) and an
// indented text tree (the table report's --explain). Both write the structure evidence.ts builds.

import { EvidenceEdge, EvidenceNode, WorkspacePicture } from "./evidence";
import { FeatureFinding, kindWord } from "../../policies/core/rules/contract";

/** Lines of facts and findings shown per node, each cut to LINE_CHARS. */
const NODE_LINES = 8;
const LINE_CHARS = 90;

function clip(s: string, max = LINE_CHARS): string {
    return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function findingWord(f: FeatureFinding): string {
    const kind = f.reason ? ` (${kindWord(f.reason)})` : "";
    switch (f.status) {
        case "attested": return `attested: ${f.feature}${kind}`;
        case "exempted": return `exempted: ${f.feature}${kind}`;
        default: return `${f.level === "mandatory" ? "✖" : "!"} ${f.feature}${kind}`;
    }
}

/** The node's findings, one line per feature (a workspace has several findings per feature). */
function findingLines(n: EvidenceNode): string[] {
    const seen = new Map<string, FeatureFinding>();
    for (const f of n.findings) {
        const prior = seen.get(f.feature);
        if (!prior || (prior.level !== "mandatory" && f.level === "mandatory")) {
            seen.set(f.feature, f);
        }
    }
    return [...seen.values()].map(findingWord);
}

function nodeLines(n: EvidenceNode, max = NODE_LINES): string[] {
    const lines = [...n.facts.map(f => `${f.wrong ? "✖ " : ""}${f.text}`), ...findingLines(n)];
    return lines.length <= max ? lines : [...lines.slice(0, max - 1), `… ${lines.length - max + 1} more`];
}

function isWrong(n: EvidenceNode): boolean {
    return n.facts.some(f => f.wrong) || n.findings.some(f => f.level === "mandatory");
}

function isAdvised(n: EvidenceNode): boolean {
    return n.findings.some(f => f.status === "fail" || f.status === "unverified");
}

// ---------------------------------------------------------------------------------------------
// Mermaid

/** Text inside a quoted Mermaid label: quotes, angle brackets, `#` and backticks written as entities. */
export function mermaidText(s: string): string {
    return s.replace(/#/g, "#35;").replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;").replace(/`/g, "#96;")
        .replace(/[\r\n]+/g, " ");
}

const CLASSES = [
    "classDef wrong fill:#fde8e8,stroke:#c62828,color:#5f1010",
    "classDef advised fill:#fff4e0,stroke:#e08a00",
    "classDef outside fill:#f2f2f2,stroke:#777,stroke-dasharray:4 3",
    "classDef unknown fill:#fffbe0,stroke:#b8a000,stroke-dasharray:2 2",
    "classDef missing fill:#ffffff,stroke:#c62828,color:#c62828,stroke-dasharray:4 3",
    "classDef missingadvised fill:#ffffff,stroke:#e08a00,color:#a05f00,stroke-dasharray:4 3",
    "classDef notrequired fill:#ffffff,stroke:#999,color:#777,stroke-dasharray:4 3",
];

function edgeLine(e: EvidenceEdge): string {
    const label = e.label === "" ? "" : `|"${mermaidText(clip(e.label, 60))}"|`;
    const arrow = e.state === "present" ? "-->" : "-.->";
    return `  ${e.from} ${arrow}${label} ${e.to}`;
}

/** One workspace's picture as a Mermaid flowchart (the text between the ```mermaid fences). */
export function renderMermaid(p: WorkspacePicture): string {
    const out = ["flowchart LR"];
    const classes = new Map<string, string[]>();
    const mark = (cls: string, id: string) => classes.set(cls, [...(classes.get(cls) ?? []), id]);
    const absentLevel = new Map(p.edges.filter(e => e.state === "absent" && e.level !== undefined).map(e => [e.to, e.level]));
    for (const n of p.nodes) {
        const text = [n.label, ...nodeLines(n)].map(l => mermaidText(clip(l))).join("<br/>");
        out.push(`  ${n.id}["${text}"]`);
        if (n.place === "absent") {
            // The Mermaid classes keep their names (missing, missingadvised): the drawing is unchanged.
            const level = absentLevel.get(n.id);
            mark(level === "mandatory" ? "missing" : level === "advisory" ? "missingadvised" : "notrequired", n.id);
        } else if (isWrong(n)) {
            mark("wrong", n.id);
        } else if (n.place === "outside" || n.place === "unknown") {
            mark(n.place, n.id);
        } else if (isAdvised(n)) {
            mark("advised", n.id);
        }
    }
    p.edges.forEach(e => out.push(edgeLine(e)));
    out.push(...CLASSES.map(c => `  ${c}`));
    for (const [cls, ids] of classes) {
        out.push(`  class ${ids.join(",")} ${cls}`);
    }
    const styled = (level: "mandatory" | "advisory") => p.edges.map((e, i) => (e.state === "absent" && e.level === level ? i : -1)).filter(i => i >= 0);
    for (const [level, colour] of [["mandatory", "#c62828"], ["advisory", "#e08a00"]] as const) {
        const edges = styled(level);
        if (edges.length > 0) {
            out.push(`  linkStyle ${edges.join(",")} stroke:${colour},stroke-width:2px,color:${colour}`);
        }
    }
    return out.join("\n");
}

// ---------------------------------------------------------------------------------------------
// Text tree

/** One workspace's picture as an indented tree from the workspace, each node written once. */
export function renderTree(p: WorkspacePicture, indent = "  "): string[] {
    const byId = new Map(p.nodes.map(n => [n.id, n]));
    const children = new Map<string, EvidenceEdge[]>();
    for (const e of p.edges) {
        children.set(e.from, [...(children.get(e.from) ?? []), e]);
    }
    const out: string[] = [];
    const written = new Set<string>();
    const describe = (n: EvidenceNode) => {
        const where = n.place === "outside" ? " [outside the stack]" : n.place === "unknown" ? " [not seen here: unknown until apply, or secret]" : "";
        // A terminal line has room for every fact and finding (a node has a few of each).
        const lines = nodeLines(n, Infinity);
        return `${n.label}${where}${lines.length > 0 ? `: ${lines.join("; ")}` : ""}`;
    };
    const walk = (id: string, depth: number) => {
        for (const e of children.get(id) ?? []) {
            const n = byId.get(e.to) as EvidenceNode;
            const pad = indent.repeat(depth);
            if (e.state === "absent") {
                out.push(`${pad}${e.level === "mandatory" ? "✖" : e.failing ? "!" : "-"} ${e.label}${e.failing ? ` (${e.features.join(", ")})` : " (no finding at this tier)"}`);
                continue;
            }
            const lead = e.label === "" ? "" : `${e.label} → `;
            if (written.has(n.id)) {
                out.push(`${pad}${lead}${n.label} (above)`);
                continue;
            }
            written.add(n.id);
            out.push(`${pad}${lead}${describe(n)}`);
            walk(n.id, depth + 1);
        }
    };
    const root = p.nodes[0];
    written.add(root.id);
    out.push(describe(root));
    walk(root.id, 1);
    return out;
}
