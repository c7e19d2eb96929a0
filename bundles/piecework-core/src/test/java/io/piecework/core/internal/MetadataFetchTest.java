package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.wire.MetadataMessage;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MetadataFetchTest {
    /** Compares without printing megabytes of bytes on failure. */
    private static void assertSame(byte[] expected, byte[] actual) {
        assertTrue(actual != null && java.util.Arrays.equals(expected, actual),
                actual == null ? "no metadata" : "metadata differs");
    }

    private static final int SIZE = 3 * MetadataMessage.PIECE_LENGTH + 1000;
    private final byte[] info = new byte[SIZE];
    private final AtomicLong now = new AtomicLong();
    private final AtomicReference<byte[]> result = new AtomicReference<>();
    private final MetadataFetch fetch;

    MetadataFetchTest() throws Exception {
        new Random(1).nextBytes(info);
        InfoHash hash = InfoHash.of(MessageDigest.getInstance("SHA-1").digest(info));
        fetch = new MetadataFetch(hash, Runnable::run, result::set, now::get);
    }

    /** A peer that records the pieces asked of it. */
    private static final class FakePeer implements MetadataFetch.Peer {
        final List<Integer> asked = new ArrayList<>();

        @Override
        public boolean request(int piece) {
            asked.add(piece);
            return true;
        }

        int take() {
            return asked.remove(0);
        }
    }

    private MetadataMessage data(byte[] from, int piece) {
        int off = piece * MetadataMessage.PIECE_LENGTH;
        int len = Math.min(MetadataMessage.PIECE_LENGTH, from.length - off);
        return MetadataMessage.data(piece, from.length, ByteBuffer.wrap(from, off, len));
    }

    @Test
    void assemblesPiecesArrivingOutOfOrderFromSeveralPeers() {
        FakePeer a = new FakePeer();
        FakePeer b = new FakePeer();
        fetch.peerReady(a, SIZE);
        fetch.peerReady(b, SIZE);
        // Four pieces: the first peer's pipeline takes them all, the second is not asked the same ones.
        Set<Integer> asked = new HashSet<>(a.asked);
        asked.addAll(b.asked);
        assertEquals(a.asked.size() + b.asked.size(), asked.size(), "no piece asked twice");
        for (int p : List.of(3, 1, 2, 0)) {
            fetch.received(a.asked.contains(p) ? a : b, data(info, p));
        }
        assertSame(info, result.get());
        assertTrue(fetch.finished());
    }

    @Test
    void spreadsPiecesOverPeersWhenEachHasLimitedRoom() {
        byte[] big = new byte[(MetadataFetch.PER_PEER * 2) * MetadataMessage.PIECE_LENGTH];
        MetadataFetch f = new MetadataFetch(InfoHash.of(new byte[20]), Runnable::run, result::set, now::get);
        FakePeer a = new FakePeer();
        FakePeer b = new FakePeer();
        f.peerReady(a, big.length);
        f.peerReady(b, big.length);
        assertEquals(MetadataFetch.PER_PEER, a.asked.size());
        assertEquals(MetadataFetch.PER_PEER, b.asked.size());
        Set<Integer> all = new HashSet<>(a.asked);
        all.addAll(b.asked);
        assertEquals(MetadataFetch.PER_PEER * 2, all.size());
    }

    @Test
    void aWrongHashDiscardsThePiecesAndFetchesAgainFromAnotherPeer() {
        byte[] lie = info.clone();
        lie[5] ^= 1;
        FakePeer liar = new FakePeer();
        FakePeer honest = new FakePeer();
        fetch.peerReady(liar, SIZE);
        for (int i = 0; i < 4; i++) {
            fetch.received(liar, data(lie, liar.take()));
        }
        assertTrue(result.get() == null, "no metadata yet");
        assertEquals(1, fetch.hashFailures());
        fetch.peerReady(honest, SIZE);
        assertTrue(liar.asked.isEmpty(), "the peer whose metadata failed is not asked again");
        while (!honest.asked.isEmpty()) {
            fetch.received(honest, data(info, honest.take()));
        }
        assertSame(info, result.get());
    }

    @Test
    void afterAMismatchFromSeveralPeersEachIsAskedForTheWholeInTurn() throws Exception {
        // Enough pieces that both peers get some in the first round.
        byte[] good = new byte[2 * MetadataFetch.PER_PEER * MetadataMessage.PIECE_LENGTH];
        new Random(2).nextBytes(good);
        byte[] lie = good.clone();
        lie[0] ^= 1;
        InfoHash hash = InfoHash.of(MessageDigest.getInstance("SHA-1").digest(good));
        MetadataFetch f = new MetadataFetch(hash, Runnable::run, result::set, now::get);
        FakePeer liar = new FakePeer();
        FakePeer honest = new FakePeer();
        f.peerReady(liar, good.length);
        f.peerReady(honest, good.length);
        assertFalse(liar.asked.isEmpty());
        assertFalse(honest.asked.isEmpty());
        answerAll(f, liar, lie, honest, good);
        assertTrue(result.get() == null, "no metadata yet");
        assertEquals(1, f.hashFailures());
        // Now one peer at a time: the liar (asked first) answers everything alone and is found out.
        assertTrue(honest.asked.isEmpty(), "only one peer is asked after a mixed mismatch");
        for (int round = 0; round < 10 && f.hashFailures() < 2; round++) {
            assertTrue(honest.asked.isEmpty(), "the honest peer waits its turn");
            answerAll(f, liar, lie, honest, good);
        }
        assertEquals(2, f.hashFailures());
        for (int round = 0; round < 10 && result.get() == null; round++) {
            assertTrue(liar.asked.isEmpty(), "the liar is not asked again");
            answerAll(f, liar, lie, honest, good);
        }
        assertSame(good, result.get());
    }

    private InfoHash fetchHash() {
        try {
            return InfoHash.of(MessageDigest.getInstance("SHA-1").digest(info));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Answers what each peer has been asked so far (one round), not what gets asked meanwhile. */
    private void answerAll(MetadataFetch f, FakePeer a, byte[] aData, FakePeer b, byte[] bData) {
        List<Integer> forA = new ArrayList<>(a.asked);
        List<Integer> forB = new ArrayList<>(b.asked);
        a.asked.clear();
        b.asked.clear();
        forA.forEach(p -> f.received(a, data(aData, p)));
        forB.forEach(p -> f.received(b, data(bData, p)));
    }

    @Test
    void refusesMetadataAboveTheSizeBound() {
        FakePeer a = new FakePeer();
        fetch.peerReady(a, MetadataFetch.MAX_SIZE + 1);
        assertTrue(a.asked.isEmpty());
        assertEquals(0, fetch.progress()[1]);
    }

    @Test
    void aRejectedPieceGoesToAnotherPeerAndTheRejecterWaits() {
        FakePeer rejecter = new FakePeer();
        fetch.peerReady(rejecter, SIZE);
        int first = rejecter.take();
        List<Integer> rest = new ArrayList<>(rejecter.asked);
        rejecter.asked.clear();
        fetch.received(rejecter, MetadataMessage.reject(first));
        FakePeer other = new FakePeer();
        fetch.peerReady(other, SIZE);
        assertEquals(List.of(first), other.asked, "the rejected piece is asked of the other peer");
        assertTrue(rejecter.asked.isEmpty(), "the rejecting peer is not asked again at once");
        fetch.received(other, data(info, other.take()));
        for (int p : rest) {
            fetch.received(rejecter, data(info, p));
        }
        assertSame(info, result.get());
    }

    @Test
    void aPieceThatTimesOutIsAskedAgain() {
        FakePeer slow = new FakePeer();
        fetch.peerReady(slow, SIZE);
        List<Integer> first = new ArrayList<>(slow.asked);
        slow.asked.clear();
        now.addAndGet(MetadataFetch.TIMEOUT_NANOS + 1);
        fetch.tick();
        assertEquals(first, slow.asked);
    }

    @Test
    void dataOfTheWrongLengthIsDroppedAndItsSenderNotAskedAgain() {
        FakePeer bad = new FakePeer();
        fetch.peerReady(bad, SIZE);
        int piece = bad.take();
        bad.asked.clear();
        fetch.received(bad, MetadataMessage.data(piece, SIZE, ByteBuffer.wrap(new byte[10])));
        FakePeer good = new FakePeer();
        fetch.peerReady(good, SIZE);
        assertTrue(good.asked.contains(piece));
        assertTrue(bad.asked.isEmpty());
        assertFalse(fetch.finished());
    }

    @Test
    void unaskedDataIsIgnored() {
        FakePeer a = new FakePeer();
        FakePeer b = new FakePeer();
        fetch.peerReady(a, SIZE);
        fetch.peerReady(b, SIZE);
        int piece = a.take();
        fetch.received(b, data(info, piece));
        assertEquals(0, fetch.progress()[0]);
    }
}
