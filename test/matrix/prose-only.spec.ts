// The one feature the reference architecture describes in prose only, without a row of its own.

import * as assert from "assert";
import { featureRow } from "../../policies/matrix";

describe("features described in prose only", () => {
    it("cloud-service-private-access: cloud service access, required in Hardened and Isolated", () => {
        const row = featureRow("cloud-service-private-access");
        assert.match(row.proseOnly ?? "", /cloud service access/);
        assert.deepStrictEqual(row.tiers, { "managed-security": "none", "hardened-connectivity": "required", "isolated-environment": "required" });
    });
});
