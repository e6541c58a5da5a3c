// The reference programs of examples/, as the end-to-end suite and the benchmark run them: the
// configuration a platform team would set, the outputs a deployment computes (update mode), and
// the policy pack configuration each example ships.

import * as fs from "fs";
import * as path from "path";
import { TierId } from "../../policies/matrix";
import { SERVICE_DIRECT_PLS } from "../../support/reference";

export { SERVICE_DIRECT_PLS };
import { PackConfigFile } from "../../policies/core/evaluation/settings";
import { deploy as managedSecurity } from "../../examples/managed-security/deploy";
import { deploy as hardenedConnectivity } from "../../examples/hardened-connectivity/deploy";
import { deploy as isolatedEnvironment } from "../../examples/isolated-environment/deploy";

export interface ReferenceProgram {
    tier: TierId;
    /** Prefix of the program's logical names. */
    prefix: string;
    /** Runs the program once (it may be run many times, under mocks). */
    program: (prefix?: string) => unknown;
    /** Outputs Azure and Databricks compute for this program's resources (update mode), by logical name. */
    outputs: (prefix?: string) => Record<string, Record<string, unknown>>;
    /** The example's policy-pack-config.json (evidence from outside the stack), if it ships one. */
    packConfig: PackConfigFile;
}

export const REPO_DIR = path.resolve(__dirname, "..", "..", "..");
const LOCATION = "westeurope";
const ACCOUNT_ID = "11111111-2222-3333-4444-555555555555";
/** The subnets Databricks publishes for serverless compute of the region (an NCC output). */
export const SERVERLESS_SUBNETS = [
    "/subscriptions/9f8e7d6c-0000-0000-0000-000000000000/resourceGroups/prod-westeurope-snp-1-compute-1/providers/Microsoft.Network/virtualNetworks/kaas-vnet/subnets/worker-subnet",
    "/subscriptions/9f8e7d6c-0000-0000-0000-000000000000/resourceGroups/prod-westeurope-snp-1-compute-2/providers/Microsoft.Network/virtualNetworks/kaas-vnet/subnets/worker-subnet",
];
const CORPORATE = ["203.0.113.0/24", "198.51.100.16/28"];

function packConfig(tier: TierId): PackConfigFile {
    const file = path.join(REPO_DIR, "examples", tier, "policy-pack-config.json");
    return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) as PackConfigFile : {};
}

function computed(p: string, firewall: boolean): Record<string, Record<string, unknown>> {
    const out: Record<string, Record<string, unknown>> = {
        [`${p}-ncc`]: {
            egressConfig: { defaultRules: { azureServiceEndpointRule: { subnets: SERVERLESS_SUBNETS, targetRegion: LOCATION, targetServices: ["AZURE_BLOB_STORAGE", "AZURE_DATA_LAKE_STORAGE"] } } },
        },
    };
    if (firewall) {
        out[`${p}-firewall`] = { ipConfigurations: [{ name: "ipconfig", privateIPAddress: "10.30.0.4" }] };
    }
    return out;
}

export const PROGRAMS: readonly ReferenceProgram[] = [
    {
        tier: "managed-security",
        prefix: "ms",
        program: (p = "ms") => managedSecurity({ prefix: p, location: LOCATION, databricksAccountId: ACCOUNT_ID, sharingRecipients: ["partner"] }),
        outputs: (p = "ms") => computed(p, false),
        packConfig: packConfig("managed-security"),
    },
    {
        tier: "hardened-connectivity",
        prefix: "hc",
        program: (p = "hc") => hardenedConnectivity({
            prefix: p, location: LOCATION, databricksAccountId: ACCOUNT_ID, allowedIpRanges: CORPORATE,
            sharingRecipients: [{ name: "partner", allowedIpRanges: ["192.0.2.0/24"] }],
        }),
        outputs: (p = "hc") => computed(p, false),
        packConfig: packConfig("hardened-connectivity"),
    },
    {
        tier: "isolated-environment",
        prefix: "ie",
        program: (p = "ie") => isolatedEnvironment({
            prefix: p, location: LOCATION, databricksAccountId: ACCOUNT_ID, allowedIpRanges: CORPORATE,
            serviceDirectPrivateLinkServiceId: SERVICE_DIRECT_PLS,
            sharingRecipients: [{ name: "partner", allowedIpRanges: ["192.0.2.0/24"] }],
        }),
        outputs: (p = "ie") => computed(p, true),
        packConfig: packConfig("isolated-environment"),
    },
];
