// Feature cases, shard 1 (test/features/suite.ts).

import { featureCases } from "./suite";

featureCases(0);
