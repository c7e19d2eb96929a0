package io.piecework.dht.internal;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Our external address as the nodes that answer us report it (BEP 42's {@code ip}). One node
 * cannot be trusted, so an address is taken once {@link #VOTES} different hosts have named it;
 * each host votes once. Bounded: a flood of claims from forged hosts keeps at most
 * {@link #CANDIDATES} addresses with at most {@link #VOTES} voters each. Confined to the node's loop.
 */
final class ExternalAddress {
    static final int VOTES = 3;
    static final int CANDIDATES = 16;
    private final Map<InetAddress, Set<InetAddress>> voters = new HashMap<>();
    private InetAddress decided;

    /** Counts {@code voter}'s claim; returns the address when this vote decides it, else null. */
    InetAddress vote(InetAddress voter, InetAddress claimed) {
        if (decided != null) {
            return null;
        }
        Set<InetAddress> those = voters.get(claimed);
        if (those == null) {
            if (voters.size() >= CANDIDATES) {
                return null;
            }
            those = new HashSet<>();
            voters.put(claimed, those);
        }
        if (those.add(voter) && those.size() >= VOTES) {
            decided = claimed;
            voters.clear();
            return claimed;
        }
        return null;
    }

    /** The decided address, or null while the vote is open. */
    InetAddress decided() {
        return decided;
    }
}
