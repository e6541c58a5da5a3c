import * as assert from "assert";
import { coverage, parseRange } from "../../../policies/core/model/cidr";

describe("allow-list ranges as sets of addresses", () => {
    it("a single catch-all covers its family", () => {
        assert.deepStrictEqual(coverage(["0.0.0.0/0"]).everything, ["IPv4"]);
        assert.deepStrictEqual(coverage(["::/0"]).everything, ["IPv6"]);
        assert.deepStrictEqual(coverage(["*"]).everything, ["IPv4"]);
    });

    it("ranges that only together cover the space are named, all of them", () => {
        const c = coverage(["128.0.0.0/1", "0.0.0.0/1"]);
        assert.deepStrictEqual(c.everything, ["IPv4"]);
        assert.deepStrictEqual(c.covering, ["128.0.0.0/1", "0.0.0.0/1"]);
        assert.deepStrictEqual(coverage(["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/3", "224.0.0.0/3"]).everything, ["IPv4"]);
        assert.deepStrictEqual(coverage(["::/1", "8000::/1"]).everything, ["IPv6"]);
    });

    it("a gap anywhere is no cover: the last address, the first, one in the middle", () => {
        assert.deepStrictEqual(coverage(["0.0.0.0/1", "128.0.0.0/2", "192.0.0.0/3", "224.0.0.0/4", "240.0.0.0/5"]).everything, []);
        assert.deepStrictEqual(coverage(["0.0.0.1/32", "0.0.0.2/31", "0.0.0.4/30", "0.0.0.8/29", "0.0.0.16/28", "0.0.0.32/27", "0.0.0.64/26", "0.0.0.128/25", "0.0.1.0/24", "0.0.2.0/23", "0.0.4.0/22", "0.0.8.0/21", "0.0.16.0/20", "0.0.32.0/19", "0.0.64.0/18", "0.0.128.0/17", "0.1.0.0/16", "0.2.0.0/15", "0.4.0.0/14", "0.8.0.0/13", "0.16.0.0/12", "0.32.0.0/11", "0.64.0.0/10", "0.128.0.0/9", "1.0.0.0/8", "2.0.0.0/7", "4.0.0.0/6", "8.0.0.0/5", "16.0.0.0/4", "32.0.0.0/3", "64.0.0.0/2", "128.0.0.0/1"]).everything, []);
        assert.deepStrictEqual(coverage(["0.0.0.0/2", "128.0.0.0/1"]).everything, []);
        assert.deepStrictEqual(coverage(["203.0.113.0/24", "198.51.100.7"]).everything, []);
    });

    it("host bits below the prefix are ignored, as Azure and Databricks normalise them", () => {
        assert.deepStrictEqual(parseRange("10.1.2.3/8"), { family: "IPv4", start: 10n << 24n, end: (11n << 24n) - 1n });
        assert.deepStrictEqual(coverage(["1.2.3.4/1", "200.0.0.0/1"]).everything, ["IPv4"]);
    });

    it("malformed entries are named, never thrown, and do not count as cover", () => {
        const c = coverage(["300.0.0.0/8", "10.0.0.0/33", "fe80::1::2", "not-an-ip", "", "1.2.3.4/x", "0.0.0.0/1"]);
        assert.deepStrictEqual(c.malformed, ["300.0.0.0/8", "10.0.0.0/33", "fe80::1::2", "not-an-ip", "", "1.2.3.4/x"]);
        assert.deepStrictEqual(c.everything, []);
    });

    it("IPv6 forms: compressed, full, with a prefix", () => {
        assert.ok(parseRange("2001:db8::/32"));
        assert.ok(parseRange("2001:0db8:0000:0000:0000:0000:0000:0001"));
        assert.strictEqual(parseRange("2001:db8::1:2:3:4:5:6:7"), undefined);
    });
});
