package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.metainfo.TorrentVersion;
import io.piecework.metainfo.FileMerkleTree;
import io.piecework.metainfo.TorrentCreator;
import io.piecework.wire.HashRequest;
import io.piecework.wire.HashesMessage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A seeder of a hybrid torrent answers BEP 52 hash requests, or rejects them, never neither. */
class HashAnswersTest {
    private static final int PIECE = 32768;
    /** 5 pieces and a bit: 6 pieces, the last short; 12 blocks, 16 leaves, tree height 4, piece layer 1. */
    private static final int LENGTH = 5 * PIECE + 20000;

    @TempDir
    Path dir;
    private byte[] data;
    private TorrentMetainfo meta;
    private byte[] root;

    @BeforeEach
    void hybridTorrent() throws Exception {
        data = new byte[LENGTH];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 13 + (i >> 11));
        }
        Path file = Files.write(dir.resolve("payload.bin"), data);
        meta = TorrentCreator.create(new CreateRequest(file, PIECE, List.of(), List.of(), false, null, 1,
                TorrentVersion.HYBRID), CreateProgress.NONE);
        root = meta.v2Files().orElseThrow().root(0);
    }

    private HashAnswers seeder(IntPredicate verified) {
        return new HashAnswers(meta, verified, (p, into) -> into.put(data, p * PIECE, into.remaining()), Runnable::run);
    }

    private Object ask(HashAnswers answers, HashRequest r) {
        FakeConnection peer = new FakeConnection();
        answers.requested(peer, new HashAnswers.Budget(), r, 0);
        assertEquals(1, peer.hashMessages.size(), "one answer per request");
        return peer.hashMessages.get(0);
    }

    @Test
    void pieceLayerFromMemoryProvesAgainstTheRootAlone() {
        FileMerkleTree magnet = new FileMerkleTree(LENGTH, PIECE, root, null);
        int[] r = magnet.pieceLayerRequest(0);
        HashRequest request = new HashRequest(root, r[0], r[1], r[2], r[3]);
        HashesMessage m = (HashesMessage) ask(seeder(p -> false), request);
        byte[] layer = magnet.verify(r[0], r[1], r[2], r[3], m.hashes());
        assertNotNull(layer, "the answer proves itself against the pieces root");
        ByteBuffer expected = meta.v2Files().orElseThrow().layer(0);
        byte[] six = new byte[6 * 32];
        expected.get(six);
        assertArrayEquals(six, java.util.Arrays.copyOf(layer, 6 * 32));
    }

    @Test
    void blockHashesOfAVerifiedPieceAreHashedFromDisk() {
        FileMerkleTree tree = new FileMerkleTree(LENGTH, PIECE, root, null);
        int[] r = tree.blockRequest(5);
        HashesMessage m = (HashesMessage) ask(seeder(p -> true), new HashRequest(root, r[0], r[1], r[2], r[3]));
        byte[] leaves = FileMerkleTree.leafHashes(ByteBuffer.wrap(data, 5 * PIECE, 20000));
        assertArrayEquals(leaves, java.util.Arrays.copyOf(m.hashes(), leaves.length));
    }

    @Test
    void rejectsWhatItCannotAnswer() throws Exception {
        HashAnswers answers = seeder(p -> p != 3);
        HashRequest lacking = new HashRequest(root, 0, 6, 2, 0);
        assertEquals(lacking, ask(answers, lacking), "block hashes of a piece we have not verified");
        HashRequest unknown = new HashRequest(new byte[32], 1, 0, 8, 3);
        assertEquals(unknown, ask(answers, unknown), "a file we do not have");
        HashRequest beyond = new HashRequest(root, 1, 8, 8, 0);
        assertEquals(beyond, ask(answers, beyond), "beyond the piece layer's 8 nodes");
        HashRequest tooHigh = new HashRequest(root, 1, 0, 8, 3);
        assertEquals(tooHigh, ask(answers, tooHigh), "a proof above the root");
        HashRequest v1 = new HashRequest(root, 1, 0, 8, 3);
        assertEquals(v1, ask(new HashAnswers(TorrentCreatorV1.of(dir), p -> true, (p, to) -> { }, Runnable::run), v1),
                "a v1 torrent has no tree");
    }

    @Test
    void aPeerOverItsBudgetIsRejectedUntilItRefills() {
        HashAnswers answers = seeder(p -> true);
        FakeConnection peer = new FakeConnection();
        HashAnswers.Budget budget = new HashAnswers.Budget();
        HashRequest r = new HashRequest(root, 1, 0, 8, 2);
        for (int i = 0; i <= HashAnswers.BURST; i++) {
            answers.requested(peer, budget, r, 1000);
        }
        assertEquals(HashAnswers.BURST, peer.count("hashes"));
        assertEquals(1, peer.count("hash reject"), "the request past the burst");
        answers.requested(peer, budget, r, 1000 + HashAnswers.REFILL_NANOS);
        assertEquals(HashAnswers.BURST + 1, peer.count("hashes"), "one more once a token came back");
    }

    /** A v1 torrent of the same kind, for the no-tree case. */
    private static final class TorrentCreatorV1 {
        static TorrentMetainfo of(Path dir) throws Exception {
            Path f = Files.write(dir.resolve("v1.bin"), new byte[PIECE * 2]);
            return TorrentCreator.create(new CreateRequest(f, PIECE, List.of(), List.of(), false, null, 1),
                    CreateProgress.NONE);
        }
    }
}
