// Writes docs/mutations.md from the end-to-end suite's mutation list.

import * as fs from "fs";
import * as path from "path";
import { mutationsTable } from "./table";

const file = path.resolve(__dirname, "..", "..", "..", "docs", "mutations.md");
fs.writeFileSync(file, mutationsTable());
process.stderr.write(`wrote ${path.relative(process.cwd(), file)}\n`);
