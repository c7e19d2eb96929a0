package io.piecework.core.internal;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.InfoHashV2;
import io.piecework.wire.MetadataMessage;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches a magnet link's info dictionary over ut_metadata (BEP 9): 16 KiB pieces asked of
 * several peers at once, a different piece of each; a reject or a timeout frees the piece for
 * another peer. The whole is hashed off the caller's thread and must match the info-hash;
 * after a mismatch the pieces are fetched again one peer at a time, so the liar is found and
 * dropped. Sizes above {@link #MAX_SIZE} are refused. Thread-safe (its own monitor).
 */
final class MetadataFetch {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataFetch.class);
    /** Bound on the info dictionary a peer can make us hold. */
    static final long MAX_SIZE = 16L << 20;
    /** Requests out to one peer at a time. */
    static final int PER_PEER = 4;
    static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** A peer that rejected is not asked again for this long. */
    static final long REJECT_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(10);
    static final int MAX_TIMEOUTS = 3;

    /** Where requests go: one peer connection. */
    interface Peer {
        /** Sends a ut_metadata request; false when the peer cannot take it. */
        boolean request(int piece);
    }

    private static final class State {
        final long size;
        int outstanding;
        int timeouts;
        long rejectedAt;
        boolean rejected;
        boolean excluded;

        State(long size) {
            this.size = size;
        }
    }

    private final InfoHash infoHash;
    private final InfoHashV2 v2;
    private final Executor hashing;
    private final Consumer<byte[]> done;
    private final LongSupplier clock;

    // Guarded by this.
    private final Map<Peer, State> peers = new LinkedHashMap<>();
    private long size = -1;
    private byte[][] pieces;
    private Peer[] askedOf;
    private long[] askedAt;
    private Peer[] from;
    private boolean verifying;
    private boolean finished;
    /** After a hash mismatch with several senders: the one peer asked for every piece. */
    private Peer solo;
    private boolean soloMode;
    private int hashFailures;

    /**
     * @param hashing where the SHA-1 of the whole runs (not an event loop)
     * @param done    gets the verified info dictionary, once, on the hashing executor
     */
    MetadataFetch(InfoHash infoHash, Executor hashing, Consumer<byte[]> done, LongSupplier clock) {
        this(infoHash, null, hashing, done, clock);
    }

    /**
     * @param v2 for a link with only a v2 info-hash ({@code infoHash} then its truncation): the
     *           whole must have this SHA-256 (BEP 52), null to check the SHA-1 against {@code infoHash}
     */
    MetadataFetch(InfoHash infoHash, InfoHashV2 v2, Executor hashing, Consumer<byte[]> done, LongSupplier clock) {
        this.infoHash = infoHash;
        this.v2 = v2;
        this.hashing = hashing;
        this.done = done;
        this.clock = clock;
    }

    /** A peer's extended handshake said it has the metadata ({@code metadataSize} bytes). */
    synchronized void peerReady(Peer peer, long metadataSize) {
        if (finished || peers.containsKey(peer)) {
            return;
        }
        if (metadataSize <= 0 || metadataSize > MAX_SIZE) {
            if (metadataSize > MAX_SIZE) {
                LOG.debug("{}: peer offers metadata of {} bytes, more than {}", infoHash, metadataSize, MAX_SIZE);
            }
            return;
        }
        peers.put(peer, new State(metadataSize));
        if (size < 0) {
            startRound(metadataSize);
        }
        fill();
    }

    synchronized void peerGone(Peer peer) {
        State s = peers.remove(peer);
        if (s == null) {
            return;
        }
        unassign(peer);
        if (solo == peer) {
            solo = null;
        }
        fill();
    }

    /** A {@code DATA} or {@code REJECT} from {@code peer}; requests are not ours to answer here. */
    synchronized void received(Peer peer, MetadataMessage message) {
        State s = peers.get(peer);
        if (s == null || finished || pieces == null) {
            return;
        }
        int piece = message.piece();
        boolean ours = piece >= 0 && piece < pieces.length && askedOf[piece] == peer;
        if (message.type() == MetadataMessage.REJECT) {
            if (ours) {
                free(piece);
            }
            s.rejected = true;
            s.rejectedAt = clock.getAsLong();
            fill();
            return;
        }
        if (message.type() != MetadataMessage.DATA || !ours) {
            return;
        }
        ByteBuffer data = message.data();
        if (message.totalSize() != size || data.remaining() != pieceLength(piece)) {
            LOG.debug("{}: metadata piece {} of the wrong size from a peer; dropping it", infoHash, piece);
            free(piece);
            s.excluded = true;
            fill();
            return;
        }
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        pieces[piece] = copy;
        from[piece] = peer;
        askedOf[piece] = null;
        s.outstanding--;
        s.timeouts = 0;
        for (byte[] p : pieces) {
            if (p == null) {
                fill();
                return;
            }
        }
        verifying = true;
        byte[] whole = new byte[(int) size];
        for (int i = 0; i < pieces.length; i++) {
            System.arraycopy(pieces[i], 0, whole, i * MetadataMessage.PIECE_LENGTH, pieces[i].length);
        }
        Peer[] senders = from.clone();
        hashing.execute(() -> verify(whole, senders));
    }

    /** Frees pieces that timed out and asks again; the owner calls it every second or so. */
    synchronized void tick() {
        if (finished || pieces == null) {
            return;
        }
        long now = clock.getAsLong();
        Set<Peer> late = new HashSet<>();
        for (int i = 0; i < pieces.length; i++) {
            Peer p = askedOf[i];
            if (p != null && now - askedAt[i] > TIMEOUT_NANOS) {
                free(i);
                late.add(p);
            }
        }
        // Counted once per tick, not per piece: a peer that stalls for several ticks is dropped.
        for (Peer p : late) {
            State s = peers.get(p);
            if (s != null && ++s.timeouts >= MAX_TIMEOUTS) {
                s.excluded = true;
            }
        }
        fill();
    }

    synchronized boolean finished() {
        return finished;
    }

    /** Metadata pieces received so far, and how many there are (0 while the size is unknown). */
    synchronized int[] progress() {
        if (pieces == null) {
            return new int[] {0, 0};
        }
        int have = 0;
        for (byte[] p : pieces) {
            if (p != null) {
                have++;
            }
        }
        return new int[] {have, pieces.length};
    }

    synchronized int hashFailures() {
        return hashFailures;
    }

    private void verify(byte[] whole, Peer[] senders) {
        boolean ok;
        try {
            ok = v2 != null ? Arrays.equals(MessageDigest.getInstance("SHA-256").digest(whole), v2.bytes())
                    : Arrays.equals(MessageDigest.getInstance("SHA-1").digest(whole), infoHash.bytes());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 or SHA-256 is missing from this JVM", e);
        }
        synchronized (this) {
            verifying = false;
            if (ok) {
                finished = true;
            } else {
                hashFailures++;
                Set<Peer> senderSet = new HashSet<>(Arrays.asList(senders));
                LOG.info("{}: metadata from {} peer(s) does not match the info-hash", infoHash, senderSet.size());
                if (senderSet.size() == 1) {
                    State s = peers.get(senders[0]);
                    if (s != null) {
                        s.excluded = true;
                    }
                    solo = null;
                } else {
                    // Several sent pieces: ask each for the whole in turn to find the one that lies.
                    soloMode = true;
                    solo = null;
                }
                long next = nextSize();
                if (next < 0) {
                    size = -1;
                    pieces = null;
                } else {
                    startRound(next);
                    fill();
                }
            }
        }
        if (ok) {
            done.accept(whole);
        }
    }

    /** The size most usable peers agree on next; -1 when none is left. */
    private long nextSize() {
        for (State s : peers.values()) {
            if (!s.excluded) {
                return s.size;
            }
        }
        return -1;
    }

    private void startRound(long newSize) {
        size = newSize;
        int count = MetadataMessage.pieceCount(newSize);
        pieces = new byte[count][];
        askedOf = new Peer[count];
        askedAt = new long[count];
        from = new Peer[count];
        for (State s : peers.values()) {
            s.outstanding = 0;
        }
    }

    private int pieceLength(int piece) {
        long rest = size - (long) piece * MetadataMessage.PIECE_LENGTH;
        return (int) Math.min(MetadataMessage.PIECE_LENGTH, rest);
    }

    private void free(int piece) {
        Peer p = askedOf[piece];
        if (p != null) {
            askedOf[piece] = null;
            State s = peers.get(p);
            if (s != null) {
                s.outstanding--;
            }
        }
    }

    private void unassign(Peer peer) {
        if (askedOf == null) {
            return;
        }
        for (int i = 0; i < askedOf.length; i++) {
            if (askedOf[i] == peer) {
                askedOf[i] = null;
            }
        }
    }

    /** Hands unrequested pieces to peers with room, a different piece to each. */
    private void fill() {
        if (finished || verifying || pieces == null) {
            return;
        }
        if (size < 0 || nextSizeMissing()) {
            long next = nextSize();
            if (next < 0) {
                return;
            }
            if (next != size) {
                startRound(next);
            }
        }
        long now = clock.getAsLong();
        List<Peer> usable = new ArrayList<>();
        for (Map.Entry<Peer, State> e : peers.entrySet()) {
            State s = e.getValue();
            if (s.rejected && now - s.rejectedAt > REJECT_BACKOFF_NANOS) {
                s.rejected = false;
            }
            if (!s.excluded && !s.rejected && s.size == size) {
                usable.add(e.getKey());
            }
        }
        if (soloMode) {
            if (solo == null || !usable.contains(solo)) {
                solo = usable.isEmpty() ? null : usable.get(0);
            }
            usable = solo == null ? List.of() : List.of(solo);
        }
        int next = 0;
        for (Peer p : usable) {
            State s = peers.get(p);
            while (s.outstanding < PER_PEER) {
                while (next < pieces.length && (pieces[next] != null || askedOf[next] != null)) {
                    next++;
                }
                if (next == pieces.length) {
                    return;
                }
                askedOf[next] = p;
                askedAt[next] = now;
                s.outstanding++;
                if (!p.request(next)) {
                    free(next);
                    s.excluded = true;
                    break;
                }
            }
        }
    }

    /** True when no usable peer offers the size being fetched (they left or lied). */
    private boolean nextSizeMissing() {
        for (State s : peers.values()) {
            if (!s.excluded && s.size == size) {
                return false;
            }
        }
        return true;
    }
}
