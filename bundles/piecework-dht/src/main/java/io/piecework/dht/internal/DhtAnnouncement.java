package io.piecework.dht.internal;

import io.piecework.api.discovery.AnnounceTarget;
import io.piecework.api.discovery.Announcement;
import io.piecework.api.discovery.PeerSink;
import io.piecework.dht.NodeId;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One torrent on the DHT: a get_peers lookup whose peers go to the engine as they arrive, then
 * announce_peer to the closest nodes that gave a token (not in read-only mode), again after
 * the interval ±10 %. A round that reached no node is retried sooner (30 s, doubling). All
 * of it runs on the node's loop; only {@link #closed} and {@link #status} cross threads.
 */
final class DhtAnnouncement implements Announcement {
    private static final Logger LOG = LoggerFactory.getLogger(DhtAnnouncement.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(30);

    private final AnnounceTarget target;
    private final PeerSink sink;
    private final UdpNode node;
    private final Consumer<DhtAnnouncement> onClose;
    private final NodeId infoHash;
    private volatile boolean closed;
    private volatile String status = "starting";
    // Loop-confined.
    private boolean inFlight;
    private ScheduledFuture<?> next;
    private Duration retry = FIRST_RETRY;

    DhtAnnouncement(AnnounceTarget target, PeerSink sink, UdpNode node, Consumer<DhtAnnouncement> onClose) {
        this.target = target;
        this.sink = sink;
        this.node = node;
        this.onClose = onClose;
        this.infoHash = NodeId.of(target.infoHash().bytes());
    }

    void start() {
        onLoop(() -> schedule(0));
    }

    private void onLoop(Runnable r) {
        try {
            node.loop().execute(r);
        } catch (RejectedExecutionException e) {
            // the node is closing
        }
    }

    private void schedule(long delayNanos) {
        if (closed) {
            return;
        }
        if (next != null) {
            next.cancel(false);
        }
        try {
            next = node.loop().schedule(this::round, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            next = null;
        }
    }

    private void round() {
        if (closed || inFlight) {
            return;
        }
        inFlight = true;
        next = null;
        int[] found = {0};
        node.getPeers(infoHash, peers -> {
            found[0] += peers.size();
            deliver(peers);
        }).thenCompose(responders -> {
            int port = target.port();
            // Read-only, or no port to be reached on (the engine does not listen): look up only.
            if (node.readOnly() || closed || responders.isEmpty() || port < 1 || port > 65_535) {
                return java.util.concurrent.CompletableFuture.completedFuture(new int[] {responders.size(), 0});
            }
            return node.announce(infoHash, port, responders).thenApply(n -> new int[] {responders.size(), n});
        }).whenCompleteAsync((counts, e) -> finished(counts, e, found[0]), node.loop());
    }

    private void deliver(List<InetSocketAddress> peers) {
        if (closed) {
            return;
        }
        try {
            sink.found(peers, "dht");
        } catch (RuntimeException e) {
            LOG.warn("peer sink failed", e);
        }
    }

    private void finished(int[] counts, Throwable e, int peers) {
        inFlight = false;
        long delay;
        if (e != null || counts[0] == 0) {
            delay = retry.toNanos();
            status = "dht: no node answered" + (e == null ? "" : " (" + e + ")") + ", retry in " + retry.getSeconds() + " s";
            retry = retry.multipliedBy(2).compareTo(interval()) > 0 ? interval() : retry.multipliedBy(2);
        } else {
            retry = FIRST_RETRY;
            long base = interval().toNanos();
            delay = base - base / 10 + (long) (node.node().random().nextDouble() * (base / 5));
            status = "dht: " + peers + " peers from " + counts[0] + " nodes, announced to " + counts[1] + ", next in "
                    + TimeUnit.NANOSECONDS.toSeconds(delay) + " s";
        }
        schedule(delay);
    }

    private Duration interval() {
        return node.settings().announceInterval();
    }

    @Override
    public void completed() {
        // Nothing to tell the DHT: announce_peer has no events.
    }

    @Override
    public void announceNow() {
        onLoop(() -> {
            if (!inFlight) {
                schedule(0);
            }
        });
    }

    @Override
    public String status() {
        return status;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        status = "stopped";
        onClose.accept(this);
        onLoop(() -> {
            if (next != null) {
                next.cancel(false);
                next = null;
            }
        });
    }
}
