// `pulumi stack export`: `apitype.UntypedDeployment{version, deployment}` holding a
// `DeploymentV3{manifest, secrets_providers, resources, pending_operations}` of `ResourceV3`
// (sdk/go/common/apitype/core.go), secrets as in sdk/go/common/resource/stack/secrets.go.

import { isRecord, quote } from "../../policies/core/model/values";
import { Entry, InputError, layer, objectOr, ResourceV3, revealSecrets, urnName } from "./state";

export function parseExport(deployment: Record<string, unknown>, file: string, at: string): Entry[] {
    const list = deployment.resources;
    if (list !== undefined && !Array.isArray(list)) {
        throw new InputError(`${file}: ${at}resources is not a list; expected a \`pulumi stack export\` file`);
    }
    const byUrn = new Map<string, Entry>();
    ((list ?? []) as unknown[]).forEach((r, i) => {
        const where = `${file}: ${at}resources[${i}]`;
        if (!isRecord(r)) {
            throw new InputError(`${where} is not an object; expected an apitype.ResourceV3 state`);
        }
        const s = r as ResourceV3;
        if (typeof s.urn !== "string" || urnName(s.urn) === undefined) {
            throw new InputError(`${where} has no valid urn (${quote(s.urn)}); expected an apitype.ResourceV3 state`);
        }
        if (typeof s.type !== "string" || s.type === "") {
            throw new InputError(`${where} (${s.urn}) has no type`);
        }
        if (s.delete === true) {
            // The old copy of a replaced resource, pending deletion: its URN lives on in the new one.
            return;
        }
        const urn = s.urn;
        const reveal = (v: unknown, key: string) => objectOr(revealSecrets(v, () => `${where} (${urn}) ${key}`));
        const outputs = reveal(s.outputs, "outputs");
        const inputs = reveal(s.inputs, "inputs");
        // The policies judge a deployed resource by its outputs (as `AnalyzeStack` does); a provider's
        // configuration is its inputs.
        const props = s.type.startsWith("pulumi:providers:") ? objectOr(layer(inputs, outputs))
            : Object.keys(outputs).length > 0 ? outputs : inputs;
        byUrn.set(urn, { urn, type: s.type, props, state: s });
    });
    return [...byUrn.values()];
}
