package io.piecework.core.internal;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.metainfo.TorrentVersion;
import io.piecework.transport.TorrentPeers;
import io.piecework.transport.TorrentRegistration;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hybrid torrent is in two swarms (BEP 52): v1 peers hand-shake with its v1 info-hash, v2
 * peers with its truncated v2 one. Both find it: the torrent is registered under each, announced
 * under each to trackers and the DHT, and a peer found in the v2 swarm is dialled with the v2
 * hash (the one it knows us by: a libtorrent added from a btmh magnet knows no other).
 */
final class HybridSwarms {
    private static final Logger LOG = LoggerFactory.getLogger(HybridSwarms.class);

    private HybridSwarms() {
    }

    /**
     * The torrent's announcements: {@code adopted} (a magnet link's, handed over) or new ones, and
     * for a hybrid its v2 swarm too, whose peers the connector dials with the v2 hash.
     */
    static Discovery.Binding bind(Torrent torrent, Discovery.Binding adopted) {
        Discovery.Binding binding = adopted;
        if (binding == null) {
            binding = torrent.engine.discovery().bind(new LiveTarget(torrent), torrent::found);
        } else {
            binding.privacyKnown();
        }
        TorrentMetainfo metainfo = torrent.metainfo;
        if (metainfo.version() == TorrentVersion.HYBRID) {
            InfoHash v2 = metainfo.infoHashV2().orElseThrow().truncated();
            binding.join(new LiveTarget(torrent, v2), (peers, source) -> {
                for (InetSocketAddress peer : peers) {
                    torrent.connector.add(peer, false, v2);
                }
                torrent.timer.wake(); // the connector dials on the timer
            });
        }
        return binding;
    }

    /**
     * Registers under the torrent's hash and, for a hybrid, its truncated v2 hash too. The rate
     * limits are set on the first registration; the TCP transport gives a torrent registered twice
     * one shaper, so they cover its v2 connections too (most of them: libtorrent upgrades our v1
     * dials).
     */
    static TorrentRegistration register(Engine engine, TorrentMetainfo metainfo, TorrentPeers torrent) {
        TorrentRegistration main = engine.register(metainfo.infoHash(), torrent);
        if (metainfo.version() != TorrentVersion.HYBRID) {
            return main;
        }
        InfoHash v2 = metainfo.infoHashV2().orElseThrow().truncated();
        TorrentRegistration second;
        try {
            second = engine.transport().register(v2, torrent);
        } catch (IllegalStateException e) {
            // Another torrent is known by that hash: it keeps it, this one keeps its v1 swarm.
            LOG.warn("{}: not joining the v2 swarm {}: {}", metainfo.name(), v2.hex(), e.getMessage());
            return main;
        }
        return new TorrentRegistration() {
            @Override
            public void limitRates(long downloadBytesPerSecond, long uploadBytesPerSecond) {
                main.limitRates(downloadBytesPerSecond, uploadBytesPerSecond);
            }

            @Override
            public void close() {
                second.close();
                main.close();
            }
        };
    }
}
