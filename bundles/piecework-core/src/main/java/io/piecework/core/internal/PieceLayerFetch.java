package io.piecework.core.internal;

import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.metainfo.V2Files;
import io.piecework.metainfo.FileMerkleTree;
import io.piecework.wire.HashRequest;
import io.piecework.wire.HashesMessage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the piece layers of a v2-only torrent that came by magnet link: they lie outside the
 * info dictionary, so BEP 9 does not carry them, and without them no piece of a file larger
 * than one piece can be verified. Each layer is asked for in chunks of 512 hashes proven up to
 * the file's {@code pieces root} (BEP 52 hash request); an answer that does not prove is
 * refused and its sender is not asked again, a reject or a timeout sends the chunk to another
 * peer, and a chunk asked {@link #MAX_ASKS} times without a good answer fails the fetch. Files
 * of one piece need nothing: their root is their piece hash. Thread-safe (its own monitor);
 * requests are sent outside it.
 */
final class PieceLayerFetch {
    private static final Logger LOG = LoggerFactory.getLogger(PieceLayerFetch.class);
    /** How long a peer may take to answer before the chunk goes to another. */
    static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);
    /** Requests out to one peer at a time. */
    static final int PER_PEER = 4;
    /** Asks of one chunk (answered wrongly, rejected, timed out) before the fetch gives up. */
    static final int MAX_ASKS = 16;

    /** Where requests go: one peer connection. */
    interface Peer {
        /** Sends a BEP 52 hash request; false when the peer cannot take it. */
        boolean hashRequest(HashRequest request);
    }

    /** Told once: every layer proven, or why not. */
    interface Listener {
        /** The piece layer of each file of more than one piece, by index into the metainfo's files. */
        void fetched(Map<Integer, byte[]> layers);

        void failed(String why);

        /** {@code peer} sent hashes that do not prove: it is asked nothing more (the torrent may drop it). */
        void lied(Peer peer);
    }

    /** One file's layer (shared by files with the same root: identical files). */
    private static final class Layer {
        final FileMerkleTree tree;
        final byte[] hashes;
        final List<Integer> files = new ArrayList<>();

        Layer(FileMerkleTree tree) {
            this.tree = tree;
            this.hashes = new byte[tree.pieceCount() * FileMerkleTree.HASH];
        }
    }

    private static final class Chunk {
        final Layer layer;
        final HashRequest request;
        final Set<Peer> tried = new HashSet<>();
        Peer askedOf;
        long askedAt;
        int asks;
        boolean done;

        Chunk(Layer layer, HashRequest request) {
            this.layer = layer;
            this.request = request;
        }
    }

    private final TorrentMetainfo metainfo;
    private final String name;
    private final Supplier<List<? extends Peer>> peers;
    private final Listener listener;
    private final LongSupplier clock;

    // Guarded by this.
    private final Map<HashRequest, Chunk> chunks = new LinkedHashMap<>();
    private final List<Layer> layers = new ArrayList<>();
    private final Map<Peer, Integer> outstanding = new HashMap<>();
    private final Set<Peer> distrusted = new HashSet<>();
    private int left;
    private boolean over;

    /**
     * @param peers the connected peers to ask, read at each {@link #tick}
     */
    PieceLayerFetch(TorrentMetainfo metainfo, Supplier<List<? extends Peer>> peers, Listener listener,
                    LongSupplier clock) {
        this.metainfo = metainfo;
        this.name = metainfo.name();
        this.peers = peers;
        this.listener = listener;
        this.clock = clock;
        V2Files v2 = metainfo.v2Files().orElseThrow(() -> new IllegalArgumentException("not a v2 torrent"));
        Map<ByteBuffer, Layer> byRoot = new HashMap<>();
        List<FileEntry> files = metainfo.files();
        for (int i = 0; i < files.size(); i++) {
            byte[] root = v2.root(i);
            FileEntry f = files.get(i);
            if (root == null || f.length() <= metainfo.pieceLength() || v2.layer(i) != null) {
                continue;
            }
            Layer layer = byRoot.computeIfAbsent(ByteBuffer.wrap(root), r -> {
                Layer l = new Layer(new FileMerkleTree(f.length(), (int) metainfo.pieceLength(), root, null));
                layers.add(l);
                for (int c = 0; c < l.tree.pieceLayerChunks(); c++) {
                    int[] q = l.tree.pieceLayerRequest(c);
                    HashRequest request = new HashRequest(root, q[0], q[1], q[2], q[3]);
                    chunks.put(request, new Chunk(l, request));
                }
                return l;
            });
            layer.files.add(i);
        }
        left = chunks.size();
    }

    /** Whether a torrent needs layers from peers: some file of more than one piece has none. */
    static boolean needed(TorrentMetainfo metainfo) {
        V2Files v2 = metainfo.v2Files().orElse(null);
        if (v2 == null || metainfo.version().hasV1()) {
            return false; // v1 and hybrid torrents verify pieces by their SHA-1 hashes
        }
        for (int i = 0; i < metainfo.files().size(); i++) {
            if (v2.root(i) != null && metainfo.files().get(i).length() > metainfo.pieceLength() && v2.layer(i) == null) {
                return true;
            }
        }
        return false;
    }

    /** Chunks still without a proven answer. */
    synchronized int left() {
        return left;
    }

    /** Whether the fetch gave up (see {@link Listener#failed}). */
    synchronized boolean failed() {
        return over && left > 0;
    }

    /** A fresh fetch of the same layers, every peer trusted again (a restart after a failure). */
    PieceLayerFetch again() {
        return new PieceLayerFetch(metainfo, peers, listener, clock);
    }

    /** Times out late answers and asks the peers for the chunks nobody is asked for. */
    void tick() {
        Map<Chunk, Peer> sends = new LinkedHashMap<>();
        String failure;
        synchronized (this) {
            if (over) {
                return;
            }
            long now = clock.getAsLong();
            for (Chunk c : chunks.values()) {
                if (c.askedOf != null && now - c.askedAt > TIMEOUT_NANOS) {
                    LOG.debug("{}: {} did not answer {} in time", name, c.askedOf, c.request);
                    free(c);
                }
            }
            failure = assign(now, sends);
        }
        if (failure != null) {
            listener.failed(failure);
            return;
        }
        for (Map.Entry<Chunk, Peer> e : sends.entrySet()) {
            if (!e.getValue().hashRequest(e.getKey().request)) {
                unanswered(e.getValue(), e.getKey().request);
            }
        }
    }

    /** Under the monitor: gives each free chunk to a peer not yet tried for it; the failure if one ran out of asks. */
    private String assign(long now, Map<Chunk, Peer> sends) {
        List<? extends Peer> candidates = peers.get();
        for (Chunk c : chunks.values()) {
            if (c.done || c.askedOf != null) {
                continue;
            }
            if (c.asks >= MAX_ASKS) {
                over = true;
                return "piece layers: no peer gave a valid " + c.request + " in " + MAX_ASKS + " asks";
            }
            for (Peer p : candidates) {
                int out = outstanding.getOrDefault(p, 0);
                if (out < PER_PEER && !distrusted.contains(p) && !c.tried.contains(p)) {
                    c.askedOf = p;
                    c.askedAt = now;
                    c.asks++;
                    c.tried.add(p);
                    outstanding.put(p, out + 1);
                    sends.put(c, p);
                    break;
                }
            }
        }
        return null;
    }

    /** Under the monitor: the chunk's ask is over without an answer; its peer is free for another. */
    private void free(Chunk c) {
        Peer p = c.askedOf;
        c.askedOf = null;
        if (p != null) {
            outstanding.computeIfPresent(p, (k, n) -> n > 1 ? n - 1 : null);
        }
    }

    /** A peer's {@code hash reject}, or a request that could not be sent: another peer is asked. */
    void unanswered(Peer from, HashRequest request) {
        synchronized (this) {
            Chunk c = chunks.get(request);
            if (c == null || c.askedOf != from) {
                return;
            }
            free(c);
        }
        tick();
    }

    /** A peer's {@code hashes}: taken if they prove up to the file's root, else the peer is distrusted. */
    void received(Peer from, HashesMessage m) {
        Map<Integer, byte[]> done = null;
        boolean lied = false;
        synchronized (this) {
            HashRequest r = m.request();
            Chunk c = chunks.get(r);
            if (c == null || c.askedOf != from || over) {
                return; // not asked of this peer: BEP 52 answers correlate with a request
            }
            free(c);
            byte[] proven = c.layer.tree.verify(r.baseLayer(), r.index(), r.length(), r.proofLayers(), m.hashes());
            if (proven == null) {
                LOG.info("{}: {} sent piece-layer hashes that do not prove against the pieces root; not asking it again",
                        name, from);
                distrusted.add(from);
                lied = true;
            } else {
                int real = Math.min(r.length(), c.layer.tree.pieceCount() - r.index());
                System.arraycopy(proven, 0, c.layer.hashes, r.index() * FileMerkleTree.HASH, real * FileMerkleTree.HASH);
                c.done = true;
                left--;
                if (left == 0) {
                    over = true;
                    done = new HashMap<>();
                    for (Layer l : layers) {
                        for (int f : l.files) {
                            done.put(f, l.hashes.clone());
                        }
                    }
                }
            }
        }
        if (done != null) {
            LOG.info("{}: piece layers of {} file(s) fetched and proven", name, done.size());
            listener.fetched(done);
        } else {
            if (lied) {
                listener.lied(from);
            }
            tick();
        }
    }

    /** The peer is gone: what it was asked goes to others. */
    void peerGone(Peer peer) {
        synchronized (this) {
            for (Chunk c : chunks.values()) {
                if (c.askedOf == peer) {
                    free(c);
                }
            }
            outstanding.remove(peer);
        }
        tick();
    }
}
