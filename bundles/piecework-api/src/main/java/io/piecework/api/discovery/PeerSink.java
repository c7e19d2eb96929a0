package io.piecework.api.discovery;

import java.net.InetSocketAddress;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/** Where a source delivers peers; the engine implements it. Must not block. */
@ConsumerType
@FunctionalInterface
public interface PeerSink {
    /** @param source which source found them, for statistics and logs (e.g. a tracker URL, "dht") */
    void found(List<InetSocketAddress> peers, String source);
}
