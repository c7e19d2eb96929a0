package io.piecework.benchmarks.wire;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.wire.internal.NettyPeerTransport;
import io.piecework.wire.internal.TransportSettings;
import io.piecework.wire.mse.MsePolicy;
import io.piecework.wire.mse.Rc4;
import io.piecework.transport.PeerConnection;
import io.piecework.transport.PeerHandler;
import io.piecework.transport.TorrentPeers;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.roaringbitmap.RoaringBitmap;

/**
 * MSE's CPU cost per GiB against plaintext: two transports in this JVM on loopback, one
 * uploading blocks from memory (the engine's default path: one copy into the socket buffer,
 * then RC4 in place under MSE), the other requesting 512 blocks ahead and taking them in.
 * Rounds alternate plaintext and RC4 (ABBA) under the same load; each measures the process's
 * CPU time from before the connect to the last block, so both ends' work (encrypt and decrypt,
 * the handshake included) is counted.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.piecework.benchmarks.wire.MseCostComparison [MiB] [rounds]</pre>
 */
public final class MseCostComparison {
    private static final int BLOCK = 16384;
    private static final int PIECE = 1 << 20;
    private static final int PIECES = 64;
    private static final int IN_FLIGHT = 512;
    private static final InfoHash HASH = InfoHash.parse("00112233445566778899aabbccddeeff00112233");

    public static void main(String[] args) throws Exception {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 1024;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        byte[] data = new byte[PIECES * PIECE];
        new Random(1).nextBytes(data);
        long blocks = mib * (1 << 20) / BLOCK;
        System.out.printf("MSE cost: %d MiB per run, 16 KiB blocks, %d ahead, load %s%n", mib, IN_FLIGHT, load());
        System.out.printf(Locale.ROOT, "RC4 alone (the JDK's ARCFOUR, 16 KiB heap blocks in place, this thread's CPU): "
                + "%.2f CPU s/GiB per pass%n", rc4Alone());
        run(MsePolicy.DISABLED, data, blocks / 8); // warm-up, both paths
        run(MsePolicy.FORCED, data, blocks / 8);
        List<double[]> plain = new ArrayList<>();
        List<double[]> rc4 = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            boolean plainFirst = r % 2 == 0;
            for (int i = 0; i < 2; i++) {
                MsePolicy p = (i == 0) == plainFirst ? MsePolicy.DISABLED : MsePolicy.FORCED;
                double[] m = run(p, data, blocks);
                (p == MsePolicy.DISABLED ? plain : rc4).add(m);
                System.out.printf(Locale.ROOT, "round %d %-9s %6.2f CPU s/GiB  %7.1f MB/s%n", r + 1,
                        p == MsePolicy.DISABLED ? "plaintext" : "rc4", m[0], m[1]);
            }
        }
        System.out.printf(Locale.ROOT, "median plaintext %.2f CPU s/GiB (%.2f..%.2f), rc4 %.2f (%.2f..%.2f): "
                        + "MSE adds %.2f CPU s/GiB for both ends; load %s%n",
                median(plain, 0), min(plain), max(plain), median(rc4, 0), min(rc4), max(rc4),
                median(rc4, 0) - median(plain, 0), load());
    }

    /** One transfer; returns {CPU seconds per GiB, MB/s}. */
    private static double[] run(MsePolicy policy, byte[] data, long blocks) throws Exception {
        TransportSettings s = TransportSettings.defaults().withListen("127.0.0.1", 0);
        try (NettyPeerTransport seeder = new NettyPeerTransport(s, RoaringBitmap::new);
             NettyPeerTransport leecher = new NettyPeerTransport(s.withListen("127.0.0.1", -1), RoaringBitmap::new)) {
            seeder.encryption(policy);
            leecher.encryption(policy);
            seeder.register(HASH, torrent(c -> new PeerHandler() {
                @Override
                public void onInterested() {
                    c.unchoke();
                }

                @Override
                public void onRequest(int piece, int begin, int length) {
                    c.piece(piece, begin, ByteBuffer.wrap(data, piece * PIECE + begin, length));
                }

                @Override
                public void onClosed(String reason) {
                }
            }));
            CountDownLatch done = new CountDownLatch(1);
            AtomicLong asked = new AtomicLong();
            AtomicLong received = new AtomicLong();
            ByteBuffer scratch = ByteBuffer.allocateDirect(BLOCK);
            leecher.register(HASH, torrent(c -> new PeerHandler() {
                @Override
                public void onUnchoke() {
                    for (int i = 0; i < IN_FLIGHT; i++) {
                        ask();
                    }
                }

                private void ask() {
                    long n = asked.getAndIncrement();
                    if (n < blocks) {
                        int block = (int) (n % (PIECES * (PIECE / BLOCK)));
                        c.request(block / (PIECE / BLOCK), block % (PIECE / BLOCK) * BLOCK, BLOCK);
                    }
                }

                @Override
                public ByteBuffer pieceDestination(int piece, int begin, int length) {
                    return scratch.clear();
                }

                @Override
                public void onPiece(int piece, int begin, ByteBuffer block) {
                    if (received.incrementAndGet() == blocks) {
                        done.countDown();
                    } else {
                        ask();
                    }
                }

                @Override
                public void onClosed(String reason) {
                    done.countDown();
                }
            }));
            long cpu0 = cpuNanos();
            long t0 = System.nanoTime();
            PeerConnection c = leecher.connect(HASH, new InetSocketAddress("127.0.0.1", seeder.port()))
                    .get(30, TimeUnit.SECONDS);
            c.interested();
            if (!done.await(600, TimeUnit.SECONDS) || received.get() < blocks) {
                throw new IllegalStateException("transfer incomplete: " + received.get() + " of " + blocks);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = (cpuNanos() - cpu0) / 1e9;
            double gib = blocks * (double) BLOCK / (1 << 30);
            return new double[] {cpu / gib, blocks * (double) BLOCK / 1e6 / seconds};
        }
    }

    /** One pass of RC4 over 1 GiB, after a warm-up pass: the floor under each end's share. */
    private static double rc4Alone() {
        Rc4 rc4 = new Rc4(new byte[20]);
        byte[] block = new byte[BLOCK];
        var threads = ManagementFactory.getThreadMXBean();
        double seconds = 0;
        for (int pass = 0; pass < 2; pass++) {
            long cpu = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < (1 << 30) / BLOCK; i++) {
                rc4.apply(block, 0, BLOCK);
            }
            seconds = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
        }
        return seconds;
    }

    private interface Handlers {
        PeerHandler of(PeerConnection c);
    }

    private static TorrentPeers torrent(Handlers handlers) {
        return new TorrentPeers() {
            @Override
            public int pieceCount() {
                return PIECES;
            }

            @Override
            public PeerHandler connected(PeerConnection connection) {
                return handlers.of(connection);
            }
        };
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String load() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }

    private static double median(List<double[]> runs, int i) {
        double[] v = runs.stream().mapToDouble(r -> r[i]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double min(List<double[]> runs) {
        return runs.stream().mapToDouble(r -> r[0]).min().orElse(0);
    }

    private static double max(List<double[]> runs) {
        return runs.stream().mapToDouble(r -> r[0]).max().orElse(0);
    }
}
