package io.piecework.lsd.internal;

import io.piecework.api.discovery.AnnounceTarget;
import io.piecework.api.discovery.Announcement;
import io.piecework.api.discovery.PeerSink;
import io.piecework.api.discovery.PeerSource;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LSD {@link PeerSource} ({@code peersource.name=lsd}): announces every public torrent the
 * engine gives it to the local network by multicast (BEP 14) and hands the engine the peers it
 * hears announcing the same torrents. A configuration change restarts it (new sockets).
 */
@Component(service = PeerSource.class, property = PeerSource.NAME_PROPERTY + "=lsd",
        configurationPid = "io.piecework.lsd", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = LocalDiscovery.Config.class)
public final class LocalDiscovery implements PeerSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalDiscovery.class);

    @ObjectClassDefinition(name = "Piecework local service discovery",
            description = "Finds peers on the local network by multicast announces (BEP 14)")
    public @interface Config {
        @AttributeDefinition(description = "Announce and listen on the local network")
        boolean enabled() default true;

        @AttributeDefinition(description = "IPv4 multicast group")
        String group() default "239.192.152.143";

        @AttributeDefinition(description = "UDP port of the group")
        int port() default 6771;

        @AttributeDefinition(description = "IPv6 multicast group (BEP 14); empty: IPv4 only")
        String group6() default LsdSettings.GROUP6;

        @AttributeDefinition(description = "Interface names, IPv4 or IPv6 addresses (empty: every up, multicast-capable, "
                + "non-loopback interface)")
        String[] interfaces() default {};

        @AttributeDefinition(description = "Seconds between announces of one torrent")
        int announce_interval_s() default 300;

        @AttributeDefinition(description = "Least milliseconds between two announce datagrams (the BEP asks for a minute)")
        int min_gap_ms() default 60_000;

        @AttributeDefinition(description = "Multicast TTL: how many routers an announce may cross")
        int ttl() default 1;

        @AttributeDefinition(description = "Announce datagrams read per second, all senders together; more are dropped")
        int inbound_per_s() default 50;
    }

    private final LsdSettings settings;
    private final LsdNode node;

    @Activate
    public LocalDiscovery(Config c) throws IOException {
        this(new LsdSettings(c.enabled(), c.group(), c.port(), List.of(c.interfaces()),
                Duration.ofSeconds(Math.max(1, c.announce_interval_s())), Duration.ofMillis(Math.max(10, c.min_gap_ms())),
                Math.max(1, Math.min(255, c.ttl())), Math.max(1, c.inbound_per_s()), c.group6()));
    }

    LocalDiscovery(LsdSettings settings) throws IOException {
        this.settings = settings;
        LsdInterfaces.Chosen interfaces = settings.enabled() ? LsdInterfaces.choose(settings.interfaces())
                : new LsdInterfaces.Chosen(List.of(), List.of());
        if (interfaces.isEmpty()) {
            LOG.info("LSD {}: no announces on the local network", settings.enabled() ? "found no interface" : "is off");
            node = null;
            return;
        }
        byte[] cookie = new byte[8];
        new SecureRandom().nextBytes(cookie);
        node = new LsdNode(settings, interfaces, HexFormat.of().formatHex(cookie));
        LOG.info("LSD on {} IPv4 interface(s), group {}, and {} IPv6 interface(s), group {}", interfaces.v4().size(),
                settings.hostHeader(), settings.group6().isEmpty() ? 0 : interfaces.v6().size(), settings.hostHeader6());
    }

    @Override
    public Announcement announce(AnnounceTarget torrent, PeerSink sink) {
        if (node == null || torrent.isPrivate()) {
            String why = node == null ? "off" : "private torrent, not announced";
            return new Idle("lsd: " + why);
        }
        return new LsdAnnouncement(node, node.add(torrent, sink));
    }

    /** Datagrams refused since start (malformed, or over the inbound rate); -1 when LSD is off. */
    long refused() throws Exception {
        return node == null ? -1 : node.refused().get(5, TimeUnit.SECONDS);
    }

    LsdSettings settings() {
        return settings;
    }

    @Deactivate
    @Override
    public void close() {
        if (node != null) {
            node.close();
        }
    }

    /** An announcement that does nothing: LSD off, or a private torrent. */
    private record Idle(String status) implements Announcement {
        public void completed() {
        }

        public void announceNow() {
        }

        public void close() {
        }
    }
}
