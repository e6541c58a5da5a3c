// `npm run publish:packs -- <org> [--tier <tier>]`: builds and publishes the per-tier packs (support/release.ts).

import { parsePublishArgs, publish } from "../support/release";

try {
    process.exitCode = publish(parsePublishArgs(process.argv.slice(2)));
} catch (e) {
    console.error((e as Error).message);
    process.exitCode = 2;
}
