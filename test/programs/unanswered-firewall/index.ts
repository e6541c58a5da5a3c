import * as azure from "@pulumi/azure";

const fw = azure.network.getFirewallOutput({ name: "hub-fw", resourceGroupName: "rg-hub" });
const routes = new azure.network.RouteTable("routes", { resourceGroupName: "rg", location: "westeurope" });
for (let i = 0; i < 20; i++) {
    new azure.network.Route(`to-fw-${i}`, {
        resourceGroupName: "rg", routeTableName: routes.name, addressPrefix: `10.${i}.0.0/16`,
        nextHopType: "VirtualAppliance", nextHopInIpAddress: fw.ipConfigurations.apply(c => c[0].privateIpAddress),
    });
}
