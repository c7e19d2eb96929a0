package io.piecework.core.internal;

import io.piecework.api.engine.TorrentState;
import io.piecework.transport.ConnectionSource;
import io.piecework.transport.TorrentRegistration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands running torrents to the {@link ConnectionSource}s (web seeds): every torrent that opens
 * is attached to every source, a source that arrives later gets the running torrents, and a
 * torrent that stops or a source that leaves closes its registrations. The connections a source
 * makes come in through {@link Torrent#connected}, as the transport's do.
 */
final class ConnectionSources {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionSources.class);

    // Guarded by this. Sources only return registrations here, they never call back under it.
    private final Set<ConnectionSource> sources = new LinkedHashSet<>();
    private final Map<Torrent, Map<ConnectionSource, TorrentRegistration>> attached = new HashMap<>();

    synchronized void add(ConnectionSource source) {
        sources.add(source);
        attached.forEach((torrent, registrations) -> attach(torrent, source, registrations));
    }

    synchronized void remove(ConnectionSource source) {
        sources.remove(source);
        for (Map<ConnectionSource, TorrentRegistration> registrations : attached.values()) {
            close(registrations.remove(source));
        }
    }

    /** The torrent opened its storage and takes peers: every source may add its own. */
    synchronized void attach(Torrent torrent) {
        TorrentState state = torrent.state();
        if (state == TorrentState.STOPPED || state == TorrentState.ERROR || attached.containsKey(torrent)) {
            return; // stopped meanwhile: its detach already ran
        }
        Map<ConnectionSource, TorrentRegistration> registrations = new HashMap<>();
        attached.put(torrent, registrations);
        for (ConnectionSource source : sources) {
            attach(torrent, source, registrations);
        }
    }

    synchronized void detach(Torrent torrent) {
        Map<ConnectionSource, TorrentRegistration> registrations = attached.remove(torrent);
        if (registrations != null) {
            registrations.values().forEach(ConnectionSources::close);
        }
    }

    private static void attach(Torrent torrent, ConnectionSource source,
                               Map<ConnectionSource, TorrentRegistration> registrations) {
        try {
            registrations.put(source, source.attach(torrent.metainfo, torrent));
        } catch (RuntimeException e) {
            LOG.warn("{}: connection source {} refused the torrent", torrent, source, e);
        }
    }

    private static void close(TorrentRegistration registration) {
        if (registration != null) {
            try {
                registration.close();
            } catch (RuntimeException e) {
                LOG.warn("closing a connection source's registration failed", e);
            }
        }
    }
}
