package io.piecework.core.internal;

import io.piecework.wire.ExtendedHandshake;
import io.piecework.transport.PeerConnection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's one rule: change state under the torrent's lock, collect what must be sent here,
 * send after unlocking. {@link InstrumentedLock#unlock()} flushes it, so a strategy's requests
 * go out once the strategy lets go of the lock too. Messages leave in the order they were decided
 * (one thread sends at a time, taking what others queued meanwhile): a bitfield is never
 * overtaken by a have, nor an unchoke by the choke decided before it.
 */
final class Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final int REQUEST = 0;
    private static final int CANCEL = 1;
    private static final int HAVE = 2;
    private static final int INTERESTED = 3;
    private static final int NOT_INTERESTED = 4;
    private static final int CHOKE = 5;
    private static final int UNCHOKE = 6;
    private static final int BITFIELD = 7;
    private static final int HAVE_ALL = 8;
    private static final int HAVE_NONE = 9;
    private static final int EXTENDED_HANDSHAKE = 10;
    private static final int PORT = 11;

    private record Send(int kind, PeerConnection to, int piece, int begin, int length, Object payload) {
    }

    private final ConcurrentLinkedQueue<Send> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sending = new AtomicBoolean();

    void request(PeerConnection to, int piece, int begin, int length) {
        queue.add(new Send(REQUEST, to, piece, begin, length, null));
    }

    void cancel(PeerConnection to, int piece, int begin, int length) {
        queue.add(new Send(CANCEL, to, piece, begin, length, null));
    }

    void have(PeerConnection to, int piece) {
        queue.add(new Send(HAVE, to, piece, 0, 0, null));
    }

    void interested(PeerConnection to, boolean interested) {
        queue.add(new Send(interested ? INTERESTED : NOT_INTERESTED, to, 0, 0, 0, null));
    }

    void choke(PeerConnection to, boolean choke) {
        queue.add(new Send(choke ? CHOKE : UNCHOKE, to, 0, 0, 0, null));
    }

    /** The caller hands over {@code pieces}: it must not change after this. */
    void bitfield(PeerConnection to, RoaringBitmap pieces) {
        queue.add(new Send(BITFIELD, to, 0, 0, 0, pieces));
    }

    void haveAll(PeerConnection to) {
        queue.add(new Send(HAVE_ALL, to, 0, 0, 0, null));
    }

    void haveNone(PeerConnection to) {
        queue.add(new Send(HAVE_NONE, to, 0, 0, 0, null));
    }

    void extendedHandshake(PeerConnection to, ExtendedHandshake handshake) {
        queue.add(new Send(EXTENDED_HANDSHAKE, to, 0, 0, 0, handshake));
    }

    void port(PeerConnection to, int port) {
        queue.add(new Send(PORT, to, port, 0, 0, null));
    }

    /**
     * Sends everything queued; outside the lock. Returns at once when another thread is sending.
     * Each connection gets its messages as one {@link PeerConnection#batch}: sent from a thread
     * other than the connection's event loop (the lock's holder runs every peer's work), one
     * task and one socket flush per connection rather than a task and a wake-up per message.
     */
    void flush() {
        while (!queue.isEmpty() && sending.compareAndSet(false, true)) {
            try {
                List<Send> taken = new ArrayList<>();
                for (Send s = queue.poll(); s != null; s = queue.poll()) {
                    taken.add(s);
                }
                sendByConnection(taken);
            } finally {
                sending.set(false);
            }
        }
    }

    /** Groups the messages by connection, keeping their order, and hands each group over as one batch. */
    private static void sendByConnection(List<Send> taken) {
        if (taken.isEmpty()) {
            return;
        }
        PeerConnection first = taken.get(0).to();
        int same = 1;
        while (same < taken.size() && taken.get(same).to() == first) {
            same++;
        }
        if (same == taken.size()) {
            batch(first, taken); // one peer's messages, the common case: no map
            return;
        }
        // Keyed by identity (connections do not override equals), in order of first message.
        Map<PeerConnection, List<Send>> byConnection = new LinkedHashMap<>();
        for (Send s : taken) {
            byConnection.computeIfAbsent(s.to(), c -> new ArrayList<>()).add(s);
        }
        byConnection.forEach(Outbox::batch);
    }

    private static void batch(PeerConnection to, List<Send> sends) {
        try {
            to.batch(() -> {
                for (Send s : sends) {
                    send(s);
                }
            });
        } catch (RuntimeException e) {
            // Its event loop is gone (the engine is closing): the others still get theirs.
            LOG.debug("send to {} failed", to.remoteAddress(), e);
        }
    }

    private static void send(Send s) {
        try {
            PeerConnection c = s.to();
            switch (s.kind()) {
                case REQUEST -> c.request(s.piece(), s.begin(), s.length());
                case CANCEL -> c.cancel(s.piece(), s.begin(), s.length());
                case HAVE -> c.have(s.piece());
                case INTERESTED -> c.interested();
                case NOT_INTERESTED -> c.notInterested();
                case CHOKE -> c.choke();
                case UNCHOKE -> c.unchoke();
                case BITFIELD -> c.bitfield((RoaringBitmap) s.payload());
                case HAVE_ALL -> c.haveAll();
                case HAVE_NONE -> c.haveNone();
                case EXTENDED_HANDSHAKE -> c.extendedHandshake((ExtendedHandshake) s.payload());
                case PORT -> c.port(s.piece());
                default -> throw new IllegalStateException("unknown message " + s.kind());
            }
        } catch (RuntimeException e) {
            // One broken connection must not keep the others' messages back.
            LOG.debug("send to {} failed", s.to().remoteAddress(), e);
        }
    }
}
