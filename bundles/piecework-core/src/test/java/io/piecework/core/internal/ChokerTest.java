package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChokerTest {
    record Peer(String name, boolean peerInterested, boolean snubbed, long downloadRate, int unchokedRounds)
            implements Choker.Candidate {
    }

    private final Choker choker = new Choker(new Random(1));

    @Test
    void downloadingUnchokesTheFastestInterestedPeersPlusOneOptimistic() {
        List<Peer> peers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            peers.add(new Peer("p" + i, i != 7, false, i * 100L, 0));
        }
        List<Peer> chosen = choker.choose(peers, 4, false, null, true);
        assertEquals(5, chosen.size());
        assertEquals(List.of("p6", "p5", "p4", "p3"), chosen.subList(0, 4).stream().map(Peer::name).toList());
        assertFalse(chosen.contains(peers.get(7)), "not interested peers are never unchoked");
    }

    @Test
    void snubbedPeersLoseTheirRegularSlot() {
        List<Peer> peers = List.of(new Peer("fast-but-snubbing", true, true, 1000, 1),
                new Peer("slow", true, false, 1, 0));
        List<Peer> chosen = choker.choose(peers, 1, false, null, false);
        assertEquals("slow", chosen.get(0).name());
    }

    @Test
    void theOptimisticPickStaysUntilItRotates() {
        List<Peer> peers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            peers.add(new Peer("p" + i, true, false, 0, 0));
        }
        Peer optimistic = peers.get(5);
        List<Peer> kept = choker.choose(peers, 1, false, optimistic, false);
        assertTrue(kept.contains(optimistic));
    }

    @Test
    void seedingRotatesPeersThatHadTheirRounds() {
        List<Peer> peers = List.of(new Peer("long-served", true, false, 0, Choker.SEED_ROUNDS),
                new Peer("waiting", true, false, 0, 0));
        List<Peer> chosen = choker.choose(peers, 1, true, null, false);
        assertEquals("waiting", chosen.get(0).name());
    }
}
