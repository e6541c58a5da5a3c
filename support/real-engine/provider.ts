// A stand-in resource provider for the real-engine suite, served with the SDK's provider server
// (`@pulumi/pulumi/provider`). The engine starts it as `pulumi-resource-<package>` found on PATH
// (an ambient plugin): `node provider.js <package> <engine address>`.
//
// - check returns the inputs as they are. The real azure-native provider's Check
//   (provider/pkg/provider/provider.go, applyDefaults) adds an auto-name where a name input is
//   absent, a `location` from the provider's configuration or the resource group where `location` is
//   absent, and `azureApiVersion`; the Terraform-bridged azure and databricks providers fill schema
//   defaults. The reference programs set every name and location the policies read themselves, so
//   no verdict of the real-engine suite rests on those defaults.
// - the real azure-native provider supports preview (its Configure says so) and answers Create at
//   preview with the inputs and unknown computed outputs; this one does not, so the engine takes the
//   inputs as the outputs: the same values the policies read, without the unknown extras.
// - create returns the ID and outputs program mode's mocks give (cli/program/record.ts, `createdResource`),
//   so that the two doors judge the same values; update returns the new inputs over the old outputs.
// - read (an `import`) answers what $STANDIN_PROVIDER_WORLD says exists under the ID (a JSON object
//   keyed by `<type>::<id>`); diff takes a resource read with nothing but its ID to match the program.
// - invokes answer what program mode answers (INVOKE_ANSWERS).
// - every create, update and delete is appended as one JSON line to $STANDIN_PROVIDER_LOG, which
//   the tests read to see what the engine really asked a provider to create.
// IDs stay unknown at preview, as on a real first preview.

import * as fs from "fs";
import { main, Provider } from "@pulumi/pulumi/provider";
import { createdResource, INVOKE_ANSWERS, mockContext } from "../../cli/program/record";
import { urnName } from "../../cli/inputs/state";

const pkg = process.argv[2];
const ctx = mockContext(undefined);

function typeOf(urn: string): string {
    return urn.split("::")[2]?.split("$").pop() ?? "";
}

function nameOf(urn: string): string {
    return urnName(urn) ?? urn;
}

function log(op: "create" | "update" | "delete", urn: string, id: string): void {
    const file = process.env.STANDIN_PROVIDER_LOG;
    if (file) {
        fs.appendFileSync(file, `${JSON.stringify({ op, package: pkg, urn, type: typeOf(urn), name: nameOf(urn), id })}\n`);
    }
}

const provider: Provider = {
    version: "0.0.0-standin",
    async check(_urn, _olds, news) {
        return { inputs: news };
    },
    async diff(_id, _urn, olds, news) {
        // A resource the program imports was read with nothing but its ID (below): it is taken to
        // match what the program declares, as a correct `import` does.
        if (Object.keys(olds).every(k => k === "id")) {
            return { changes: false };
        }
        return { changes: JSON.stringify(stripOutputs(olds, news)) !== JSON.stringify(news) };
    },
    async create(urn, inputs) {
        const { id, state } = createdResource(typeOf(urn), nameOf(urn), inputs, ctx);
        log("create", urn, id);
        return { id, outs: state };
    },
    async update(id, urn, olds, news) {
        log("update", urn, id);
        return { outs: { ...olds, ...news } };
    },
    async read(id, urn, props) {
        // An import reads the resource by ID alone: the existing resource is what the world file
        // says exists under that ID, else a resource with nothing set.
        const existing = world()[`${typeOf(urn)}::${id}`] ?? {};
        return { id, props: { ...existing, ...props, id }, inputs: { ...existing, ...props } };
    },
    async delete(id, urn) {
        log("delete", urn, id);
    },
    async invoke(token, inputs) {
        const answer = INVOKE_ANSWERS[token];
        if (!answer) {
            return { failures: [{ property: "", reason: `the stand-in ${pkg} provider has no answer for the invoke ${token}` }] };
        }
        return { outputs: answer(inputs, ctx) };
    },
};

/** $STANDIN_PROVIDER_WORLD: the resources that exist before the program runs, by `<type>::<id>`. */
function world(): Record<string, Record<string, unknown>> {
    const file = process.env.STANDIN_PROVIDER_WORLD;
    return file && fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, Record<string, unknown>> : {};
}

/** The old outputs limited to the keys the new inputs have (what diff compares). */
function stripOutputs(olds: Record<string, unknown>, news: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.keys(news).map(k => [k, olds[k]]));
}

main(provider, process.argv.slice(3)).catch((e: unknown) => {
    process.stderr.write(`stand-in ${pkg} provider: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
});
