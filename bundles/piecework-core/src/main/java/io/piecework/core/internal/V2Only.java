package io.piecework.core.internal;

import io.piecework.api.metainfo.MagnetLink;
import java.io.IOException;

/**
 * Refuses what the engine cannot download yet: a btmh-only magnet's metadata carries no piece
 * layers, and until peers can send them (BEP 52 hash request / hashes) no piece of a file
 * larger than one piece could ever verify. A v2-only .torrent carries its layers and is taken.
 */
final class V2Only {
    private static final String WHY = "v2-only magnet download not supported yet"
            + " (v2-only .torrent files, hybrid and v1 magnets are)";

    private V2Only() {
    }

    static void refuse(MagnetLink magnet) throws IOException {
        if (magnet.v2Only()) {
            throw new IOException("magnet " + magnet.infoHash().hex() + ": " + WHY);
        }
    }
}
