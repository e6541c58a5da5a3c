// Pass/fail cases of delta-sharing-ip-access-lists (fixtures/cases.ts says how they run).

import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";
import { FeatureCases, advisory, beforeCreation, mandatory } from "../../../fixtures/cases";
import { nativeWorkspace } from "../../../fixtures/native";
import { recipient } from "../../../fixtures/inbound";

const open = [beforeCreation(mandatory("wrong", "partner"))];

/** A lone TOKEN recipient limited to `list` (none when undefined). */
const token = (list?: string[]) => () => recipient("partner", "TOKEN", list);

export const cases: FeatureCases = {
    feature: "delta-sharing-ip-access-lists",
    cases: [
        {
            name: "a TOKEN recipient limited to specific addresses passes",
            program: () => { nativeWorkspace(); recipient("partner", "TOKEN", ["203.0.113.0/24"]); },
            mode: "both",
            expect: { "hardened-connectivity": [], "isolated-environment": [] },
        },
        {
            name: "a TOKEN recipient without an IP access list fails, refused before creation",
            program: token(),
            mode: "both",
            expect: { "hardened-connectivity": open, "isolated-environment": open },
        },
        {
            name: "an empty list does not restrict",
            program: token([]),
            expect: { "hardened-connectivity": open },
        },
        {
            name: "0.0.0.0/0 does not restrict",
            program: token(["0.0.0.0/0"]),
            expect: { "hardened-connectivity": open },
        },
        {
            name: "a specific range with ::/0 does not restrict",
            program: token(["198.51.100.0/24", "::/0"]),
            expect: { "hardened-connectivity": open },
        },
        {
            name: "the same specific range alone restricts",
            program: token(["198.51.100.0/24"]),
            expect: { "hardened-connectivity": [] },
        },
        {
            name: "several recipients are judged separately; DATABRICKS recipients are out of scope",
            program: () => {
                recipient("good", "TOKEN", ["203.0.113.0/24"]);
                recipient("open", "TOKEN");
                recipient("d2d", "DATABRICKS");
            },
            expect: { "hardened-connectivity": [beforeCreation(mandatory("wrong", "open"))] },
        },
        {
            name: "addresses unknown at preview: advisory, never mandatory",
            program: () => {
                const ip = new network.PublicIPAddress("partner-ip", { resourceGroupName: "rg", publicIpAddressName: "partner-ip" });
                recipient("partner", "TOKEN", [pulumi.interpolate`${ip.ipAddress}/32`] as unknown as string[]);
            },
            mode: "preview",
            expect: { "hardened-connectivity": [beforeCreation(advisory("unknown", "partner"))] },
        },
        {
            name: "an authentication type unknown until apply is never mandatory, even without a list",
            program: () => {
                const ip = new network.PublicIPAddress("mode", { resourceGroupName: "rg", publicIpAddressName: "mode" });
                recipient("partner", ip.id.apply(() => "TOKEN") as unknown as string);
            },
            mode: "preview",
            expect: { "hardened-connectivity": [beforeCreation(advisory("unknown", "partner"))] },
        },
        {
            name: "the same recipient at update (TOKEN known) fails",
            program: () => {
                const ip = new network.PublicIPAddress("mode", { resourceGroupName: "rg", publicIpAddressName: "mode" });
                recipient("partner", ip.id.apply(() => "TOKEN") as unknown as string);
            },
            expect: { "hardened-connectivity": open },
        },
        {
            name: "Premium is a prerequisite: a Standard workspace with open sharing fails",
            program: () => { nativeWorkspace({ sku: "standard" }); recipient("partner", "TOKEN", ["203.0.113.0/24"]); },
            expect: { "hardened-connectivity": [mandatory("wrong", "prod-ws")] },
        },
        {
            name: "not applicable without TOKEN recipients",
            program: () => { nativeWorkspace(); recipient("d2d", "DATABRICKS"); },
            expect: { "hardened-connectivity": "not-applicable" },
        },
        {
            name: "not applicable without recipients",
            program: () => nativeWorkspace(),
            expect: { "hardened-connectivity": "not-applicable" },
        },
        {
            name: "not part of Managed security",
            program: token(),
            expect: { "managed-security": "not-applicable" },
        },
    ],
};
