package io.piecework.api.strategy;

import java.util.List;
import java.util.concurrent.locks.Lock;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The engine's view of one torrent. Everything but {@link #lock()} must be called while
 * holding that lock; the engine changes the state only under it.
 */
@ProviderType
public interface TorrentView {
    /** The torrent's lock (instrumented by the engine: waits and holds are measured). */
    Lock lock();

    int pieceCount();

    /** Whether {@code piece} is downloaded and verified. */
    boolean have(int piece);

    /** Piece priority: 0 means skip; higher is more urgent. */
    int priority(int piece);

    /** Whether some blocks of {@code piece} are received or requested, but not all verified. */
    boolean partial(int piece);

    /** Whether every wanted block is requested or received, so duplicates are allowed. */
    boolean endgame();

    /** The connected peers, in no particular order. */
    List<? extends PeerView> peers();

    /** Seed for the random tie-break between otherwise equal pieces; fixed per torrent. */
    long tieBreakSeed();

    /**
     * Asks {@code peer} for up to {@code max} blocks of {@code piece} that are neither received
     * nor in flight (in endgame: not yet in flight to this peer), and records them as in flight.
     *
     * @return how many blocks were requested (0 when the piece has none left to ask for)
     */
    int request(PeerView peer, int piece, int max);
}
