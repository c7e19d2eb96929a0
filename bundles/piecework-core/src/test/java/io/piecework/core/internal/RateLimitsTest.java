package io.piecework.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.RateLimits;
import io.piecework.api.engine.TorrentEvent;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.MagnetLink;
import io.piecework.wire.PeerId;
import io.piecework.transport.PeerConnection;
import io.piecework.transport.PeerTransport;
import io.piecework.transport.TorrentPeers;
import io.piecework.transport.TorrentRegistration;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The limit plumbing: the engine's configuration (normal and turtle pairs) reaches its
 * transport live, and a torrent's limits reach its transport registration whenever it
 * registers, for as long as it stays in the engine.
 */
class RateLimitsTest {
    private static final MagnetLink LINK = new MagnetLink(InfoHash.of(new byte[20]), java.util.Optional.of("m"), List.of(),
            List.of(), List.of());
    @TempDir
    Path dir;
    private final Recording transport = new Recording();

    @Test
    void engineConfigurationLimitsTheTransportLiveAndTheTurtleReplacesThem() {
        EngineComponent engine = new EngineComponent(transport, (address, port) -> {
            throw new IOException("no extra engines here");
        }, config(Map.of("download_limit_kib", 10240)));
        try {
            assertEquals(List.of(10240L * 1024, 0L), transport.limits);
            engine.modified(config(Map.of("download_limit_kib", 100, "upload_limit_kib", 20)));
            assertEquals(List.of(100L * 1024, 20L * 1024), transport.limits);
            engine.modified(config(Map.of("download_limit_kib", 100, "upload_limit_kib", 20, "turtle", true,
                    "turtle_upload_limit_kib", 5)));
            assertEquals(List.of(50L * 1024, 5L * 1024), transport.limits, "turtle: its own pair, 50 KiB/s by default");
            engine.modified(config(Map.of("download_limit_kib", -3, "upload_limit_kib", 0)));
            assertEquals(List.of(0L, 0L), transport.limits, "negative is read as unlimited");
        } finally {
            engine.deactivate();
        }
    }

    @Test
    void torrentLimitsApplyLiveAndAcrossStopAndStartUntilRemoved() throws Exception {
        Engine engine = new Engine(transport);
        List<TorrentEvent> settings = new CopyOnWriteArrayList<>();
        engine.addListener(e -> {
            if (e.kind() == TorrentEvent.Kind.SETTINGS_CHANGED) {
                settings.add(e);
            }
        });
        try {
            TorrentHandle t = engine.add(LINK, new AddOptions(dir, false, List.of()));
            assertEquals(RateLimits.UNLIMITED, t.rateLimits());
            Recording.Registration first = transport.last();
            t.rateLimits(new RateLimits(1000, 2000));
            assertEquals(List.of(1000L, 2000L), first.limits, "applied to the open registration");
            assertEquals(new RateLimits(1000, 2000), t.rateLimits());
            t.rateLimits(new RateLimits(1000, 2000));
            assertEquals(1, settings.size(), "a change is announced once, for a session to save");
            assertEquals(LINK.infoHash(), settings.get(0).infoHash());

            t.stop();
            assertTrue(first.closed);
            t.rateLimits(new RateLimits(3000, 0)); // while stopped: kept for the next start
            t.start();
            Recording.Registration second = transport.last();
            assertNotSame(first, second);
            assertEquals(List.of(3000L, 0L), second.limits, "applied when it registers again");

            t.remove(false).get(10, TimeUnit.SECONDS);
            TorrentHandle again = engine.add(LINK, new AddOptions(dir, true, List.of()));
            assertEquals(RateLimits.UNLIMITED, again.rateLimits(), "a removed torrent's limits are forgotten");
        } finally {
            engine.close();
        }
    }

    @Test
    void negativeLimitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RateLimits(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> RateLimits.UNLIMITED.withUpload(-1));
    }

    /** The configuration as SCR would give it: the annotation's defaults unless {@code values} says otherwise. */
    private static EngineComponent.Config config(Map<String, Object> values) {
        return (EngineComponent.Config) Proxy.newProxyInstance(RateLimitsTest.class.getClassLoader(),
                new Class<?>[] {EngineComponent.Config.class},
                (proxy, method, args) -> values.getOrDefault(method.getName(), method.getDefaultValue()));
    }

    /** Connects nowhere; records the limits it is given. */
    private static final class Recording implements PeerTransport {
        volatile List<Long> limits = List.of(0L, 0L);
        final List<Registration> registrations = new CopyOnWriteArrayList<>();

        static final class Registration implements TorrentRegistration {
            volatile List<Long> limits = List.of(0L, 0L);
            volatile boolean closed;

            @Override
            public void limitRates(long down, long up) {
                limits = List.of(down, up);
            }

            @Override
            public void close() {
                closed = true;
            }
        }

        Registration last() {
            return registrations.get(registrations.size() - 1);
        }

        @Override
        public void limitRates(long down, long up) {
            limits = List.of(down, up);
        }

        @Override
        public PeerId localPeerId() {
            return PeerId.generate(new Random(1));
        }

        @Override
        public int port() {
            return -1;
        }

        @Override
        public TorrentRegistration register(InfoHash infoHash, TorrentPeers torrent) {
            Registration r = new Registration();
            registrations.add(r);
            return r;
        }

        @Override
        public CompletableFuture<PeerConnection> connect(InfoHash infoHash, InetSocketAddress address) {
            return new CompletableFuture<>();
        }
    }
}
