package io.piecework.core.internal;

import io.piecework.wire.PexMessage;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** BEP 11 for one torrent, both ways: who joined and left, told to peers and learnt from them. */
final class PeerExchange {
    private final Torrent torrent;

    PeerExchange(Torrent torrent) {
        this.torrent = torrent;
    }

    /** On the peer's event loop: BEP 11 allows one message a minute, 50 peers each. */
    void received(PeerSession from, PexMessage message) {
        if (torrent.metainfo.isPrivate()) {
            return;
        }
        if (!from.pexGate().admit(System.nanoTime(), torrent.engine.settings().pexIntervalSeconds())) {
            torrent.pexIgnored.increment();
            return;
        }
        from.useful();
        if (torrent.engine.transport() instanceof Transports transports) {
            transports.learn(message); // which of them speak uTP (flag 0x04), for the dialler's order
        }
        for (InetSocketAddress peer : Pex.connectable(message)) {
            torrent.connector.add(peer, true);
        }
    }

    /**
     * From the timer: tells every ut_pex peer who joined and left since its last message. Handed
     * to the torrent lock's holder when it is taken: the timer does not wait.
     */
    void send() {
        torrent.lock.submit(() -> {
            List<PeerSession> targets = new ArrayList<>();
            List<PexMessage> messages = new ArrayList<>();
            List<PeerSession> peers = torrent.swarm.peers;
            Map<InetSocketAddress, Integer> now = new LinkedHashMap<>();
            Predicate<InetSocketAddress> dialled = torrent.connector::isKnown;
            Transports transports = torrent.engine.transport() instanceof Transports t ? t : null;
            for (PeerSession p : peers) {
                InetSocketAddress listen = p.listenAddress(dialled);
                if (listen != null) {
                    boolean utp = p.connection.utp() || transports != null && transports.speaksUtp(listen);
                    now.put(listen, Pex.flags(p.seed, utp));
                }
            }
            for (PeerSession p : peers) {
                if (p.closed || !p.supportsPex()) {
                    continue;
                }
                PexMessage m = Pex.next(p.pexSent(), now, p.listenAddress(dialled));
                if (m != null) {
                    targets.add(p);
                    messages.add(m);
                }
            }
            return targets.isEmpty() ? null : () -> {
                for (int i = 0; i < targets.size(); i++) {
                    targets.get(i).connection.pex(messages.get(i));
                }
            };
        });
    }
}
