// Realistic ways to break each feature of a reference program, as data: the suite runs each one
// against every program whose tier requires the feature, and docs/mutations.md is generated from
// the same list. A mutation either transforms resource inputs at registration (a stack transform,
// so the SDK records the program's real dependencies), removes resources from the recorded stack
// (with everything that depends on them, as deleting them from the program would), or changes
// the policy pack configuration.

import * as pulumi from "@pulumi/pulumi";
import { FeatureId, TierId } from "../../policies/matrix";
import { PackConfigFile } from "../../support/engine";
import { RecordedResource } from "../../support/program";

export interface Mutation {
    id: string;
    feature: FeatureId;
    /** What is broken, as the docs table says it. */
    description: string;
    /** Programs (by tier) it applies to; all whose tier requires the feature when omitted. */
    programs?: TierId[];
    /**
     * Logical name of the resource the report must name; none for evidence no resource can show
     * (then the mandatory verdict is on the stack and says how to attest it).
     */
    subject?: (prefix: string) => string;
    transform?: (prefix: string) => pulumi.ResourceTransform;
    /** Resources to remove (and their dependents). */
    remove?: (prefix: string, r: RecordedResource) => boolean;
    config?: (config: PackConfigFile) => PackConfigFile;
    /** Features the same change rightly breaks too (e.g. NCC rules removed: serverless compute loses the lake). */
    alsoBreaks?: FeatureId[];
}

type Props = Record<string, unknown>;

/** A transform of the inputs of the resource with this type suffix and logical name. */
function edit(typeSuffix: string, name: (p: string) => string, change: (props: Props) => Props): (p: string) => pulumi.ResourceTransform {
    return p => args => args.type.endsWith(typeSuffix) && args.name === name(p)
        ? { props: change({ ...args.props }), opts: args.opts }
        : undefined;
}

const isType = (r: RecordedResource, suffix: string) => r.type.endsWith(suffix);
const ws = (p: string) => `${p}-ws`;
const OTHER_WORKSPACE = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-other/providers/Microsoft.Databricks/workspaces/other-ws";
const OTHER_STORAGE = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-other/providers/Microsoft.Storage/storageAccounts/otherlake";

function obj(v: unknown): Props {
    return v !== null && typeof v === "object" && !Array.isArray(v) ? { ...(v as Props) } : {};
}

