package io.piecework.api.discovery;

import io.piecework.api.metainfo.InfoHash;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** What a source needs to know of a torrent, read live at each announce; the engine provides it. */
@ProviderType
public interface AnnounceTarget {
    InfoHash infoHash();

    /** The 20-byte peer id the engine uses in handshakes. */
    byte[] peerId();

    /** Trackers by tier (BEP 12): from the .torrent, or the magnet link's {@code tr}. */
    List<List<String>> trackerTiers();

    /** Private torrents (BEP 27) are announced to their trackers only, never to the DHT. */
    boolean isPrivate();

    /** The TCP port peers can reach us on. */
    int port();

    long uploaded();

    long downloaded();

    /** Bytes still wanted; 0 when seeding. */
    long left();
}
