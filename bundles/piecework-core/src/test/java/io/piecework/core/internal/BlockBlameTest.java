package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.TorrentVersion;
import io.piecework.metainfo.FileMerkleTree;
import io.piecework.wire.HashRequest;
import io.piecework.wire.HashesMessage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hybrid torrent's failed piece is settled by v2 block hashes: the sender of the corrupt block
 * is banned on that block alone, the sender of the good one keeps its trust, and only the corrupt
 * block is asked for again. (The payload is zeros, so a block of zeros is the good one.)
 */
class BlockBlameTest {
    private static final int B = TorrentHarness.BLOCK;

    @TempDir
    Path dir;

    @Test
    void aCorruptBlockIsPinnedOnItsSenderAlone() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 2, 2, TorrentVersion.HYBRID)) {
            FakeConnection a = inV2Swarm(h, new FakeConnection());
            FakeConnection b = inV2Swarm(h, new FakeConnection());
            PeerSession pa = h.seed(a);
            PeerSession pb = h.seed(b);
            TorrentHarness.deliver(pa, 0, 0, (byte) 0);
            TorrentHarness.deliver(pb, 0, 1, (byte) 7);
            assertTrue(LoopbackEngines.within(10_000, () -> a.count("hash request") + b.count("hash request") == 1),
                    "the failed piece's block hashes are asked of one peer: " + a.sent() + " " + b.sent());
            boolean askedA = a.count("hash request") == 1;
            FakeConnection asked = askedA ? a : b;
            HashRequest r = (HashRequest) asked.hashMessages.get(0);
            assertEquals(0, r.baseLayer(), "block hashes");
            long requestsOfBlock0 = a.count("request 0 0 ") + b.count("request 0 0 ");
            long requestsOfBlock1 = a.count("request 0 " + B + " ") + b.count("request 0 " + B + " ");

            (askedA ? pa : pb).onHashes(new HashesMessage(r, honestAnswer(h, r)));

            assertTrue(LoopbackEngines.within(10_000, () -> b.closedFor != null), "the corrupting peer is dropped");
            assertTrue(h.torrent.connector.banned(b.remoteAddress()), "and banned");
            assertNull(a.closedFor, "the good sender stays");
            assertEquals(0, pa.trust, "and keeps its trust");
            assertTrue(LoopbackEngines.within(10_000,
                    () -> a.count("request 0 " + B + " ") + b.count("request 0 " + B + " ") > requestsOfBlock1),
                    "the corrupt block is asked for again: " + a.sent());
            assertEquals(requestsOfBlock0, a.count("request 0 0 ") + b.count("request 0 0 "),
                    "the good block is not");
            assertEquals(1, h.torrent.blocks.hashFailures.get());
        }
    }

    /** Rejects and hashes that prove nothing move on to the next peer, and when none is left the piece fails whole. */
    @Test
    void withoutProvenBlockHashesThePieceFailsWhole() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 2, 2, TorrentVersion.HYBRID)) {
            FakeConnection a = inV2Swarm(h, new FakeConnection());
            FakeConnection b = inV2Swarm(h, new FakeConnection());
            PeerSession pa = h.seed(a);
            PeerSession pb = h.seed(b);
            TorrentHarness.deliver(pa, 0, 0, (byte) 0);
            TorrentHarness.deliver(pb, 0, 1, (byte) 7);
            assertTrue(LoopbackEngines.within(10_000, () -> a.count("hash request") + b.count("hash request") == 1));
            boolean askedA = a.count("hash request") == 1;
            HashRequest first = (HashRequest) (askedA ? a : b).hashMessages.get(0);
            byte[] lies = honestAnswer(h, first);
            lies[0] ^= 1;
            (askedA ? pa : pb).onHashes(new HashesMessage(first, lies));
            FakeConnection other = askedA ? b : a;
            assertTrue(LoopbackEngines.within(10_000, () -> other.count("hash request") == 1),
                    "a lying answer sends the question to the other peer");
            assertEquals(-2, (askedA ? pa : pb).trust, "and costs the liar trust");
            long before = a.count("request 0 0 ") + b.count("request 0 0 ");
            (askedA ? pb : pa).onHashReject((HashRequest) other.hashMessages.get(0));
            assertTrue(LoopbackEngines.within(10_000, () -> a.count("request 0 0 ") + b.count("request 0 0 ") > before),
                    "no peer left to ask: the whole piece is asked for again");
            assertNull(b.closedFor, "and nobody is banned on a guess");
        }
    }

    /**
     * On a hybrid's v1 connection the peer's v2 bit only offers an upgrade that did not happen
     * (libtorrent sets it and then hangs up on hash messages): the piece fails whole, as for v1.
     */
    @Test
    void aHybridsV1ConnectionIsNotAskedForHashesThoughThePeerSetTheV2Bit() throws Exception {
        try (TorrentHarness h = new TorrentHarness(dir, 2, 2, TorrentVersion.HYBRID)) {
            FakeConnection a = new FakeConnection();
            a.swarm = h.meta.infoHash();
            PeerSession pa = h.seed(a);
            long before = a.count("request 0 0 ");
            TorrentHarness.deliver(pa, 0, 0, (byte) 0);
            TorrentHarness.deliver(pa, 0, 1, (byte) 7);
            assertTrue(LoopbackEngines.within(10_000, () -> a.count("request 0 0 ") > before),
                    "the whole piece is asked for again: " + a.sent());
            assertEquals(0, a.count("hash request"), "no hash request on a v1 connection: " + a.sent());
        }
    }

    private static FakeConnection inV2Swarm(TorrentHarness h, FakeConnection c) {
        c.swarm = h.meta.infoHashV2().orElseThrow().truncated();
        return c;
    }

    /** What an honest seed answers: hashes of the real (zero) blocks, proven up to the piece hash. */
    private static byte[] honestAnswer(TorrentHarness h, HashRequest r) throws Exception {
        var v2 = h.meta.v2Files().orElseThrow();
        ByteBuffer layer = v2.layer(0);
        byte[] layerBytes = new byte[layer.remaining()];
        layer.get(layerBytes);
        FileMerkleTree tree = new FileMerkleTree(h.meta.totalSize(), (int) h.meta.pieceLength(), v2.root(0),
                layerBytes);
        return tree.answer(r.baseLayer(), r.index(), r.length(), r.proofLayers(),
                p -> FileMerkleTree.leafHashes(ByteBuffer.allocate((int) h.meta.pieceLength())));
    }
}
