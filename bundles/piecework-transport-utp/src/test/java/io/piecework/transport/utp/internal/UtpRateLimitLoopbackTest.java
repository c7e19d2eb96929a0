package io.piecework.transport.utp.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.transport.PeerConnection;
import io.piecework.transport.RateBudget;
import io.piecework.transport.TorrentRegistration;
import io.piecework.transport.testing.BlockServing;
import io.piecework.wire.PeerId;
import java.net.InetSocketAddress;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/**
 * Bandwidth limits over uTP on loopback, as the TCP transport's RateLimitLoopbackTest: 2 MiB at
 * 1 MiB/s must take more than half of its 2 s (only a lower bound: load can slow a transfer, never
 * speed it up), where loopback alone moves it far faster.
 */
class UtpRateLimitLoopbackTest {
    private static final InfoHash HASH = InfoHash.parse("0123456789abcdef0123456789abcdef01234567");
    private static final UtpSettings SETTINGS = UtpSettings.defaults().withListen("127.0.0.1", 0).withLimits(8, 2000);
    private static final int BLOCK = 16384;
    private static final int BLOCKS = 128; // 2 MiB
    private static final long LIMIT = 1024 * 1024;
    private UtpPeerTransport seeder;
    private UtpPeerTransport leecher;
    private TorrentRegistration seeding;
    private TorrentRegistration leeching;
    private final BlockServing.Receiver received = new BlockServing.Receiver(BLOCKS / 4, BLOCK);

    @BeforeEach
    void setUp() throws Exception {
        seeder = new UtpPeerTransport(SETTINGS, PeerId.generate(new Random(1)), -1, RoaringBitmap::new);
        leecher = new UtpPeerTransport(SETTINGS.withListen("127.0.0.1", -1), PeerId.generate(new Random(2)), -1,
                RoaringBitmap::new);
        seeding = seeder.register(HASH, new BlockServing.Sender(BLOCKS / 4));
        leeching = leecher.register(HASH, received);
    }

    @AfterEach
    void tearDown() {
        leecher.close();
        seeder.close();
    }

    /** Seconds to move {@link #BLOCKS} blocks over a fresh connection. */
    private double transferSeconds() throws Exception {
        PeerConnection c = leecher.connect(HASH, new InetSocketAddress("127.0.0.1", seeder.port()))
                .get(10, TimeUnit.SECONDS);
        CountDownLatch done = received.expect(BLOCKS);
        long start = System.nanoTime();
        for (int i = 0; i < BLOCKS; i++) {
            c.request(i / 4, (i % 4) * BLOCK, BLOCK);
        }
        assertTrue(done.await(60, TimeUnit.SECONDS), "every block arrived");
        double seconds = (System.nanoTime() - start) / 1e9;
        c.close("done");
        return seconds;
    }

    private static void assertLimited(double seconds, double unlimited) {
        double expected = (double) BLOCKS * BLOCK / LIMIT;
        assertTrue(seconds > expected / 2, "2 MiB at 1 MiB/s took " + seconds + " s, not at least half of "
                + expected + " (unlimited: " + unlimited + " s)");
    }

    @Test
    void transportDownloadLimitShrinksWhatTheStreamDeliversAndTheWindow() throws Exception {
        double unlimited = transferSeconds();
        leecher.limitRates(LIMIT, 0);
        assertLimited(transferSeconds(), unlimited);
    }

    @Test
    void transportUploadLimitPacesWhatGoesIntoTheSocket() throws Exception {
        double unlimited = transferSeconds();
        seeder.limitRates(0, LIMIT);
        assertLimited(transferSeconds(), unlimited);
    }

    @Test
    void torrentLimitAppliesOnceTheHandshakeNamesTheTorrentAndClosingTheRegistrationLiftsIt() throws Exception {
        double unlimited = transferSeconds();
        seeding.limitRates(0, LIMIT);
        assertLimited(transferSeconds(), unlimited);
        seeding.limitRates(0, 0);
        double lifted = transferSeconds();
        assertTrue(lifted < 0.75 * BLOCKS * BLOCK / LIMIT, "lifted, 2 MiB took " + lifted + " s");
    }

    @Test
    void sharedBudgetsAreDrawnOnAndTheirRateAppliesLive() throws Exception {
        RateBudget download = new RateBudget();
        RateBudget upload = new RateBudget();
        leecher.limitRates(download, upload);
        double unlimited = transferSeconds();
        download.rate(LIMIT);
        assertLimited(transferSeconds(), unlimited);
    }

    @Test
    void negativeLimitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> leecher.limitRates(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> leeching.limitRates(0, -5));
    }
}
