// Every feature module of the pack, in matrix order. Adding a feature: its module, its matrix row and one line here (CONTRIBUTING.md).

import { FeatureModule } from "./core/rules/contract";
import { secureClusterConnectivity } from "./classic-compute/secure-cluster-connectivity";
import { vnetInjection } from "./classic-compute/vnet-injection";
import { classicComputePrivateLink } from "./classic-compute/classic-compute-private-link";
import { workspaceInboundPrivateLink } from "./inbound/workspace-inbound-private-link";
import { performanceServicesPrivateLink } from "./inbound/performance-services-private-link";
import { workspaceIpAccessLists } from "./inbound/workspace-ip-access-lists";
import { accountIpAccessLists } from "./inbound/account-ip-access-lists";
import { deltaSharingIpAccessLists } from "./inbound/delta-sharing-ip-access-lists";
import { serverlessEgressControl } from "./outbound/serverless-egress-control";
import { serverlessPrivateLink } from "./outbound/serverless-private-link";
import { serverlessStableIps } from "./outbound/serverless-stable-ips";
import { externalFirewall } from "./outbound/external-firewall";
import { cloudServicePrivateAccess } from "./outbound/cloud-service-private-access";

export const FEATURES: readonly FeatureModule[] = [
    secureClusterConnectivity,
    vnetInjection,
    classicComputePrivateLink,
    workspaceInboundPrivateLink,
    performanceServicesPrivateLink,
    workspaceIpAccessLists,
    accountIpAccessLists,
    deltaSharingIpAccessLists,
    serverlessEgressControl,
    serverlessPrivateLink,
    serverlessStableIps,
    externalFirewall,
    cloudServicePrivateAccess,
];
