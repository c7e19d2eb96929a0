package io.piecework.core.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Under the torrent's lock: trust given to the senders of verified pieces and taken from the
 * senders of failed ones, and which senders were banned for bad data.
 */
final class Trust {
    private final Torrent torrent;
    /** Made at the first ban: most torrents never ban anyone. */
    private Set<Long> banned;

    Trust(Torrent torrent) {
        this.torrent = torrent;
    }

    /** Adds {@code delta} to each contributor still connected; those at the ban line go to {@code toBan}. */
    void adjust(long[] contributors, int delta, List<PeerSession> toBan) {
        for (long id : contributors) {
            for (PeerSession p : torrent.swarm.peers) {
                if (p.id == id) {
                    p.trust += delta;
                    if (p.trust <= BlockPath.BAN_TRUST) {
                        toBan.add(p);
                        banned(id);
                    }
                }
            }
        }
    }

    void banned(long id) {
        if (banned == null) {
            banned = new HashSet<>();
        }
        banned.add(id);
    }

    /** Whether one of these senders was already banned for bad data (it explains a failed piece). */
    boolean anyBanned(long[] contributors) {
        if (banned != null) {
            for (long id : contributors) {
                if (banned.contains(id)) {
                    return true;
                }
            }
        }
        return false;
    }
}
