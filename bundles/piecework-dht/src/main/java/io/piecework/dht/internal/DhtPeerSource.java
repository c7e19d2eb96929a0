package io.piecework.dht.internal;

import io.piecework.api.discovery.AnnounceTarget;
import io.piecework.api.discovery.Announcement;
import io.piecework.api.discovery.DhtNode;
import io.piecework.api.discovery.PeerSink;
import io.piecework.api.discovery.PeerSource;
import io.piecework.api.udp.SharedUdpSocket;
import java.io.File;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The DHT {@link PeerSource} and {@link DhtNode}: one Mainline DHT node, and the announcing of
 * every torrent the engine gives it. Private torrents are refused here too (BEP 27).
 */
@Component(service = {PeerSource.class, DhtNode.class}, property = PeerSource.NAME_PROPERTY + "=dht",
        configurationPid = "io.piecework.dht")
@Designate(ocd = DhtPeerSource.Config.class)
public final class DhtPeerSource implements PeerSource, DhtNode, AutoCloseable {
    @ObjectClassDefinition(name = "Piecework DHT",
            description = "Mainline DHT node (BEP 5, IPv6 per BEP 32) that finds and announces peers")
    public @interface Config {
        @AttributeDefinition(description = "UDP port of the DHT node (0: any free port)")
        int port() default 6881;

        @AttributeDefinition(description = "IPv4 address the node binds (0.0.0.0: all; empty: no IPv4 DHT)")
        String bind_address() default "0.0.0.0";

        @AttributeDefinition(description = "IPv6 address of the BEP 32 node (::: all; empty: no IPv6 DHT). "
                + "Without IPv6 on the host the IPv4 node runs alone")
        String bind_address6() default "::";

        @AttributeDefinition(description = "host:port of nodes to join the DHT through")
        String[] bootstrap_nodes() default {"router.bittorrent.com:6881", "dht.transmissionbt.com:6881",
            "router.utorrent.com:6881"};

        @AttributeDefinition(description = "Read-only node (BEP 43): looks up and announces, serves no queries")
        boolean read_only() default false;

        @AttributeDefinition(description = "Time between lookups and announces of a torrent (s), jittered by 10 %")
        int announce_interval_s() default 900;

        @AttributeDefinition(description = "A query unanswered after this many ms counts as failed")
        int query_timeout_ms() default 3000;

        @AttributeDefinition(description = "Incoming queries allowed per source IP and second")
        int queries_per_s() default 20;

        @AttributeDefinition(description = "Incoming queries allowed per source IP in a burst")
        int query_burst() default 40;

        @AttributeDefinition(description = "Info-hashes kept in the store of announced peers")
        int max_torrents() default 2000;

        @AttributeDefinition(description = "Peers kept per info-hash")
        int max_peers_per_torrent() default 100;

        @AttributeDefinition(description = "File for the node id and routing table (empty: the bundle's data area)")
        String state_file() default "";
    }

    private final UdpNode node;
    private final ScheduledExecutorService saver;
    private final Set<DhtAnnouncement> live = ConcurrentHashMap.newKeySet();

    /**
     * @param shared uTP's socket when its bundle runs: the IPv4 node moves onto it when it is on
     *               the configured port. Static and greedy: when it comes or goes the node is
     *               restarted on the other socket (its table kept in the state file), simpler
     *               than moving a live node between sockets.
     */
    @Activate
    public DhtPeerSource(Config config, BundleContext context,
                         @Reference(cardinality = ReferenceCardinality.OPTIONAL,
                                 policyOption = ReferencePolicyOption.GREEDY) SharedUdpSocket shared)
            throws IOException {
        this(settings(config, context), shared);
    }

    public DhtPeerSource(DhtSettings settings) throws IOException {
        this(settings, null);
    }

    /** @param shared a socket to share (uTP's) instead of the IPv4 node's own, or null */
    public DhtPeerSource(DhtSettings settings, SharedUdpSocket shared) throws IOException {
        this.node = new UdpNode(settings, shared);
        this.saver = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "piecework-dht-state");
            t.setDaemon(true);
            return t;
        });
        long every = DhtSettings.SAVE_INTERVAL.toSeconds();
        saver.scheduleWithFixedDelay(node::save, every, every, TimeUnit.SECONDS);
    }

    static DhtSettings settings(Config c, BundleContext context) {
        Path state;
        if (!c.state_file().isBlank()) {
            state = Path.of(c.state_file());
        } else {
            File f = context == null ? null : context.getDataFile("dht.state");
            state = f == null ? null : f.toPath();
        }
        return new DhtSettings(c.port(), c.bind_address(), List.of(c.bootstrap_nodes()), c.read_only(),
                Duration.ofSeconds(Math.max(60, c.announce_interval_s())), Duration.ofMillis(Math.max(100, c.query_timeout_ms())),
                Math.max(1, c.queries_per_s()), Math.max(1, c.query_burst()), 256, Math.max(1, c.max_torrents()),
                Math.max(1, c.max_peers_per_torrent()), Duration.ofMinutes(30), state, c.bind_address6());
    }

    @Override
    public Announcement announce(AnnounceTarget torrent, PeerSink sink) {
        if (torrent.isPrivate()) {
            return new Announcement() {
                public void completed() {
                }

                public void announceNow() {
                }

                public String status() {
                    return "dht: private torrent, not announced";
                }

                public void close() {
                }
            };
        }
        DhtAnnouncement a = new DhtAnnouncement(torrent, sink, node, live::remove);
        live.add(a);
        a.start();
        return a;
    }

    @Override
    public int port() {
        return node.port();
    }

    @Override
    public int portFor(InetAddress peer) {
        return peer instanceof Inet6Address ? node.port6() : node.port4();
    }

    @Override
    public void ping(InetSocketAddress address) {
        node.ping(address);
    }

    UdpNode node() {
        return node;
    }

    @Deactivate
    @Override
    public void close() {
        live.forEach(DhtAnnouncement::close);
        live.clear();
        saver.shutdownNow();
        node.close();
    }
}
