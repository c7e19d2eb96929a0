package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.metainfo.TorrentVersion;
import io.piecework.metainfo.FileMerkleTree;
import io.piecework.metainfo.MagnetLinks;
import io.piecework.metainfo.MetainfoParser;
import io.piecework.metainfo.TorrentCreator;
import io.piecework.wire.HashRequest;
import io.piecework.wire.HashesMessage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A v2-only magnet's piece layers, asked of fake peers that lie, reject, stay silent or answer. */
class PieceLayerFetchTest {
    @TempDir
    Path dir;
    /** The torrent as its creator knows it (with layers) and as a magnet's metadata gives it (without). */
    TorrentMetainfo whole;
    TorrentMetainfo bare;
    final AtomicLong now = new AtomicLong();
    final List<FakePeer> peers = new ArrayList<>();
    final Result result = new Result();

    static final class Result implements PieceLayerFetch.Listener {
        Map<Integer, byte[]> layers;
        String failure;
        final List<PieceLayerFetch.Peer> liars = new ArrayList<>();

        @Override
        public void fetched(Map<Integer, byte[]> fetched) {
            assertNull(layers, "told once");
            layers = fetched;
        }

        @Override
        public void failed(String why) {
            failure = why;
        }

        @Override
        public void lied(PieceLayerFetch.Peer peer) {
            liars.add(peer);
        }
    }

    static final class FakePeer implements PieceLayerFetch.Peer {
        final List<HashRequest> asked = new ArrayList<>();

        @Override
        public boolean hashRequest(HashRequest request) {
            asked.add(request);
            return true;
        }
    }

    @BeforeEach
    void v2OnlyTorrent() throws Exception {
        Path root = dir.resolve("data");
        Files.createDirectories(root);
        Random random = new Random(3);
        byte[] big = new byte[40 * 16384 + 999]; // 41 pieces of 16 KiB: a layer to fetch
        random.nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        byte[] middle = new byte[3 * 16384 + 1]; // 4 pieces, not piece-aligned either
        random.nextBytes(middle);
        Files.write(root.resolve("middle.bin"), middle);
        Files.write(root.resolve("tiny.txt"), new byte[] {1, 2, 3}); // one piece: its root is all it needs
        whole = TorrentCreator.create(new CreateRequest(root, 16384, List.of(), List.of(), false, null, 1,
                TorrentVersion.V2), CreateProgress.NONE);
        bare = MetainfoParser.parse(MagnetTorrentFile.of(MagnetLinks.of(whole), whole.infoBytes()));
        assertTrue(PieceLayerFetch.needed(bare));
        assertFalse(PieceLayerFetch.needed(whole), "a .torrent carries its layers");
    }

    private PieceLayerFetch fetch() {
        return new PieceLayerFetch(bare, () -> peers, result, now::get);
    }

    private FakePeer peer() {
        FakePeer p = new FakePeer();
        peers.add(p);
        return p;
    }

    /** The true answer, from the creator's tree with its layer. */
    private HashesMessage truth(HashRequest r) throws Exception {
        int file = fileOf(r.piecesRoot());
        ByteBuffer layer = whole.v2Files().orElseThrow().layer(file);
        byte[] bytes = new byte[layer.remaining()];
        layer.get(bytes);
        FileMerkleTree tree = new FileMerkleTree(whole.files().get(file).length(), (int) whole.pieceLength(),
                r.piecesRoot(), bytes);
        byte[] hashes = tree.answer(r.baseLayer(), r.index(), r.length(), r.proofLayers(), null);
        assertNotNull(hashes, "answerable: " + r);
        return new HashesMessage(r, hashes);
    }

    private int fileOf(byte[] root) {
        for (int i = 0; i < whole.files().size(); i++) {
            if (java.util.Arrays.equals(root, whole.v2Files().orElseThrow().root(i))) {
                return i;
            }
        }
        throw new AssertionError("no file has that root");
    }

    private static HashesMessage corrupted(HashesMessage m) {
        byte[] h = m.hashes();
        h[h.length / 2] ^= 1;
        return new HashesMessage(m.request(), h);
    }

    private void assertLayersAreTheTorrents() {
        assertNotNull(result.layers, "fetched");
        assertEquals(2, result.layers.size(), "big.bin and middle.bin; tiny.txt needs none");
        result.layers.forEach((file, layer) -> {
            ByteBuffer expected = whole.v2Files().orElseThrow().layer(file);
            byte[] bytes = new byte[expected.remaining()];
            expected.get(bytes);
            assertArrayEquals(bytes, layer, "file " + file);
        });
    }

