// The pack's HTTP/2 receive window: wide enough that a large AnalyzeStack request arrives in a few
// writes, per stream and per connection, as any HTTP/2 client (the engine's included) sees it.

import * as assert from "assert";
import * as http2 from "http2";
import { thePack } from "../../harness/global";
import { RECEIVE_WINDOW, widenReceiveWindow } from "../../../policies/core/engine/window";

/** What a plain HTTP/2 client learns from the pack's server: its SETTINGS and its connection window. */
async function windows(port: number): Promise<{ stream: number | undefined; connection: number }> {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    try {
        const settings = await new Promise<http2.Settings>((resolve, reject) => {
            session.once("remoteSettings", resolve);
            session.once("error", reject);
        });
        // The connection's window update follows the SETTINGS frame; a ping round trip is after both.
        await new Promise<void>((resolve, reject) => session.ping(err => (err ? reject(err) : resolve())));
        return { stream: settings.initialWindowSize, connection: session.state.remoteWindowSize ?? 0 };
    } finally {
        session.close();
    }
}

describe("the pack's HTTP/2 receive window", () => {
    it(`is ${RECEIVE_WINDOW / 1024 / 1024} MiB per stream and per connection, not HTTP/2's default 64 KiB`, async () => {
        const w = await windows(thePack().port);
        assert.strictEqual(w.stream, RECEIVE_WINDOW);
        assert.strictEqual(w.connection, RECEIVE_WINDOW);
    });

    it("leaves a server whose internals it does not know as it is", () => {
        const server = { addService: () => undefined };
        assert.strictEqual(widenReceiveWindow(server), false);
        assert.deepStrictEqual(Object.keys(server), ["addService"]);
    });
});
