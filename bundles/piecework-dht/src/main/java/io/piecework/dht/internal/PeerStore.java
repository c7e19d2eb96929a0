package io.piecework.dht.internal;

import io.piecework.dht.NodeId;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Peers other nodes announced to us, by info-hash: at most {@code maxTorrents} info-hashes and
 * {@code maxPeers} peers each (the oldest announce leaves first), every entry expiring after
 * {@code ttl}. Not thread safe: the node's event loop owns it.
 */
final class PeerStore {
    private final int maxTorrents;
    private final int maxPeers;
    private final long ttlNanos;
    private final Map<NodeId, LinkedHashMap<InetSocketAddress, Long>> torrents = new HashMap<>();

    PeerStore(int maxTorrents, int maxPeers, long ttlNanos) {
        this.maxTorrents = maxTorrents;
        this.maxPeers = maxPeers;
        this.ttlNanos = ttlNanos;
    }

    /** Returns false when the store is full of other torrents. */
    boolean add(NodeId infoHash, InetSocketAddress peer, long now) {
        LinkedHashMap<InetSocketAddress, Long> peers = torrents.get(infoHash);
        if (peers == null) {
            if (torrents.size() >= maxTorrents) {
                purge(now);
                if (torrents.size() >= maxTorrents) {
                    return false;
                }
            }
            peers = new LinkedHashMap<>();
            torrents.put(infoHash, peers);
        }
        peers.remove(peer); // re-announcing moves it to the young end
        if (peers.size() >= maxPeers) {
            Iterator<InetSocketAddress> oldest = peers.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        peers.put(peer, now + ttlNanos);
        return true;
    }

    /** Up to {@code n} live peers of the torrent, in random order. */
    List<InetSocketAddress> peers(NodeId infoHash, int n, long now, Random random) {
        LinkedHashMap<InetSocketAddress, Long> peers = torrents.get(infoHash);
        if (peers == null) {
            return List.of();
        }
        List<InetSocketAddress> out = new ArrayList<>();
        peers.forEach((p, expires) -> {
            if (expires - now > 0) {
                out.add(p);
            }
        });
        Collections.shuffle(out, random);
        return out.size() <= n ? out : out.subList(0, n);
    }

    void purge(long now) {
        torrents.values().forEach(peers -> peers.values().removeIf(expires -> expires - now <= 0));
        torrents.values().removeIf(Map::isEmpty);
    }

    int torrentCount() {
        return torrents.size();
    }

    int peerCount() {
        return torrents.values().stream().mapToInt(Map::size).sum();
    }
}
