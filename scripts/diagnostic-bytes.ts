// Diagnostic bytes per resource at two sizes ten times apart (support/diagnostic-bytes.ts):
// `node bin/scripts/diagnostic-bytes.js [small]`.

import { diagnosticBytesGrowth } from "../support/diagnostic-bytes";

const small = Number(process.argv[2] ?? 500);
diagnosticBytesGrowth(small).then(r => {
    for (const x of [r.small, r.large]) {
        process.stdout.write(`${x.resources} resources: ${x.diagnostics} diagnostics, ${x.bytes} bytes, ${x.bytesPerResource.toFixed(1)} bytes per resource\n`);
    }
    process.stdout.write(`ratio ${r.ratio.toFixed(2)} (target: at most 1.2)\n`);
}).catch(e => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
});
