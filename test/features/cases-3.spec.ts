// Feature cases, shard 3 (test/features/suite.ts).

import { featureCases } from "./suite";

featureCases(2);
