import * as assert from "assert";
import { diagnosticBytesGrowth } from "../../../support/diagnostic-bytes";

describe("diagnostics stay bounded as the stack grows", () => {
    it("bytes per resource at 200 and 2 000 resources (endpoints to a workspace of another stack) stay within 1.2× of each other", async () => {
        const r = await diagnosticBytesGrowth(200);
        assert.ok(r.large.diagnostics > r.small.diagnostics, JSON.stringify(r));
        assert.ok(r.ratio <= 1.2, `bytes per resource grew ${r.ratio.toFixed(2)}×: ${JSON.stringify(r)}`);
    });
});
