package io.piecework.wire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.wire.mse.MsePolicy;
import io.piecework.transport.TorrentRegistration;
import io.piecework.transport.testing.BlockServing;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/**
 * A rate shaper sits in a connection's pipeline only while its limit is set: unlimited, each one
 * cost a per-connection state and a handler context (about 16 KiB of heap per torrent at 1000
 * idle torrents x 19 peers). Setting a limit puts it into the live connections, where it shapes;
 * lifting it takes it out again. The bounds are as wide as in {@link RateLimitLoopbackTest}.
 */
class RateShaperPipelineTest {
    private static final InfoHash HASH = PeerChannelTest.HASH;
    private static final int BLOCK = 16384;
    private static final int BLOCKS = 128; // 2 MiB
    private static final long LIMIT = 1024 * 1024;
    private NettyPeerTransport seeder;
    private NettyPeerTransport leecher;
    private TorrentRegistration leeching;
    private final BlockServing.Receiver received = new BlockServing.Receiver(BLOCKS / 4, BLOCK);

    @BeforeEach
    void setUp() throws Exception {
        TransportSettings s = TransportSettings.defaults().withListen("127.0.0.1", 0);
        seeder = new NettyPeerTransport(s, RoaringBitmap::new);
        leecher = new NettyPeerTransport(s.withListen("127.0.0.1", -1), RoaringBitmap::new);
        seeder.register(HASH, new BlockServing.Sender(BLOCKS / 4));
        leeching = leecher.register(HASH, received);
    }

    @AfterEach
    void tearDown() {
        leecher.close();
        seeder.close();
    }

    private PeerChannel connect() throws Exception {
        return (PeerChannel) leecher.connect(HASH, new InetSocketAddress("127.0.0.1", seeder.port())).get(10, TimeUnit.SECONDS);
    }

    /**
     * The pipeline's shapers and MSE handler in order, read on the connection's event loop: a
     * limit change reaches the loop as a task queued before this one.
     */
    private static List<String> front(PeerChannel c) throws Exception {
        Channel ch = c.channel();
        return ch.eventLoop().submit(() -> ch.pipeline().names().stream()
                .filter(n -> n.equals(RateShapers.TRANSPORT) || n.equals(RateShapers.TORRENT) || n.startsWith("MseHandler"))
                .map(n -> n.startsWith("MseHandler") ? "mse" : n)
                .collect(Collectors.toList())).get(10, TimeUnit.SECONDS);
    }

    /** Seconds to move {@link #BLOCKS} blocks over the connection {@code c}. */
    private double transferSeconds(PeerChannel c) throws Exception {
        CountDownLatch done = received.expect(BLOCKS);
        long start = System.nanoTime();
        for (int i = 0; i < BLOCKS; i++) {
            c.request(i / 4, (i % 4) * BLOCK, BLOCK);
        }
        assertTrue(done.await(60, TimeUnit.SECONDS), "every block arrived");
        return (System.nanoTime() - start) / 1e9;
    }

    @Test
    void aShaperJoinsALiveConnectionWhileItsLimitIsSet() throws Exception {
        PeerChannel c = connect();
        assertEquals(List.of(), front(c), "no limit, no shaper");
        double unlimited = transferSeconds(c);

        leeching.limitRates(LIMIT, 0);
        assertEquals(List.of(RateShapers.TORRENT), front(c), "the torrent's limit");
        double limited = transferSeconds(c);
        double expected = (double) BLOCKS * BLOCK / LIMIT;
        assertTrue(limited > expected / 2, "2 MiB at 1 MiB/s took " + limited + " s, not at least half of " + expected);
        assertTrue(limited > 4 * unlimited, "limited " + limited + " s against unlimited " + unlimited + " s");

        leecher.limitRates(0, LIMIT);
        assertEquals(List.of(RateShapers.TRANSPORT, RateShapers.TORRENT), front(c), "the transport's first");
        leeching.limitRates(0, 0);
        assertEquals(List.of(RateShapers.TRANSPORT), front(c), "the torrent's lifted");
        leecher.limitRates(0, 0);
        assertEquals(List.of(), front(c), "both lifted");
        double lifted = transferSeconds(c);
        assertTrue(lifted * 4 < expected, "lifted, 2 MiB took " + lifted + " s");
    }

    @Test
    void newConnectionsGetTheShapersThatHaveALimitBeforeTheEncryption() throws Exception {
        seeder.encryption(MsePolicy.FORCED);
        leecher.encryption(MsePolicy.FORCED);
        leecher.limitRates(LIMIT, 0);
        leeching.limitRates(0, LIMIT);
        PeerChannel c = connect();
        assertEquals(List.of(RateShapers.TRANSPORT, RateShapers.TORRENT, "mse"), front(c));
        leecher.limitRates(0, 0);
        assertEquals(List.of(RateShapers.TORRENT, "mse"), front(c));
        leecher.limitRates(0, LIMIT);
        assertEquals(List.of(RateShapers.TRANSPORT, RateShapers.TORRENT, "mse"), front(c), "back in front of the torrent's");
        transferSeconds(c); // the encrypted stream still flows through the reordered pipeline
    }
}
