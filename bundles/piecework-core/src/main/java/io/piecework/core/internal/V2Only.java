package io.piecework.core.internal;

import io.piecework.api.metainfo.MagnetLink;
import io.piecework.api.metainfo.TorrentMetainfo;
import java.io.IOException;

/**
 * Refuses what the engine cannot download yet: a v2-only torrent has no v1 piece hashes, and the
 * v2 wire messages (hash request, hashes) are not there, so it would "complete" with 0 pieces.
 */
final class V2Only {
    private static final String WHY = "v2-only download not supported yet (hybrid and v1 torrents are)";

    private V2Only() {
    }

    static void refuse(TorrentMetainfo metainfo) throws IOException {
        if (!metainfo.version().hasV1()) {
            throw new IOException(metainfo.name() + ": " + WHY);
        }
    }

    static void refuse(MagnetLink magnet) throws IOException {
        if (magnet.v2Only()) {
            throw new IOException("magnet " + magnet.infoHash().hex() + ": " + WHY);
        }
    }
}
