// The helpers behind bounded messages and strict dates, and the model's ID index with many
// resources sharing an ID.

import * as assert from "assert";
import { cut, cutId, ID_LIMIT, quote, QUOTE_LIMIT } from "../../policies/core/model/values";
import { isCalendarDate } from "../../policies/core/evaluation/config";
import { listOf } from "../../policies/core/rules/contract";
import { ResourceInput, StackModel } from "../../policies/core/model/stack";

describe("quoting values from the stack and the configuration", () => {
    it("a short value is quoted whole, as JSON", () => {
        assert.strictEqual(quote("premium"), "\"premium\"");
        assert.strictEqual(quote("a \"b\"\n"), "\"a \\\"b\\\"\\n\"");
        assert.strictEqual(quote(42), "42");
        assert.strictEqual(quote(false), "false");
        assert.strictEqual(quote(null), "null");
        assert.strictEqual(quote(undefined), "undefined");
        assert.strictEqual(quote({ a: [1, "x"], b: null }), "{\"a\":[1,\"x\"],\"b\":null}");
        assert.strictEqual(cut("westeurope"), "westeurope");
    });

    it("a long value is cut to a marked prefix that says how much is left out", () => {
        assert.strictEqual(quote("x".repeat(50_000_000)), `"${"x".repeat(QUOTE_LIMIT)}"…(+${50_000_000 - QUOTE_LIMIT} characters)`);
        assert.strictEqual(cut("y".repeat(150)), `${"y".repeat(100)}…(+50 characters)`);
        assert.strictEqual(cut("y".repeat(150), 10), `${"y".repeat(10)}…(+140 characters)`);
        assert.strictEqual(cutId(`/subscriptions/${"s".repeat(1000)}`).length, ID_LIMIT + "…(+615 characters)".length);
        // Never half a surrogate pair.
        const emoji = `a${"😀".repeat(60)}`;
        assert.strictEqual(cut(emoji), `a${"😀".repeat(49)}…(+22 characters)`);
        assert.strictEqual(quote(emoji), `"a${"😀".repeat(49)}"…(+22 characters)`);
        assert.strictEqual(quote([emoji]), `["a${"😀".repeat(48)}…(+26 characters)`);
    });

    it("a large object or list is written only up to the cut, its remaining JSON counted exactly", () => {
        const big = { list: Array.from({ length: 100_000 }, (_, i) => ({ i, s: "v\"" })) };
        const json = JSON.stringify(big);
        const q = quote(big);
        assert.strictEqual(q, `${json.slice(0, QUOTE_LIMIT)}…(+${json.length - QUOTE_LIMIT} characters)`);
        const long = ["a".repeat(300), { k: "é\u0001".repeat(100) }];
        assert.strictEqual(quote(long), `${JSON.stringify(long).slice(0, QUOTE_LIMIT)}…(+${JSON.stringify(long).length - QUOTE_LIMIT} characters)`);
        // Any depth, without recursion.
        let deep: unknown = "leaf";
        for (let i = 0; i < 200_000; i++) {
            deep = [deep];
        }
        assert.strictEqual(quote(deep), `${"[".repeat(QUOTE_LIMIT)}…(+${200_000 * 2 + 6 - QUOTE_LIMIT} characters)`);
    });

    it("a list in a message names its first items only, and shows only those", () => {
        let shown = 0;
        const items = Array.from({ length: 20_000 }, (_, i) => i);
        assert.strictEqual(listOf(items, i => { shown++; return `#${i}`; }), "#0, #1, #2, and 19997 more");
        assert.strictEqual(shown, 3);
        assert.strictEqual(listOf([1, 2], String, "; "), "1; 2");
    });
});

describe("calendar dates", () => {
    it("are days of the calendar in the form YYYY-MM-DD", () => {
        for (const d of ["2027-01-31", "2027-02-28", "2028-02-29", "2000-02-29", "2027-04-30", "2027-12-31", "1999-06-30"]) {
            assert.ok(isCalendarDate(d), d);
        }
        for (const d of ["2027-02-30", "2027-02-31", "2027-04-31", "2027-06-31", "2027-09-31", "2027-11-31", "2027-02-29", "2100-02-29",
            "2027-13-01", "2027-00-01", "2027-01-00", "2027-01-32", "2027-1-01", "27-01-01", "2027-01-01T00:00:00Z", " 2027-01-01", "next year", 20270101, undefined]) {
            assert.ok(typeof d !== "string" || !isCalendarDate(d), String(d));
        }
    });
});

describe("the model with many resources sharing an ID", () => {
    const SUBNET = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/host";

    function subnet(i: number, id = SUBNET): ResourceInput {
        return { urn: `urn:pulumi:dev::p::azure-native:network:Subnet::s${i}`, type: "azure-native:network:Subnet", name: `s${i}`, props: { id } };
    }

    it("20 000 resources sharing one ID: a lookup answers them in stack order, of the kinds asked for, once per ID", () => {
        const vnet: ResourceInput = { urn: "urn:pulumi:dev::p::azure-native:network:VirtualNetwork::v", type: "azure-native:network:VirtualNetwork", name: "v", props: { id: SUBNET.toUpperCase() } };
        const model = new StackModel([vnet, ...Array.from({ length: 20_000 }, (_, i) => subnet(i))]);
        const subnets = model.lookupId(SUBNET, ["subnet"]);
        assert.strictEqual(subnets.length, 20_000);
        assert.strictEqual(subnets[0].name, "s0");
        // Kept once per ID and kinds: asked again, the same list.
        assert.strictEqual(model.lookupId(SUBNET, ["subnet"]), subnets);
        // ARM IDs compare in any letter case; in stack order.
        assert.strictEqual(model.lookupId(SUBNET.toLowerCase(), ["subnet", "virtualNetwork"])[0].name, "v");
        assert.deepStrictEqual(model.lookupId(SUBNET, ["networkSecurityGroup"]), []);
        const from = model.resources[5];
        const ref = model.resolve(from, "subnet", { state: "known", value: SUBNET }, ["subnet"]);
        assert.ok(ref.state === "resolved" && ref.target.name === "s0");
    });
});
