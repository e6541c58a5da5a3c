// The receive window of the pack's HTTP/2 connections. grpc-js serves with HTTP/2's default
// windows of 64 KiB, per stream and per connection, so the engine sends an AnalyzeStack request
// of tens of megabytes 64 KiB at a time, waiting for a window update after each. A wider window
// lets it send the request in a few writes. It changes no backpressure that matters: grpc-js keeps
// a request whole in memory before it decodes it, and sets no limit on a session's memory.

import * as http2 from "http2";

/** 64 MiB: the request of a stack of about 50 000 resources. */
export const RECEIVE_WINDOW = 64 * 1024 * 1024;

/**
 * Reach: private members of a grpc-js Server (read from @grpc/grpc-js 1.14.7): `commonServerOptions`
 * (the http2 server's settings) and `_setupHandlers` (called with each new http2 server). grpc-js
 * has no server option for the window; without it a large AnalyzeStack request arrives slowly.
 */
interface WidenableServer {
    commonServerOptions?: { settings?: http2.Settings };
    _setupHandlers?: (server: http2.Http2Server | null, ...rest: unknown[]) => unknown;
}

/**
 * Widens the receive windows of a grpc-js Server before it binds: the initial stream window it
 * advertises, and each new connection's own window. Returns whether it could (a grpc-js whose
 * internals differ is left as it is).
 */
export function widenReceiveWindow(server: unknown): boolean {
    const s = server as WidenableServer;
    const setup = s._setupHandlers;
    if (s.commonServerOptions === undefined || typeof setup !== "function") {
        return false;
    }
    s.commonServerOptions.settings = { ...s.commonServerOptions.settings, initialWindowSize: RECEIVE_WINDOW };
    s._setupHandlers = function (this: WidenableServer, http2Server: http2.Http2Server | null, ...rest: unknown[]) {
        http2Server?.on("session", (session: http2.ServerHttp2Session) => {
            // setLocalWindowSize exists from Node.js 15.3 and 14.18.
            if (typeof session.setLocalWindowSize === "function") {
                try {
                    session.setLocalWindowSize(RECEIVE_WINDOW);
                } catch {
                    // A session already closing keeps its window.
                }
            }
        });
        return setup.call(this, http2Server, ...rest);
    };
    return true;
}
