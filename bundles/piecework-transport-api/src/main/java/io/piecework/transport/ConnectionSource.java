package io.piecework.transport;

import io.piecework.api.metainfo.TorrentMetainfo;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Makes connections of its own for torrents, not over the peer wire: web seeds (BEP 19) are
 * HTTP servers that a source shows the engine as peers. Registered as a service; the engine
 * hands it every torrent that starts (a magnet link once its metadata is in), and the source
 * gives its connections to {@link TorrentPeers#connected}, as the transport does.
 */
@ConsumerType
public interface ConnectionSource {
    /**
     * Starts making connections for a torrent; returns at once. Closing the registration stops
     * new ones (the torrent stopped); the torrent closes those it took itself.
     */
    TorrentRegistration attach(TorrentMetainfo metainfo, TorrentPeers torrent);
}
