// The hardened-connectivity reference program end to end (test/e2e/suite.ts).

import { referenceProgram } from "./suite";

referenceProgram("hardened-connectivity");
