// The premise of account-ip-access-lists' attestation: the databricks provider SDK has no resource
// for the account console's legacy IP access lists, so only account-policy or an attestation prove it.

import * as assert from "assert";
import * as databricks from "@pulumi/databricks";

describe("sdk: account IP access lists", () => {
    it("@pulumi/databricks exports no resource for account IP access lists", () => {
        const exported = Object.keys(databricks).filter(k => /^account.*ip.*access/i.test(k));
        assert.deepStrictEqual(exported, []);
    });
});
