package io.piecework.itests.interop;

import static io.piecework.itests.interop.SeededPayload.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piecework.api.engine.AddOptions;
import io.piecework.api.engine.TorrentEvent;
import io.piecework.api.engine.TorrentHandle;
import io.piecework.api.engine.TorrentState;
import io.piecework.transport.PeerConnection;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.wire.mse.MsePolicy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * uTP and message stream encryption together against libtorrent 2.0.8 that speaks uTP only
 * (TCP off both ways) and forces RC4 (pe_forced in and out, pe_rc4): a peer Piecework can reach
 * only by trying what it may speak, as libtorrent's own dialler does. Piecework keeps its
 * default configuration (TCP first, then uTP; prefer plaintext, retry encrypted). Both
 * directions; files byte-identical; each test prints how long reaching the peer took.
 */
class UtpMseInteropTest {
    static final long MIB = 1 << 20;
    static final String[] UTP_RC4_ONLY = {"--utp-only", "--encryption", "forced"};

    @TempDir
    static Path shared;
    static SeededPayload payload;

    @TempDir
    Path dir;

    @BeforeAll
    static void makePayload() throws Exception {
        payload = SeededPayload.create(shared, 256 * 1024, root -> {
            Payloads.file(root.resolve("video.mkv"), 9 * MIB + 4_321, 41);
            Payloads.file(root.resolve("extras/notes.txt"), MIB - 333, 42);
        });
    }

    /**
     * The dial the engine makes for a peer known only by its address: TCP is refused, uTP in
     * plaintext is closed by the peer, uTP with MSE gets through. The connection it yields
     * carries the whole download.
     */
    @Test
    void pieceworkReachesAndDownloadsFromAUtpOnlyEncryptionForcedSeeder() throws Exception {
        try (LibtorrentNode seeder = payload.libtorrentSeed(UTP_RC4_ONLY);
             TwoTransportEngine leecher = new TwoTransportEngine(dir.resolve("state"))) {
            CompletableFuture<Void> registered = new CompletableFuture<>(); // with the transports: it can dial
            leecher.engine.addListener(e -> {
                if (e.kind() == TorrentEvent.Kind.STATE_CHANGED && e.state() == TorrentState.DOWNLOADING) {
                    registered.complete(null);
                }
            });
            TorrentHandle t = leecher.engine.add(payload.meta(), AddOptions.in(dir.resolve("down")));
            registered.get(60, TimeUnit.SECONDS);
            InetSocketAddress address = loopback(seeder.port);
            InfoHash hash = payload.meta().infoHash();
            System.out.println("UtpMseInteropTest: each step alone: TCP " + outcome(leecher.tcp.connect(hash, address)));
            leecher.utp.encryption(MsePolicy.DISABLED);
            System.out.println("UtpMseInteropTest: each step alone: uTP plaintext "
                    + outcome(leecher.utp.connect(hash, address)));
            leecher.utp.encryption(null); // back to the default
            long start = System.nanoTime();
            PeerConnection c = leecher.transports.connect(payload.meta().infoHash(), loopback(seeder.port))
                    .get(60, TimeUnit.SECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println("UtpMseInteropTest: TCP -> uTP plaintext -> uTP RC4 reached the seeder in "
                    + millis + " ms");
            assertTrue(c.encrypted(), "the connection that got through runs RC4");
            t.completion().get(240, TimeUnit.SECONDS);
            payload.assertSameFiles(dir.resolve("down"));
            assertEquals(0, leecher.utp.malformed(), "every datagram libtorrent sent was uTP we read");
        }
    }

    /** How one dial ended and how long it took, for the test's output. */
    private static String outcome(CompletableFuture<PeerConnection> dial) throws InterruptedException {
        long start = System.nanoTime();
        String how;
        try {
            PeerConnection c = dial.get(60, TimeUnit.SECONDS);
            how = "connected";
            c.close("probe");
        } catch (ExecutionException | TimeoutException e) {
            how = "failed (" + e.getCause() + ")";
        }
        return how + " after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms";
    }

    /** libtorrent dials our UDP port with MSE at once; we tell it from plaintext and answer RC4. */
    @Test
    void aUtpOnlyEncryptionForcedLibtorrentDownloadsFromPiecework() throws Exception {
        try (TwoTransportEngine seeder = new TwoTransportEngine(dir.resolve("state"))) {
            TorrentHandle t = seeder.engine.add(payload.meta(), AddOptions.in(payload.seedDir()));
            t.completion().get(120, TimeUnit.SECONDS);
            long start = System.nanoTime();
            try (LibtorrentNode leecher = payload.libtorrentLeech(dir.resolve("lt"),
                    "--utp-only", "--encryption", "forced", "--peer", Integer.toString(seeder.utp.port()))) {
                long listening = System.nanoTime();
                leecher.await("FIRST", 60);
                System.out.println("UtpMseInteropTest: libtorrent's first block over uTP + RC4 arrived "
                        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - listening) + " ms after it started"
                        + " dialling (" + TimeUnit.NANOSECONDS.toMillis(listening - start) + " ms to start it)");
                System.out.println("UtpMseInteropTest: libtorrent " + leecher.await("DONE", 240));
            }
            payload.assertSameFiles(dir.resolve("lt"));
        }
    }
}
