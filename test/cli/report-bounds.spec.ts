// One run writes every format a CI job needs, and the Markdown report fits a pull-request comment
// whatever the size of the stack: worst findings first, then counts, then where the full report is.

import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCommand as run } from "../harness/command";
import { stackExport } from "../../support/documents";
import { recordTemplate, renamedCopies, TEMPLATE_PREFIX } from "../../support/stack-copies";
import { checkStack, Report } from "../../cli/check";
import { loadStack } from "../../cli/inputs/inputs";
import { COMMENT_MARKER, MARKDOWN_MAX_CHARS, MARKDOWN_MIN_CHARS, renderMarkdown } from "../../cli/formats/markdown";
import { worstFirst } from "../../cli/formats/words";
import { renderJson } from "../../cli/formats/json";
import { PACK_DIR } from "../harness/global";

/** GitHub's limit on an issue or pull-request comment. */
const GITHUB_COMMENT_LIMIT = 65_536;
const WORKSPACES = 35;

describe("reports for CI: several formats in one run, a bounded Markdown report", () => {
    let tmp: string;
    let big: string;
    let report: Report;
    before(async () => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dbx-bounds-"));
        // 35 copies of the Isolated reference program, each stripped of its private endpoints, IP access
        // lists, network policies and firewall and with public access and public IPs turned on.
        const template = await recordTemplate();
        const perCopy = template.resources.filter(r => r.urn.includes(TEMPLATE_PREFIX)).length;
        const resources = renamedCopies(template.resources, template.resources.length - perCopy + WORKSPACES * perCopy)
            .filter(r => !/PrivateEndpoint|IpAccessList|NetworkPolicy|Firewall/.test(r.type));
        for (const r of resources.filter(x => /databricks:Workspace$/.test(x.type))) {
            r.inputs.publicNetworkAccess = "Enabled";
        }
        big = path.join(tmp, "big.json");
        fs.writeFileSync(big, JSON.stringify(stackExport({ ...template, resources })));
        const r = await run(["--tier", "isolated-environment", "--format", "json", big]);
        assert.strictEqual(r.code, 1, r.err);
        // The same report in process, as the formats receive it.
        report = checkStack(loadStack(big).resources, { file: big, kind: "export" }, { tier: "isolated-environment" });
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("the large stack fails many features on every workspace, and its unbounded Markdown would not fit a comment", () => {
        assert.strictEqual(report.features.filter(f => f.mandatory >= WORKSPACES).length >= 5, true, JSON.stringify(report.features));
        assert.ok(renderMarkdown(report, { maxChars: Infinity, fullReport: [] }).length > GITHUB_COMMENT_LIMIT);
    });

    it("writes JSON, SARIF and Markdown in one run, each as its single-format run writes it, and the table to standard output", async () => {
        const files = { json: path.join(tmp, "report.json"), sarif: path.join(tmp, "results.sarif"), markdown: path.join(tmp, "comment.md") };
        const r = await run(["--tier", "isolated-environment", big, "--output", `json=${files.json}`, "--output", `sarif=${files.sarif}`, "--output", `markdown=${files.markdown}`]);
        assert.strictEqual(r.code, 1, r.err);
        assert.match(r.out, /^Azure Databricks network check — tier isolated-environment/);
        assert.match(r.out, /FAILED: \d+ mandatory violations/);
        assert.deepStrictEqual(JSON.parse(fs.readFileSync(files.json, "utf8")), JSON.parse(renderJson(report)));
        const sarif = await run(["--tier", "isolated-environment", "--format", "sarif", big]);
        assert.strictEqual(fs.readFileSync(files.sarif, "utf8"), sarif.out);
        const md = fs.readFileSync(files.markdown, "utf8");
        assert.ok(md.includes(`\`${files.json}\`, \`${files.sarif}\``), md.slice(-400));
    });

    it("keeps the Markdown report under GitHub's comment limit: worst findings first, then what was left out and where the full report is", async () => {
        const r = await run(["--tier", "isolated-environment", "--format", "markdown", "--report-url", "https://github.com/acme/infra/actions/runs/42", big]);
        const md = r.out;
        assert.ok(md.length <= MARKDOWN_MAX_CHARS && md.length < GITHUB_COMMENT_LIMIT, `${md.length} characters`);
        assert.ok(md.length > MARKDOWN_MAX_CHARS - 3_000, `the bound is used, not wasted: ${md.length}`);
        assert.match(md, /^### Azure Databricks network check: ❌ failed/);
        assert.ok(md.trimEnd().endsWith(COMMENT_MARKER));
        const shown = [...md.matchAll(/^- \*\*(MANDATORY|advisory|unverified|attested|exempted|note|tier tag)\*\*/gm)].map(m => m[1]);
        const expected = worstFirst(report.findings).slice(0, shown.length).map(f => (f.level === "mandatory" ? "MANDATORY" : f.status === "fail" ? "advisory" : f.status));
        assert.deepStrictEqual(shown, expected);
        assert.ok(shown.length > 0 && shown.length < report.findings.length);
        assert.match(md, new RegExp(`Findings, worst first \\(${shown.length} of ${report.findings.length}\\)`));
        const left = /\*\*(\d+) more findings not shown\*\* \(([^)]*)\): the full report is in https:\/\/github\.com\/acme\/infra\/actions\/runs\/42\./.exec(md);
        assert.ok(left, md.slice(-600));
        assert.strictEqual(Number(left[1]), report.findings.length - shown.length);
        const counted = left[2].split(", ").reduce((n, part) => n + Number(part.split(" ")[0]), 0);
        assert.strictEqual(counted, report.findings.length - shown.length);
        // Every feature's counts stay in the tables above the findings.
        for (const f of report.features.filter(x => x.mandatory > 0)) {
            assert.ok(md.includes(`| ❌ | \`${f.id}\` | required | ${f.mandatory} mandatory`), f.id);
        }
    });

    it("honours a smaller bound, and refuses one too small to hold the header", async () => {
        const small = await run(["--tier", "isolated-environment", "--format", "markdown", "--markdown-max-chars", "5000", big]);
        assert.ok(small.out.length <= 5000, `${small.out.length}`);
        assert.match(small.out, /more findings not shown/);
        const refused = await run(["--markdown-max-chars", "100", big]);
        assert.strictEqual(refused.code, 2);
        assert.match(refused.err, /--markdown-max-chars needs a whole number of at least 4000; got "100"/);
    });

    it("states its default and minimum bound in --help and the README, accepts the minimum and refuses one less", async () => {
        const help = (await run(["--help"])).out.replace(/\s+/g, " ");
        assert.match(help, new RegExp(`--markdown-max-chars <n> bound of the Markdown report \\(default ${MARKDOWN_MAX_CHARS}, at least ${MARKDOWN_MIN_CHARS};`));
        const readme = fs.readFileSync(path.join(PACK_DIR, "README.md"), "utf8");
        const spaced = (n: number) => n.toLocaleString("en-US").replace(/,/g, " ");
        assert.ok(readme.includes(`| \`--markdown-max-chars <n>\` | bound of the Markdown report, default ${spaced(MARKDOWN_MAX_CHARS)}, at least ${spaced(MARKDOWN_MIN_CHARS)} `));
        const least = await run(["--tier", "isolated-environment", "--format", "markdown", "--markdown-max-chars", String(MARKDOWN_MIN_CHARS), big]);
        assert.strictEqual(least.code, 1, least.err);
        assert.ok(least.out.length <= MARKDOWN_MIN_CHARS && least.out.trimEnd().endsWith(COMMENT_MARKER), `${least.out.length}`);
        const less = await run(["--markdown-max-chars", String(MARKDOWN_MIN_CHARS - 1), big]);
        assert.strictEqual(less.code, 2);
        assert.match(less.err, new RegExp(`at least ${MARKDOWN_MIN_CHARS}; got "${MARKDOWN_MIN_CHARS - 1}"`));
    });

    it("leaves a report that fits whole", async () => {
        const few = { ...report, findings: report.findings.slice(0, 3) };
        const md = renderMarkdown(few, { maxChars: MARKDOWN_MAX_CHARS, fullReport: [] });
        assert.doesNotMatch(md, /not shown/);
        assert.match(md, /<summary>Findings, worst first<\/summary>/);
        assert.strictEqual([...md.matchAll(/^- \*\*/gm)].length, 3);
    });

    it("refuses two reports to one file, and a second bare --output", async () => {
        const a = await run([big, "--output", `json=${path.join(tmp, "same")}`, "--output", `sarif=${path.join(tmp, "same")}`]);
        assert.strictEqual(a.code, 2);
        assert.match(a.err, /is named twice/);
        const b = await run([big, "--output", path.join(tmp, "a"), "--output", path.join(tmp, "b")]);
        assert.strictEqual(b.code, 2);
        assert.match(b.err, /write further formats with --output <format>=<file>/);
        const c = await run([big, "--output", `json=${big}`]);
        assert.strictEqual(c.code, 2);
        assert.match(c.err, /names the input file/);
    });

    it("refuses a mistyped format in --output <format>=<file>, naming the formats; a file named with \"=\" goes through ./", async () => {
        const was = process.cwd();
        process.chdir(tmp);
        try {
            for (const [arg, message] of [
                ["sarfi=results.sarif", /--output "sarfi=results\.sarif": "sarfi" is not a format; use one of table, json, sarif, markdown \(a file whose name has "=" in it is written as \.\/sarfi=results\.sarif\)/],
                ["SARIF=results.sarif", /"SARIF" is not a format; use one of table, json, sarif, markdown/],
                ["sarif=", /--output "sarif=" names no file: write --output sarif=<file>/],
            ] as const) {
                const r = await run([big, "--output", arg]);
                assert.strictEqual(r.code, 2, r.err);
                assert.match(r.err, message);
                assert.deepStrictEqual(fs.readdirSync(tmp).filter(f => f.includes("=")), []);
            }
            const named = await run([big, "--format", "json", "--output", "./sarfi=results.sarif"]);
            assert.strictEqual(named.code, 1, named.err);
            assert.strictEqual(JSON.parse(fs.readFileSync(path.join(tmp, "sarfi=results.sarif"), "utf8")).schemaVersion, 2);
        } finally {
            process.chdir(was);
        }
    });
});
