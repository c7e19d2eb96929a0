package io.piecework.api.engine;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.TorrentMetainfo;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** Downloads and seeds torrents. */
@ProviderType
public interface TorrentEngine {
    /**
     * Adds a torrent and, unless {@link AddOptions#paused()}, starts it. Adding a torrent that is
     * already there returns its handle.
     *
     * @throws IOException when its storage cannot be opened (unsafe paths, unreadable state)
     */
    TorrentHandle add(TorrentMetainfo metainfo, AddOptions options) throws IOException;

    Optional<TorrentHandle> find(InfoHash infoHash);

    /** Finds by a unique prefix of the info-hash's hex, as the shell lets users type it. */
    Optional<TorrentHandle> find(String infoHashPrefix);

    List<TorrentHandle> torrents();

    /** Engine-wide totals, a fresh immutable snapshot; takes no torrent lock. */
    EngineStats stats();

    /** The TCP port peers can reach us on, or -1 when not listening. */
    int listenPort();

    /** The name of the request strategy in use, or empty while none is bound. */
    Optional<String> strategy();
}
