// The managed-security reference program end to end (test/e2e/suite.ts).

import { referenceProgram } from "./suite";

referenceProgram("managed-security");
