// SARIF 2.1.0 as GitHub code scanning reads it: a rule per feature, a result per finding with its
// fingerprint, readiness in the run's properties.

import { isFeatureFinding, kindWord } from "../../policies/core/rules/contract";
import { message } from "../../policies/core/evaluation/render";
import { TIER_TAG_POLICY } from "../../policies/core/evaluation/naming";
import { FEATURES } from "../../policies/features";
import { Report } from "../check";
import { fingerprint } from "./words";
import { jsonReadiness } from "./json";
import { ReportFormat } from "./index";

const INFO_URI = "https://learn.microsoft.com/azure/databricks/security/network/";

/** SARIF 2.1.0 as GitHub code scanning reads it. `artifact` is the file results are anchored to. */
export function renderSarif(r: Report, artifact: string): string {
    const rules = FEATURES.map(f => {
        const meta = r.features.find(x => x.id === f.id);
        return {
            id: f.id,
            name: f.id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
            shortDescription: { text: meta?.title ?? f.id },
            fullDescription: { text: f.description },
            helpUri: f.url,
            help: { text: f.remediationSteps, markdown: `${f.description}\n\n${"```"}ts\n${f.remediationSteps}\n${"```"}` },
            defaultConfiguration: { level: meta?.requirement === "required" ? "error" : "warning" },
            properties: {
                tags: ["security", "azure", "databricks", "network", `group:${meta?.group ?? ""}`],
                "security-severity": { low: "3.0", medium: "5.0", high: "7.5", critical: "9.5" }[f.severity],
                precision: "high",
            },
        };
    });
    rules.push({
        id: TIER_TAG_POLICY,
        name: "TierTag",
        shortDescription: { text: "Stack tier tag" },
        fullDescription: { text: "A stack tag databricks-network-tier that names no tier or a weaker tier than the configured one (a tag can only raise enforcement)." },
        helpUri: INFO_URI,
        help: { text: "Set the tag to a tier at least as strict as the configured one, or remove it.", markdown: "Set the tag to a tier at least as strict as the configured one, or remove it." },
        defaultConfiguration: { level: "note" },
        properties: { tags: ["azure", "databricks", "network", "pack"], "security-severity": "3.0", precision: "high" },
    });
    const ruleIndex = new Map(rules.map((x, i) => [x.id, i]));
    const results = r.findings.map(x => ({
        ruleId: x.feature ?? x.policy,
        ruleIndex: ruleIndex.get(x.feature ?? x.policy) ?? 0,
        level: x.level === "mandatory" ? "error" : x.status === "fail" ? "warning" : "note",
        kind: x.status === "fail" ? "fail" : x.status === "exempted" || x.status === "attested" ? "pass" : "review",
        message: { text: message(x) },
        locations: [{
            physicalLocation: { artifactLocation: { uri: artifact }, region: { startLine: 1 } },
            logicalLocations: [{ fullyQualifiedName: x.resource?.urn ?? "stack", name: x.resource?.name ?? "stack", kind: "resource" }],
        }],
        partialFingerprints: { "databricksNetwork/v2": fingerprint(x) },
        properties: { status: isFeatureFinding(x) ? x.status : "tier-tag", ...(x.reason ? { kind: kindWord(x.reason) } : {}), tier: r.tier, urn: x.resource?.urn, blocks: isFeatureFinding(x) ? x.stage : undefined },
    }));
    const sarif = {
        $schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [{
            tool: { driver: { name: r.tool.name, version: r.tool.version, semanticVersion: r.tool.version, informationUri: INFO_URI, rules } },
            automationDetails: { id: `databricks-network/${r.tier}/` },
            results,
            properties: { tier: r.tier, readiness: jsonReadiness(r.readiness), source: r.source, summary: r.summary },
        }],
    };
    return JSON.stringify(sarif, null, 2) + "\n";
}


export const sarif: ReportFormat = { name: "sarif", complete: true, render: (r, opts) => renderSarif(r, opts.artifact) };
