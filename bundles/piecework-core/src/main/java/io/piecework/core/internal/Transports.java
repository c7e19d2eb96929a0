package io.piecework.core.internal;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.transport.PeerConnection;
import io.piecework.transport.PeerTransport;
import io.piecework.transport.RateBudget;
import io.piecework.transport.TorrentPeers;
import io.piecework.transport.TorrentRegistration;
import io.piecework.wire.PeerId;
import io.piecework.wire.PexMessage;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every transport present, as one {@link PeerTransport} for the engine: torrents register with
 * all of them (so peers are accepted on each), and a dial tries them one after another until one
 * connects. The order is the configured preference, except that a peer known to speak uTP (PEX
 * flag 0x04, BEP 11) is tried over uTP first. The first transport is the primary one: its peer id
 * and port are the engine's (the uTP transport shares both, as libtorrent does). Rate limits,
 * the engine's and each torrent's, are one {@link RateBudget} handed to every transport.
 */
public final class Transports implements PeerTransport {
    private static final Logger LOG = LoggerFactory.getLogger(Transports.class);
    /** The protocol name of a transport without a {@code transport.protocol} property. */
    public static final String TCP = "tcp";
    public static final String UTP = "utp";
    /** PEX's "supports uTP" flag (BEP 11). */
    static final int PEX_UTP = 0x04;
    /** Peers remembered as speaking uTP; the oldest are forgotten beyond this. */
    static final int KNOWN_LIMIT = 10_000;

