// Feature cases, shard 2 (test/features/suite.ts).

import { featureCases } from "./suite";

featureCases(1);
