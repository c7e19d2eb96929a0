package io.piecework.core.internal;

import io.piecework.transport.PeerTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine-wide rate limits from its configuration, in KiB/s (0: unlimited): the normal pair,
 * or the alternative ("turtle") pair while the turtle switch is on, as Transmission's
 * alt-speed. Applied to every transport of the engine, live.
 */
record GlobalRates(int downloadKiB, int uploadKiB, int turtleDownloadKiB, int turtleUploadKiB, boolean turtle) {
    private static final Logger LOG = LoggerFactory.getLogger(GlobalRates.class);
    static final GlobalRates UNLIMITED = new GlobalRates(0, 0, 0, 0, false);

    static GlobalRates from(EngineComponent.Config c) {
        return new GlobalRates(valid(c.download_limit_kib(), "download.limit.kib"),
                valid(c.upload_limit_kib(), "upload.limit.kib"),
                valid(c.turtle_download_limit_kib(), "turtle.download.limit.kib"),
                valid(c.turtle_upload_limit_kib(), "turtle.upload.limit.kib"), c.turtle());
    }

    /** A negative limit is a configuration mistake: said once, and read as unlimited rather than failing the engine. */
    private static int valid(int kib, String key) {
        if (kib < 0) {
            LOG.warn("{} = {} is negative: no limit applied (0 is unlimited)", key, kib);
            return 0;
        }
        return kib;
    }

    long downloadBytesPerSecond() {
        return 1024L * (turtle ? turtleDownloadKiB : downloadKiB);
    }

    long uploadBytesPerSecond() {
        return 1024L * (turtle ? turtleUploadKiB : uploadKiB);
    }

    void applyTo(PeerTransport transport) {
        transport.limitRates(downloadBytesPerSecond(), uploadBytesPerSecond());
    }
}
