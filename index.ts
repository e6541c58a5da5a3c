// The policy pack the engine starts. Everything lives in ./policies; see README.md for composing
// your own pack with `createPolicyPack(name, { tier, attestations, exemptions })`.

import { createPolicyPack } from "./policies";

createPolicyPack();
