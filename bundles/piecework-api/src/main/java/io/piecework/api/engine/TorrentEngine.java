package io.piecework.api.engine;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.MagnetLink;
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

    /**
     * Adds a magnet link (BEP 9) and, unless {@link AddOptions#paused()}, starts it. The handle
     * exists before the torrent's metadata: until the info dictionary has been fetched from
     * peers and verified against the info-hash, {@link TorrentHandle#metainfo()} is null, the
     * statistics show 0 pieces and the link's {@code dn} (or the info-hash in hex) as the name,
     * and file or piece priorities cannot be set. Peers come from the link's {@code x.pe}, from
     * the peer sources (its {@code tr} trackers, the DHT) and from peer exchange. The fetched
     * dictionary is saved as {@code <name>.torrent} in the download folder, then the download
     * proceeds as for a .torrent. Adding one already there returns its handle.
     *
     * @throws IOException when the download folder cannot be used
     */
    TorrentHandle add(MagnetLink magnet, AddOptions options) throws IOException;

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
