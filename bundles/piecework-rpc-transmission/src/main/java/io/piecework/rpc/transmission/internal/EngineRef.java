package io.piecework.rpc.transmission.internal;

import io.piecework.api.engine.TorrentEngine;

/** The engine as bound now; none while it restarts, which a request hears as an error result. */
@FunctionalInterface
interface EngineRef {
    TorrentEngine get() throws RpcException;

    static EngineRef of(TorrentEngine engine) {
        return () -> engine;
    }

    static RpcException notRunning() {
        return new RpcException("the engine is not running (starting or restarting): try again shortly");
    }
}
