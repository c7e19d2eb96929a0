package io.piecework.core.internal;

import io.piecework.api.engine.RateLimits;
import io.piecework.api.engine.TorrentEvent;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.transport.PeerTransport;
import io.piecework.transport.TorrentPeers;
import io.piecework.transport.TorrentRegistration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Per-torrent rate limits, kept per info-hash while the torrent is in the engine, so a magnet
 * link's limits carry over to its torrent and a stopped torrent keeps them; applied to the
 * torrent's transport registration (its shared traffic shaper) whenever it registers. A change
 * is announced as {@link TorrentEvent.Kind#SETTINGS_CHANGED}, so a session saves it.
 */
final class TorrentRates {
    private final Map<InfoHash, Entry> entries = new ConcurrentHashMap<>();
    private final Consumer<TorrentEvent> events;

    TorrentRates(Consumer<TorrentEvent> events) {
        this.events = events;
    }

    private static final class Entry {
        private RateLimits limits = RateLimits.UNLIMITED;
        private TorrentRegistration registration;
    }

    /** Registers with the transport and applies the torrent's limits to the registration. */
    TorrentRegistration register(PeerTransport transport, InfoHash infoHash, TorrentPeers torrent) {
        TorrentRegistration registration = transport.register(infoHash, torrent);
        Entry e = entries.computeIfAbsent(infoHash, h -> new Entry());
        synchronized (e) {
            e.registration = registration;
            apply(registration, e.limits);
        }
        return () -> {
            synchronized (e) {
                if (e.registration == registration) {
                    e.registration = null;
                }
            }
            registration.close();
        };
    }

    void set(TorrentHandle handle, RateLimits limits) {
        Entry e = entries.computeIfAbsent(handle.infoHash(), h -> new Entry());
        boolean changed;
        synchronized (e) {
            changed = !e.limits.equals(limits);
            e.limits = limits;
            if (e.registration != null) {
                apply(e.registration, limits);
            }
        }
        if (changed) {
            events.accept(new TorrentEvent(TorrentEvent.Kind.SETTINGS_CHANGED, handle.infoHash(), handle.stats().state(),
                    -1, ""));
        }
    }

    RateLimits get(InfoHash infoHash) {
        Entry e = entries.get(infoHash);
        if (e == null) {
            return RateLimits.UNLIMITED;
        }
        synchronized (e) {
            return e.limits;
        }
    }

    /** The torrent left the engine: a later one with the same info-hash starts unlimited. */
    void forget(InfoHash infoHash) {
        entries.remove(infoHash);
    }

    private static void apply(TorrentRegistration registration, RateLimits limits) {
        registration.limitRates(limits.downloadBytesPerSecond(), limits.uploadBytesPerSecond());
    }
}
