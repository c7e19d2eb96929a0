package io.piecework.benchmarks.bitmap;

import io.piecework.api.bitmap.BitmapLease;
import io.piecework.api.bitmap.PoolStats;
import io.piecework.bitmap.internal.RoaringBitmapPool;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.roaringbitmap.RoaringBitmap;

/**
 * 1,000 peers spread over 100 torrents of 1k to 64k pieces (log-uniform). One operation is one
 * peer leaving and another arriving in its place: the old piece set is released (pooled) or
 * dropped (unpooled), the new one acquired and filled as a real peer's would be, from its
 * bitfield and then five HAVEs. Arrivals are 20% new peers (0-2% of pieces), 30% seeds (all
 * pieces, one run) and 50% partial peers (5-95% of pieces, random). Run with {@code -prof gc}
 * for allocation per operation, GC count and time; the retained bytes are printed at the end.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx1g", "-Xms1g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class BitmapPoolBenchmark {
    private static final int PEERS = 1000;
    private static final int TORRENTS = 100;

    /** pooled keeps released bitmaps' shells, containers their containers too, unpooled none. */
    @Param({"pooled", "containers", "unpooled"})
    public String mode;

    private RoaringBitmapPool pool;
    private final int[] torrentPieces = new int[TORRENTS];
    private final BitmapLease[] leases = new BitmapLease[PEERS];
    private final RoaringBitmap[] bitmaps = new RoaringBitmap[PEERS];
    private final int[] peerTorrent = new int[PEERS];
    private SplittableRandom random;

    @Setup(Level.Trial)
    public void setup() {
        random = new SplittableRandom(7);
        for (int t = 0; t < TORRENTS; t++) {
            torrentPieces[t] = (int) Math.round(Math.pow(2, 10 + random.nextDouble() * 6)); // 1k..64k
        }
        pool = "unpooled".equals(mode) ? null : new RoaringBitmapPool(4096, 64L << 20, "containers".equals(mode));
        for (int p = 0; p < PEERS; p++) {
            arrive(p);
        }
    }

    private void arrive(int peer) {
        RoaringBitmap bitmap;
        if (pool != null) {
            leases[peer] = pool.acquire();
            bitmap = leases[peer].bitmap();
        } else {
            bitmap = new RoaringBitmap();
        }
        bitmaps[peer] = bitmap;
        int torrent = random.nextInt(TORRENTS);
        peerTorrent[peer] = torrent;
        int pieces = torrentPieces[torrent];
        int kind = random.nextInt(10);
        if (kind < 3) {
            bitmap.add(0L, pieces); // seed
        } else {
            double fill = kind < 5 ? random.nextDouble() * 0.02 : 0.05 + random.nextDouble() * 0.9;
            for (int i = 0; i < pieces; i++) {
                if (random.nextDouble() < fill) {
                    bitmap.add(i);
                }
            }
        }
        for (int h = 0; h < 5; h++) {
            bitmap.add(random.nextInt(pieces));
        }
    }

    private void leave(int peer) {
        if (pool != null) {
            leases[peer].close();
            leases[peer] = null;
        }
        bitmaps[peer] = null;
    }

    @Benchmark
    public RoaringBitmap churn() {
        int peer = random.nextInt(PEERS);
        leave(peer);
        arrive(peer);
        return bitmaps[peer];
    }

    /**
     * One reconnection of a load-test peer as the engine sees it: the transport takes a bitmap,
     * the decoder clears it and adds the bitfield of 64 pieces but one as two ranges, the engine
     * gives it back when the peer leaves (no lease: the path of {@code bin/piecework loadtest --churn}).
     */
    @Benchmark
    public RoaringBitmap loadtestPeer() {
        RoaringBitmap bitmap = pool == null ? new RoaringBitmap() : pool.take();
        bitmap.clear();
        int missing = random.nextInt(64);
        if (missing > 0) {
            bitmap.add(0L, missing);
        }
        if (missing < 63) {
            bitmap.add(missing + 1L, 64L);
        }
        if (pool != null) {
            pool.release(bitmap);
        }
        return bitmap;
    }

    @TearDown(Level.Trial)
    public void report() {
        long live = 0;
        for (RoaringBitmap bitmap : bitmaps) {
            live += bitmap.getLongSizeInBytes();
        }
        String pooled = "";
        if (pool != null) {
            PoolStats stats = pool.stats();
            pooled = String.format(", pool idle %d bitmaps holding %d bytes, hits %d, misses %d, dropped %d",
                    stats.idle(), stats.bytesHeld(), stats.hits(), stats.misses(), stats.dropped());
        }
        System.out.printf("%n[%s] retained: live peer sets %d bytes%s%n", mode, live, pooled);
    }
}