    private final PeerTransport primary;
    /** Transports by protocol, in the order they came. */
    private final Map<String, PeerTransport> byProtocol = new LinkedHashMap<>();
    private volatile List<String> preference = List.of(TCP, UTP);
    private final List<Registration> registrations = new ArrayList<>();
    /**
     * The engine-wide limits, one budget handed to every transport: TCP and uTP share it
     * instead of each taking the whole limit.
     */
    private final RateBudget download = new RateBudget();
    private final RateBudget upload = new RateBudget();
    private final Set<InetSocketAddress> speaksUtp = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, Boolean> eldest) {
            return size() > KNOWN_LIMIT;
        }
    });

    public Transports(PeerTransport primary, String protocol) {
        this.primary = primary;
        byProtocol.put(protocol, primary);
    }

    /** Protocols to dial in this order; those not present are skipped, present ones not named come last. */
    public void preference(List<String> protocols) {
        preference = List.copyOf(protocols);
    }

    /** A transport that appeared (a bundle started): every torrent registers with it at once. */
    public synchronized void add(String protocol, PeerTransport transport) {
        if (byProtocol.containsValue(transport)) {
            return;
        }
        byProtocol.put(protocol, transport);
        transport.limitRates(download, upload);
        for (Registration r : registrations) {
            r.add(transport);
        }
        LOG.info("peer transport {} added: {}", protocol, byProtocol.keySet());
    }

    synchronized void remove(PeerTransport transport) {
        if (transport == primary || !byProtocol.values().remove(transport)) {
            return;
        }
        for (Registration r : registrations) {
            r.remove(transport);
        }
    }

    synchronized List<String> protocols() {
        return List.copyOf(byProtocol.keySet());
    }

    /** Learns which of the peers a PEX message names speak uTP. */
    void learn(PexMessage message) {
        learn(message.added(), message.addedFlags());
        learn(message.added6(), message.added6Flags());
    }

    private synchronized void learn(List<InetSocketAddress> peers, byte[] flags) {
        for (int i = 0; i < peers.size() && i < flags.length; i++) {
            if ((flags[i] & PEX_UTP) != 0) {
                speaksUtp.add(peers.get(i));
            }
        }
    }

    /** Whether a PEX message told us {@code address} speaks uTP. */
    synchronized boolean speaksUtp(InetSocketAddress address) {
        return speaksUtp.contains(address);
    }

    /** The transports to try for {@code address}, in order. */
    synchronized List<PeerTransport> order(InetSocketAddress address) {
        List<String> names = new ArrayList<>(preference);
        if (speaksUtp.contains(address)) {
            names.remove(UTP);
            names.add(0, UTP);
        }
        List<PeerTransport> out = new ArrayList<>();
        for (String name : names) {
            PeerTransport t = byProtocol.get(name);
            if (t != null && !out.contains(t)) {
                out.add(t);
            }
        }
        for (PeerTransport t : byProtocol.values()) {
            if (!out.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    @Override
    public PeerId localPeerId() {
        return primary.localPeerId();
    }

    @Override
    public int port() {
        return primary.port();
    }

    @Override
    public synchronized TorrentRegistration register(InfoHash infoHash, TorrentPeers torrent) {
        Registration r = new Registration(infoHash, torrent);
        for (PeerTransport t : byProtocol.values()) {
            r.add(t);
        }
        registrations.add(r);
        return r;
    }

    /** Tries each transport in turn; fails with the last failure once all have failed. */
    @Override
    public CompletableFuture<PeerConnection> connect(InfoHash infoHash, InetSocketAddress address) {
        return attempt(order(address), 0, infoHash, address, null);
    }

    private CompletableFuture<PeerConnection> attempt(List<PeerTransport> order, int index, InfoHash infoHash,
                                                      InetSocketAddress address, Throwable last) {
        if (index >= order.size()) {
            return CompletableFuture.failedFuture(last != null ? last
                    : new IllegalStateException("no peer transport"));
        }
        CompletableFuture<PeerConnection> dial;
        try {
            dial = order.get(index).connect(infoHash, address);
        } catch (RuntimeException e) {
            dial = CompletableFuture.failedFuture(e);
        }
        return dial.handle((connection, failure) -> connection != null
                        ? CompletableFuture.completedFuture(connection)
                        : attempt(order, index + 1, infoHash, address, failure))
                .thenCompose(f -> f);
    }

    @Override
    public synchronized void limitRates(long downloadBytesPerSecond, long uploadBytesPerSecond) {
        refuseNegative(downloadBytesPerSecond, uploadBytesPerSecond);
        download.rate(downloadBytesPerSecond);
        upload.rate(uploadBytesPerSecond);
        for (PeerTransport t : byProtocol.values()) {
            t.limitRates(download, upload);
        }
    }

    private static void refuseNegative(long downloadBytesPerSecond, long uploadBytesPerSecond) {
        if (downloadBytesPerSecond < 0 || uploadBytesPerSecond < 0) {
            throw new IllegalArgumentException("rate limits must be 0 (unlimited) or positive, not "
                    + downloadBytesPerSecond + "/" + uploadBytesPerSecond);
        }
    }

    /** One torrent's registrations with every transport, closed together. */
    private final class Registration implements TorrentRegistration {
        private final InfoHash infoHash;
        private final TorrentPeers torrent;
        private final Map<PeerTransport, TorrentRegistration> each = new HashMap<>();
        /** The torrent's limits, one budget for its connections over every transport. */
        private final RateBudget torrentDownload = new RateBudget();
        private final RateBudget torrentUpload = new RateBudget();

        Registration(InfoHash infoHash, TorrentPeers torrent) {
            this.infoHash = infoHash;
            this.torrent = torrent;
        }

        /** Under the Transports' lock. */
        void add(PeerTransport transport) {
            try {
                TorrentRegistration r = transport.register(infoHash, torrent);
                r.limitRates(torrentDownload, torrentUpload);
                each.put(transport, r);
            } catch (RuntimeException e) {
                if (transport == primary) {
                    throw e;
                }
                LOG.warn("torrent {}: not registered with a peer transport: {}", infoHash, e.toString());
            }
        }

        void remove(PeerTransport transport) {
            TorrentRegistration r = each.remove(transport);
            if (r != null) {
                close(r);
            }
        }

        @Override
        public void limitRates(long downloadBytesPerSecond, long uploadBytesPerSecond) {
            refuseNegative(downloadBytesPerSecond, uploadBytesPerSecond);
            synchronized (Transports.this) {
                torrentDownload.rate(downloadBytesPerSecond);
                torrentUpload.rate(uploadBytesPerSecond);
                for (TorrentRegistration r : each.values()) {
                    r.limitRates(torrentDownload, torrentUpload);
                }
            }
        }

        @Override
        public void close() {
            synchronized (Transports.this) {
                registrations.remove(this);
                each.values().forEach(Registration::close);
                each.clear();
            }
        }

        private static void close(TorrentRegistration r) {
            try {
                r.close();
            } catch (RuntimeException e) {
                LOG.debug("closing a registration failed", e);
            }
        }
    }
}
