package io.piecework.api.discovery;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Finds peers for torrents: registered as a service (several may be, with the property
 * {@value #NAME_PROPERTY}: "tracker", "dht"). The engine announces every active torrent to
 * every source it has; a source that goes away simply stops finding peers.
 */
@ProviderType
public interface PeerSource {
    String NAME_PROPERTY = "peersource.name";

    /**
     * Starts announcing {@code torrent} on the source's own schedule; peers found go to
     * {@code sink} as they arrive, from the source's threads. Returns at once.
     */
    Announcement announce(AnnounceTarget torrent, PeerSink sink);
}
