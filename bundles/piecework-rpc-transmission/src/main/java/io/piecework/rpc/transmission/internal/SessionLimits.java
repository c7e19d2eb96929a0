package io.piecework.rpc.transmission.internal;

/**
 * The engine's session-wide rate limits as its configuration holds them, in KiB/s (0: off):
 * read and changed by {@code session-get}/{@code session-set}. The engine applies a change live.
 */
interface SessionLimits {
    Values get() throws RpcException;

    void set(Values values) throws RpcException;

    /** The engine's connection limit across torrents ({@code max.connections}), for peer-limit-global. */
    default int maxConnections() {
        return 500;
    }

    /** The engine's keys, {@code download.limit.kib} ... {@code turtle}, and its defaults. */
    record Values(int downloadKiB, int uploadKiB, int turtleDownloadKiB, int turtleUploadKiB, boolean turtle) {
        /** EngineComponent.Config's defaults (its turtle pair is 50 KiB/s, as Transmission's alt-speed). */
        static final Values DEFAULTS = new Values(0, 0, 50, 50, false);
    }
}
