package io.piecework.core.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Decides whom to upload to. Downloading: tit-for-tat, the interested peers that give us the
 * most get the regular slots; a peer that stopped sending while unchoking us (snubbed) loses
 * its claim. Seeding: round robin, a peer keeps a slot for {@link #SEED_ROUNDS} rounds and then
 * makes room. One more slot goes to an optimistic pick, rotated every third round, so new
 * peers get a chance to prove themselves.
 */
final class Choker {
    static final int SEED_ROUNDS = 3;

    /** What the choker needs to know of a peer. */
    interface Candidate {
        boolean peerInterested();

        boolean snubbed();

        long downloadRate();

        /** Rounds in a row this peer has been unchoked by us. */
        int unchokedRounds();
    }

    private final Random random;

    Choker(Random random) {
        this.random = random;
    }

    /**
     * @param optimistic the current optimistic pick, or null
     * @param rotate     whether to pick a new optimistic peer this round
     * @return the peers to unchoke; the optimistic pick, if any, is last
     */
    <T extends Candidate> List<T> choose(List<T> peers, int slots, boolean seeding, T optimistic, boolean rotate) {
        List<T> interested = new ArrayList<>();
        for (T p : peers) {
            if (p.peerInterested()) {
                interested.add(p);
            }
        }
        Comparator<T> order = seeding
                ? Comparator.comparingInt((T p) -> p.unchokedRounds() >= SEED_ROUNDS ? 1 : 0)
                        .thenComparing(Comparator.comparingInt((T p) -> p.unchokedRounds()).reversed())
                : Comparator.comparingInt((T p) -> p.snubbed() ? 1 : 0)
                        .thenComparing(Comparator.comparingLong((T p) -> p.downloadRate()).reversed());
        interested.sort(order);
        List<T> chosen = new ArrayList<>(interested.subList(0, Math.min(slots, interested.size())));
        if (!seeding) {
            chosen.removeIf(Candidate::snubbed);
        }
        T pick = rotate || optimistic == null || !interested.contains(optimistic) ? null : optimistic;
        if (pick == null) {
            List<T> rest = new ArrayList<>(interested);
            rest.removeAll(chosen);
            pick = rest.isEmpty() ? null : rest.get(random.nextInt(rest.size()));
        }
        if (pick != null && !chosen.contains(pick)) {
            chosen.add(pick);
        }
        return chosen;
    }
}
