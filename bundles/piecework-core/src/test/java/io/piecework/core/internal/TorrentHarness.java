package io.piecework.core.internal;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentState;
import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.metainfo.TorrentCreator;
import io.piecework.strategy.naive.NaiveStrategy;
import io.piecework.wire.PeerId;
import io.piecework.transport.PeerConnection;
import io.piecework.transport.PeerTransport;
import io.piecework.transport.TorrentPeers;
import io.piecework.transport.TorrentRegistration;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * One torrent on an engine without a network: a transport that dials nobody, storage in
 * memory, the naive strategy; peers are {@link FakeConnection}s handed to the torrent as the
 * transport would. Closes the engine when closed.
 */
final class TorrentHarness implements AutoCloseable {
    static final int BLOCK = PieceTracker.BLOCK;

    final Engine engine;
    final TorrentMetainfo meta;
    final Torrent torrent;
    final List<MemoryStorage> storages = new ArrayList<>();
    /** Completed by the test to let the storage open (once); done at once unless the test holds it. */
    volatile CompletableFuture<Void> openGate = CompletableFuture.completedFuture(null);

    /** A torrent of {@code pieces} pieces of two blocks each, started and downloading. */
    TorrentHarness(Path dir, int pieces) throws Exception {
        this(dir, pieces, 2);
    }

    /** A torrent of {@code pieces} pieces of {@code blocks} blocks each, started and downloading. */
    TorrentHarness(Path dir, int pieces, int blocks) throws Exception {
        this(dir, pieces, blocks, io.piecework.api.metainfo.TorrentVersion.V1);
    }

    /**
     * As above in a given torrent version; a v2 or hybrid torrent's storage keeps what is written
     * and verifies pieces by their real (v1) hashes, so a corrupt block really fails.
     */
    TorrentHarness(Path dir, int pieces, int blocks, io.piecework.api.metainfo.TorrentVersion version)
            throws Exception {
        Path data = dir.resolve("payload.bin");
        try (RandomAccessFile file = new RandomAccessFile(data.toFile(), "rw")) {
            file.setLength((long) pieces * blocks * BLOCK); // sparse: zeros cost no disk
        }
        meta = TorrentCreator.create(new CreateRequest(data, (long) blocks * BLOCK, List.of(), List.of(), false,
                null, 1, version), CreateProgress.NONE);
        boolean keep = version != io.piecework.api.metainfo.TorrentVersion.V1;
        engine = new Engine(new NoNetwork(), new EngineSettings(50, 500, 4, 10, 2));
        engine.useStorage((m, d) -> {
            MemoryStorage s = new MemoryStorage(m, keep);
            synchronized (storages) {
                storages.add(s);
            }
            return openGate.thenApply(v -> s);
        });
        engine.useStrategy(new NaiveStrategy(), "naive");
        torrent = (Torrent) engine.add(meta, AddOptions.in(dir.resolve("down")));
        awaitState(TorrentState.DOWNLOADING);
    }

    MemoryStorage storage() {
        synchronized (storages) {
            return storages.get(storages.size() - 1);
        }
    }

    void awaitState(TorrentState state) {
        if (!LoopbackEngines.within(10_000, () -> torrent.state() == state)) {
            throw new AssertionError("torrent is " + torrent.state() + ", not " + state);
        }
    }

    /** A peer that has every piece and unchoked us, so the strategy asks it for blocks. */
    PeerSession seed(FakeConnection connection) {
        PeerSession p = (PeerSession) torrent.connected(connection);
        p.onHaveAll();
        p.onUnchoke();
        return p;
    }

    /** A full block's buffer, as received. */
    static ByteBuffer block() {
        return ByteBuffer.allocateDirect(BLOCK);
    }

    /** Delivers a block whose every byte is {@code fill} (the payload is zeros: 0 is the good block). */
    static void deliver(PeerSession p, int piece, int block, byte fill) {
        ByteBuffer b = p.pieceDestination(piece, block * BLOCK, BLOCK);
        while (b.hasRemaining()) {
            b.put(fill);
        }
        p.onPiece(piece, block * BLOCK, b.flip());
    }

    /** Delivers a block as the wire decoder would: into the engine's buffer, then handed over. */
    static void deliver(PeerSession p, int piece, int block) {
        ByteBuffer b = p.pieceDestination(piece, block * BLOCK, BLOCK);
        b.position(b.limit()).flip();
        p.onPiece(piece, block * BLOCK, b);
    }

    @Override
    public void close() {
        engine.close();
    }

    private static final class NoNetwork implements PeerTransport {
        @Override
        public PeerId localPeerId() {
            return PeerId.generate(new Random(1));
        }

        @Override
        public int port() {
            return 6881;
        }

        @Override
        public TorrentRegistration register(InfoHash infoHash, TorrentPeers torrent) {
            return () -> { };
        }

        @Override
        public CompletableFuture<PeerConnection> connect(InfoHash infoHash, InetSocketAddress address) {
            return new CompletableFuture<>();
        }
    }
}
