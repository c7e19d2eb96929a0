package io.piecework.core.internal;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.metainfo.TorrentVersion;
import io.piecework.transport.TorrentPeers;
import io.piecework.transport.TorrentRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hybrid torrent is in two swarms (BEP 52): v1 peers hand-shake with its v1 info-hash, v2
 * peers with its truncated v2 one. Both find it: the torrent is registered under each.
 */
final class HybridSwarms {
    private static final Logger LOG = LoggerFactory.getLogger(HybridSwarms.class);

    private HybridSwarms() {
    }

    /**
     * Registers under the torrent's hash and, for a hybrid, its truncated v2 hash too. The rate
     * limits set on the torrent apply to the first registration; they follow the second only
     * through the transport's global limits (a per-torrent limit for the v2 swarm is not done).
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
