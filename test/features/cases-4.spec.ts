// Feature cases, shard 4 (test/features/suite.ts).

import { featureCases } from "./suite";

featureCases(3);