export const MUTATIONS: readonly Mutation[] = [
    {
        id: "public-ip-on-cluster-nodes", feature: "secure-cluster-connectivity",
        description: "Workspace `parameters.enableNoPublicIp.value` set to `false` (cluster nodes get public IPs)",
        subject: ws,
        transform: edit(":Workspace", ws, props => ({ ...props, parameters: { ...obj(props.parameters), enableNoPublicIp: { value: false } } })),
    },
    {
        id: "host-subnet-not-delegated", feature: "vnet-injection",
        description: "Host (public) subnet without the `Microsoft.Databricks/workspaces` delegation",
        subject: ws,
        transform: edit(":Subnet", p => `${p}-host`, props => ({ ...props, delegations: [] })),
    },
    {
        id: "container-subnet-without-nsg", feature: "vnet-injection",
        description: "Container (private) subnet without a network security group",
        subject: ws,
        transform: edit(":Subnet", p => `${p}-container`, props => { const { networkSecurityGroup: _drop, ...rest } = props; return rest; }),
    },
    {
        id: "remove-backend-endpoint", feature: "classic-compute-private-link",
        description: "Back-end `databricks_ui_api` private endpoint removed (with its DNS zone group)",
        subject: ws,
        remove: (p, r) => isType(r, ":PrivateEndpoint") && r.name === `${p}-backend`,
    },
    {
        id: "backend-endpoint-to-other-workspace", feature: "classic-compute-private-link",
        description: "Back-end endpoint's `privateLinkServiceId` points at another workspace",
        subject: ws,
        transform: edit(":PrivateEndpoint", p => `${p}-backend`, props => ({
            ...props,
            privateLinkServiceConnections: [{ name: "backend", privateLinkServiceId: OTHER_WORKSPACE, groupIds: ["databricks_ui_api"] }],
        })),
    },
    {
        id: "public-control-plane-nsg-rules", feature: "classic-compute-private-link",
        description: "Workspace `requiredNsgRules: \"AllRules\"` (public control-plane NSG rules)",
        // With public network access disabled Azure rejects AllRules, and the inbound feature says so too.
        programs: ["managed-security", "hardened-connectivity"],
        subject: ws,
        transform: edit(":Workspace", ws, props => ({ ...props, requiredNsgRules: "AllRules" })),
    },
    {
        id: "ncc-of-other-region", feature: "serverless-stable-ips",
        description: "The workspace's NCC is in another region (`region: \"northeurope\"`)",
        // Where serverless Private Link is required too, the same NCC breaks both features.
        programs: ["managed-security"],
        subject: ws,
        transform: edit(":MwsNetworkConnectivityConfig", p => `${p}-ncc`, props => ({ ...props, region: "northeurope" })),
    },
    {
        id: "lake-firewall-without-serverless-subnets", feature: "serverless-stable-ips",
        description: "Data lake firewall (default action Deny) allows only the workspace subnets, not the NCC's stable subnets",
        programs: ["managed-security"],
        subject: ws,
        transform: p => args => {
            if (!args.type.endsWith(":StorageAccount") || args.name !== `${p}-lake`) {
                return undefined;
            }
            // The workspace subnets by ARM ID (as the mocks name them), known at preview too: the
            // firewall visibly names the workspace's VNet and nothing of the NCC.
            const subnet = (role: string) => `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${p}-rg/providers/Microsoft.Network/virtualNetworks/${p}-vnet/subnets/${p}-${role}`;
            const own = ["host", "container"].map(role => ({ virtualNetworkResourceId: subnet(role), action: "Allow" }));
            return { props: { ...args.props, networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices", virtualNetworkRules: own } }, opts: args.opts };
        },
    },
    {
        id: "ncc-rules-to-other-storage", feature: "serverless-stable-ips",
        description: "The NCC private endpoint rules target another storage account, so nothing lets serverless compute through the data lake's Deny firewall",
        programs: ["hardened-connectivity", "isolated-environment"],
        subject: ws,
        transform: p => args => args.type.endsWith(":MwsNccPrivateEndpointRule") && args.name.startsWith(`${p}-ncc-lake-`)
            ? { props: { ...args.props, resourceId: OTHER_STORAGE }, opts: args.opts }
            : undefined,
    },
    {
        id: "ip-access-lists-disabled", feature: "workspace-ip-access-lists",
        description: "`WorkspaceConf.customConfig.enableIpAccessLists` set to `\"false\"`",
        // The WorkspaceConf's own value, reported on it (no ingress policy restricts the workspace instead).
        subject: p => `${p}-conf`,
        transform: edit(":WorkspaceConf", p => `${p}-conf`, props => ({ ...props, customConfig: { enableIpAccessLists: "false" } })),
    },
    {
        id: "allow-list-allows-all", feature: "workspace-ip-access-lists",
        description: "The workspace ALLOW list is `0.0.0.0/0` (allow-all)",
        // The list's own value, reported on it (no ingress policy restricts the workspace instead).
        subject: p => `${p}-allowed`,
        transform: edit(":IpAccessList", p => `${p}-allowed`, props => ({ ...props, ipAddresses: ["0.0.0.0/0"] })),
    },
    {
        id: "allow-list-disabled", feature: "workspace-ip-access-lists",
        description: "The workspace ALLOW list is disabled (`enabled: false`)",
        // The list's own setting, reported on it (no ingress policy restricts the workspace instead).
        subject: p => `${p}-allowed`,
        transform: edit(":IpAccessList", p => `${p}-allowed`, props => ({ ...props, enabled: false })),
    },
    {
        id: "remove-account-policy", feature: "account-ip-access-lists",
        description: "`account-policy` (context-based ingress for the account console and APIs) removed, and no attestation of account IP access lists",
        remove: (p, r) => isType(r, ":AccountNetworkPolicy") && r.name === `${p}-account-policy`,
    },
    {
        id: "account-policy-full-access", feature: "account-ip-access-lists",
        description: "`account-policy` public ingress in `FULL_ACCESS`",
        // The policy's own value: refused on it, before it is updated.
        subject: p => `${p}-account-policy`,
        transform: edit(":AccountNetworkPolicy", p => `${p}-account-policy`, props => ({ ...props, ingress: { publicAccess: { restrictionMode: "FULL_ACCESS" } } })),
    },
    {
        id: "account-policy-allows-all", feature: "account-ip-access-lists",
        description: "`account-policy` allow rule with `origin.allIpRanges: true`",
        subject: p => `${p}-account-policy`,
        transform: edit(":AccountNetworkPolicy", p => `${p}-account-policy`, props => ({ ...props, ingress: { publicAccess: { restrictionMode: "RESTRICTED_ACCESS", allowRules: [{ origin: { allIpRanges: true } }] } } })),
    },
    {
        id: "account-policy-dry-run-only", feature: "account-ip-access-lists",
        description: "`account-policy` restrictions written only in `ingressDryRun` (logged, not enforced)",
        subject: p => `${p}-account-policy`,
        transform: edit(":AccountNetworkPolicy", p => `${p}-account-policy`, props => { const { ingress, ...rest } = props; return { ...rest, ingressDryRun: ingress }; }),
    },
    {
        id: "account-ingress-on-a-policy-that-governs-nothing", feature: "account-ip-access-lists",
        description: "The account ingress rules written into a policy other than `account-policy`, which governs nothing (the API accepts account destinations only in `account-policy`)",
        subject: p => `${p}-account-policy`,
        transform: edit(":AccountNetworkPolicy", p => `${p}-account-policy`, props => ({ ...props, networkPolicyId: "corporate-ingress" })),
    },
    {
        id: "token-recipient-without-ip-list", feature: "delta-sharing-ip-access-lists",
        description: "Open-sharing (TOKEN) recipient without `ipAccessList`",
        subject: p => `${p}-recipient-partner`,
        transform: edit(":Recipient", p => `${p}-recipient-partner`, props => { const { ipAccessList: _drop, ...rest } = props; return rest; }),
    },
    {
        id: "token-recipient-allows-all", feature: "delta-sharing-ip-access-lists",
        description: "Open-sharing recipient's `ipAccessList.allowedIpAddresses` is `0.0.0.0/0`",
        subject: p => `${p}-recipient-partner`,
        transform: edit(":Recipient", p => `${p}-recipient-partner`, props => ({ ...props, ipAccessList: { allowedIpAddresses: ["0.0.0.0/0"] } })),
    },
    {
        id: "egress-dry-run", feature: "serverless-egress-control",
        description: "Network policy `policyEnforcement.enforcementMode: \"DRY_RUN\"` (violations logged, not blocked)",
        subject: ws,
        transform: edit(":AccountNetworkPolicy", p => `${p}-egress`, props => {
            const egress = obj(props.egress);
            const access = obj(egress.networkAccess);
            return { ...props, egress: { ...egress, networkAccess: { ...access, policyEnforcement: { enforcementMode: "DRY_RUN" } } } };
        }),
    },
    {
        id: "egress-full-access", feature: "serverless-egress-control",
        description: "Network policy `restrictionMode: \"FULL_ACCESS\"`",
        subject: ws,
        transform: edit(":AccountNetworkPolicy", p => `${p}-egress`, props => ({ ...props, egress: { networkAccess: { restrictionMode: "FULL_ACCESS" } } })),
    },
    {
        id: "remove-workspace-network-option", feature: "serverless-egress-control",
        description: "`WorkspaceNetworkOption` removed (the workspace falls back to the undeclared `default-policy`)",
        subject: ws,
        remove: (p, r) => isType(r, ":WorkspaceNetworkOption") && r.name === `${p}-egress-option`,
    },
    {
        id: "account-network-policy-removed", feature: "serverless-egress-control",
        description: "Account egress resources removed: no egress `AccountNetworkPolicy` and no `WorkspaceNetworkOption` in the stack (managed nowhere, or in an account stack not attested)",
        subject: ws,
        // The egress policy and its option; account-policy (the account console's ingress) stays.
        remove: (p, r) => (isType(r, ":AccountNetworkPolicy") && r.name !== `${p}-account-policy`) || isType(r, ":WorkspaceNetworkOption"),
    },
    {
        id: "ncc-resources-removed", feature: "serverless-private-link",
        description: "Account resources removed: no NCC, `MwsNccBinding` or `MwsNccPrivateEndpointRule` in the stack (managed nowhere, or in an account stack not attested)",
        programs: ["hardened-connectivity", "isolated-environment"],
        subject: ws,
        remove: (_p, r) => isType(r, ":MwsNccBinding") || isType(r, ":MwsNccPrivateEndpointRule"),
        alsoBreaks: ["serverless-stable-ips"],
    },
    {
        id: "remove-ncc-binding", feature: "serverless-private-link",
        description: "`MwsNccBinding` removed (the workspace is bound to no NCC)",
        subject: ws,
        remove: (p, r) => isType(r, ":MwsNccBinding") && r.name === `${p}-ncc-binding`,
    },
    {
        id: "default-storage-firewall-disabled", feature: "cloud-service-private-access",
        description: "Workspace `defaultStorageFirewall: \"Disabled\"` (DBFS root open to the public)",
        subject: ws,
        transform: edit(":Workspace", ws, props => ({ ...props, defaultStorageFirewall: "Disabled" })),
    },
    {
        id: "lake-open-to-public", feature: "cloud-service-private-access",
        description: "Data lake `publicNetworkAccess: \"Enabled\"` with firewall default action `Allow`",
        subject: ws,
        transform: edit(":StorageAccount", p => `${p}-lake`, props => ({ ...props, publicNetworkAccess: "Enabled", networkRuleSet: { defaultAction: "Allow", bypass: "AzureServices" } })),
    },
    {
        id: "remove-lake-private-endpoints", feature: "cloud-service-private-access",
        description: "The data lake's `blob` and `dfs` private endpoints removed (with their DNS zone groups)",
        subject: ws,
        remove: (p, r) => isType(r, ":PrivateEndpoint") && (r.name === `${p}-lake-blob` || r.name === `${p}-lake-dfs`),
    },
    {
        id: "public-network-access-enabled", feature: "workspace-inbound-private-link",
        description: "Workspace `publicNetworkAccess: \"Enabled\"`",
        subject: ws,
        transform: edit(":Workspace", ws, props => ({ ...props, publicNetworkAccess: "Enabled" })),
    },
    {
        id: "remove-browser-authentication-endpoint", feature: "workspace-inbound-private-link",
        description: "The `browser_authentication` private endpoint removed",
        subject: ws,
        remove: (p, r) => isType(r, ":PrivateEndpoint") && r.name === `${p}-webauth`,
    },
    {
        id: "remove-service-direct-endpoint", feature: "performance-services-private-link",
        description: "The `service_direct` private endpoint removed (with its account registration)",
        subject: ws,
        remove: (p, r) => isType(r, ":PrivateEndpoint") && r.name === `${p}-service-direct`,
    },
    {
        id: "remove-service-direct-registration", feature: "performance-services-private-link",
        description: "The `databricks.Endpoint` registration of the `service_direct` endpoint removed",
        subject: ws,
        remove: (p, r) => isType(r, ":Endpoint") && r.type.startsWith("databricks:") && r.name === `${p}-service-direct-registration`,
    },
    {
        id: "default-route-to-internet", feature: "external-firewall",
        description: "The route table's `0.0.0.0/0` route goes to `Internet` instead of the firewall",
        subject: ws,
        transform: edit(":RouteTable", p => `${p}-routes`, props => ({
            ...props, routes: [{ name: "default-to-internet", addressPrefix: "0.0.0.0/0", nextHopType: "Internet" }],
        })),
    },
    {
        id: "container-subnet-without-route-table", feature: "external-firewall",
        description: "Container (private) subnet without the route table",
        subject: ws,
        transform: edit(":Subnet", p => `${p}-container`, props => { const { routeTable: _drop, ...rest } = props; return rest; }),
    },
];

/** Removes the matching resources and, transitively, every resource that depends on them. */
export function removeWithDependents(resources: RecordedResource[], match: (r: RecordedResource) => boolean): RecordedResource[] {
    const gone = new Set(resources.filter(match).map(r => r.urn));
    let grew = true;
    while (grew) {
        grew = false;
        for (const r of resources) {
            if (gone.has(r.urn)) {
                continue;
            }
            const deps = [...r.dependencies, ...Object.values(r.propertyDependencies).flat()];
            if (deps.some(u => gone.has(u))) {
                gone.add(r.urn);
                grew = true;
            }
        }
    }
    return resources.filter(r => !gone.has(r.urn));
}