    @Test
    void aWrongAnswerIsRefusedItsSenderDistrustedAndASecondPeerAnswersRightly() throws Exception {
        FakePeer liar = peer();
        PieceLayerFetch fetch = fetch();
        fetch.tick();
        assertEquals(2, liar.asked.size(), "one chunk per file, both asked of the only peer");
        for (HashRequest r : liar.asked) {
            fetch.received(liar, corrupted(truth(r)));
        }
        assertEquals(List.of(liar, liar), result.liars);
        assertNull(result.layers, "nothing taken from a proof that fails");
        assertEquals(2, fetch.left());

        FakePeer honest = peer();
        fetch.tick();
        assertEquals(2, liar.asked.size(), "the liar is not asked again");
        assertEquals(2, honest.asked.size());
        // A late answer from the liar, even a true one, is not taken: the chunk is asked of another.
        fetch.received(liar, truth(honest.asked.get(0)));
        assertEquals(2, fetch.left());
        for (HashRequest r : honest.asked) {
            fetch.received(honest, truth(r));
        }
        assertLayersAreTheTorrents();
        assertNull(result.failure);
    }

    @Test
    void theFetchedLayersWrittenIntoTheTorrentParseBackAsItsOwn() throws Exception {
        FakePeer p = peer();
        PieceLayerFetch fetch = fetch();
        fetch.tick();
        for (HashRequest r : List.copyOf(p.asked)) {
            fetch.received(p, truth(r));
        }
        // Keys in unsigned byte order, or the strict decoder refuses the file.
        byte[] file = MagnetTorrentFile.of(MagnetLinks.of(whole), whole.infoBytes(),
                MagnetTorrentFile.byRoot(bare, result.layers));
        TorrentMetainfo parsed = MetainfoParser.parse(file);
        assertFalse(PieceLayerFetch.needed(parsed));
        assertEquals(whole.infoHashV2(), parsed.infoHashV2());
        for (int i = 0; i < whole.files().size(); i++) {
            assertEquals(whole.v2Files().orElseThrow().layer(i), parsed.v2Files().orElseThrow().layer(i), "file " + i);
        }
    }

    @Test
    void aRejectOrASilentPeerSendsTheChunkToAnotherPeer() throws Exception {
        FakePeer rejecting = peer();
        FakePeer silent = peer();
        PieceLayerFetch fetch = fetch();
        fetch.tick();
        HashRequest first = rejecting.asked.get(0);
        fetch.unanswered(rejecting, first);
        assertEquals(List.of(first), silent.asked.subList(silent.asked.size() - 1, silent.asked.size()),
                "a reject sends the chunk on at once");
        HashRequest second = rejecting.asked.get(1);
        fetch.received(rejecting, truth(second));
        // The silent peer never answers; after the timeout a newcomer is asked.
        FakePeer late = peer();
        now.addAndGet(PieceLayerFetch.TIMEOUT_NANOS + TimeUnit.SECONDS.toNanos(1));
        fetch.tick();
        assertTrue(late.asked.contains(first), "asked of the third peer after the second timed out");
        assertNull(result.layers);
        for (HashRequest r : List.copyOf(late.asked)) {
            fetch.received(late, truth(r));
        }
        assertLayersAreTheTorrents();
    }

    @Test
    void retriesAreBoundedAndAFailureIsToldWithTheReason() throws Exception {
        PieceLayerFetch fetch = fetch();
        for (int i = 0; i < PieceLayerFetch.MAX_ASKS; i++) {
            assertNull(result.failure, "ask " + i);
            FakePeer p = peer();
            fetch.tick();
            assertEquals(2, p.asked.size(), "each new peer is asked each chunk");
            for (HashRequest r : List.copyOf(p.asked)) {
                fetch.unanswered(p, r);
            }
            peers.remove(p);
        }
        assertNotNull(result.failure, "the last reject ends the fetch");
        peer();
        fetch.tick();
        assertTrue(result.failure.contains("piece layers"), result.failure);
        assertTrue(fetch.failed());
        assertEquals(0, peers.get(0).asked.size(), "no ask past the bound");
        assertFalse(fetch.again().failed(), "a restart asks afresh");
    }

    @Test
    void aFileOfMoreThan512PiecesIsFetchedInChunks() throws Exception {
        Path root = dir.resolve("large");
        Files.createDirectories(root);
        byte[] data = new byte[600 * 16384 + 5];
        new Random(9).nextBytes(data);
        Files.write(root.resolve("a.bin"), data);
        Files.write(root.resolve("b.bin"), new byte[] {7});
        whole = TorrentCreator.create(new CreateRequest(root, 16384, List.of(), List.of(), false, null, 1,
                TorrentVersion.V2), CreateProgress.NONE);
        bare = MetainfoParser.parse(MagnetTorrentFile.of(MagnetLinks.of(whole), whole.infoBytes()));
        FakePeer p = peer();
        PieceLayerFetch fetch = fetch();
        fetch.tick();
        assertEquals(2, p.asked.size(), "601 pieces: two chunks of at most 512 hashes");
        for (HashRequest r : List.copyOf(p.asked)) {
            fetch.received(p, truth(r));
        }
        assertNotNull(result.layers);
        ByteBuffer expected = whole.v2Files().orElseThrow().layer(fileOf(p.asked.get(0).piecesRoot()));
        byte[] bytes = new byte[expected.remaining()];
        expected.get(bytes);
        assertArrayEquals(bytes, result.layers.values().iterator().next());
    }
}
