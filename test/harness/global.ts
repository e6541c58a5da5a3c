// One pack process for the whole test run, started the way the engine starts it.

import * as path from "path";
import { PackProcess } from "../../support/engine";

export const PACK_DIR = path.resolve(__dirname, "..", "..", "..");

let pack: PackProcess | undefined;

export function thePack(): PackProcess {
    if (!pack) {
        throw new Error("the pack is not running (test/harness/global.js must be required by mocha)");
    }
    return pack;
}

export const mochaHooks = {
    async beforeAll(this: Mocha.Context) {
        this.timeout(60_000);
        pack = await PackProcess.start(PACK_DIR);
    },
    async afterAll() {
        await pack?.stop();
        pack = undefined;
    },
};
