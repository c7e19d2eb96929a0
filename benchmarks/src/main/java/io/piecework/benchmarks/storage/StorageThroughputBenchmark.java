package io.piecework.benchmarks.storage;

import io.piecework.api.metainfo.FileEntry;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.api.storage.TorrentStorage;
import io.piecework.storage.file.internal.FileStorageProvider;
import io.piecework.storage.file.internal.Settings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * File storage on a 1 GiB torrent (8 files of 128 MiB, 1 MiB pieces) in a temporary folder
 * that is deleted afterwards. One operation is one MiB, so ops/s read as MiB/s:
 * <ul>
 *   <li>{@code sha1Baseline}: single-threaded {@code MessageDigest} SHA-1 over 1 MiB in memory;</li>
 *   <li>{@code sha1BaselineTwoThreads}: the same in two threads at once (total), to show what two
 *       hashing threads can get from the machine while it is measured;</li>
 *   <li>{@code write}: one piece written as 64 blocks of 16 KiB;</li>
 *   <li>{@code verifyOne}: one piece verified on the hashing pool, waited for (one thread busy);</li>
 *   <li>{@code verifyBatch}: 64 pieces verified at once with {@code hashThreads} threads;</li>
 *   <li>{@code verifyPaired}: a baseline hash and a verification alternately, each timed, so the
 *       ratio printed per iteration is measured under the same load (the machine is shared).</li>
 * </ul>
 * Per hashing thread, verification is {@code verifyBatch / hashThreads}; compare with the baseline.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class StorageThroughputBenchmark {
    private static final int MIB = 1 << 20;
    private static final int FILES = 8;
    private static final long FILE_SIZE = 128L * MIB;
    private static final int BLOCK = 16 * 1024;
    private static final int BATCH = 64;

    @Param({"1", "2"})
    public int hashThreads;

    private Path dir;
    private FileStorageProvider provider;
    private TorrentStorage storage;
    private int pieces;
    private int next;
    private byte[] piece;
    private final ByteBuffer[] blocks = new ByteBuffer[MIB / BLOCK];

    @Setup(Level.Trial)
    public void setup() throws Exception {
        dir = Files.createTempDirectory("piecework-bench-");
        piece = new byte[MIB];
        new Random(1).nextBytes(piece);
        byte[] hash = MessageDigest.getInstance("SHA-1").digest(piece);
        pieces = (int) (FILES * FILE_SIZE / MIB);
        byte[] hashes = new byte[pieces * 20];
        for (int i = 0; i < pieces; i++) {
            System.arraycopy(hash, 0, hashes, i * 20, 20); // every piece holds the same bytes
        }
        List<FileEntry> files = new ArrayList<>();
        for (int f = 0; f < FILES; f++) {
            files.add(new FileEntry(List.of("file-" + f + ".bin"), FILE_SIZE, f * FILE_SIZE, false));
        }
        TorrentMetainfo metainfo = new TorrentMetainfo(InfoHash.of(new byte[20]), "bench-1gib", MIB, hashes, files,
                true, List.of(), List.of(), false, null, null, null, new byte[0]);
        provider = new FileStorageProvider(Settings.DEFAULTS.withHashThreads(hashThreads));
        storage = provider.open(metainfo, dir).get(60, TimeUnit.SECONDS);
        for (int b = 0; b < blocks.length; b++) {
            blocks[b] = ByteBuffer.wrap(piece, b * BLOCK, BLOCK).slice();
        }
        for (int i = 0; i < pieces; i++) {
            write();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        storage.close();
        provider.close();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** A digest per benchmark thread, for the baselines. */
    @State(Scope.Thread)
    public static class Digest {
        final MessageDigest sha1;
        final byte[] out = new byte[20];
        final byte[] data = new byte[MIB];

        public Digest() {
            try {
                sha1 = MessageDigest.getInstance("SHA-1");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            new Random(2).nextBytes(data);
        }

        byte[] hash() throws Exception {
            sha1.update(data, 0, MIB);
            sha1.digest(out, 0, 20);
            return out;
        }
    }

    @Benchmark
    public byte[] sha1Baseline(Digest digest) throws Exception {
        return digest.hash();
    }

    /** Two threads hashing at once: what two hashing threads could reach on this machine now. */
    @Benchmark
    @Threads(2)
    public byte[] sha1BaselineTwoThreads(Digest digest) throws Exception {
        return digest.hash();
    }

    @Benchmark
    public int write() throws Exception {
        int index = next++ % pieces;
        for (int b = 0; b < blocks.length; b++) {
            ByteBuffer block = blocks[b];
            block.clear();
            storage.write(index, b * BLOCK, block);
        }
        return index;
    }

    @Benchmark
    public boolean verifyOne() throws Exception {
        boolean ok = storage.verify(next++ % pieces).get();
        if (!ok) {
            throw new IllegalStateException("piece did not verify");
        }
        return ok;
    }

    /** Alternating baseline and verification, timed apiece, so both see the same machine load. */
    @State(Scope.Thread)
    public static class Paired {
        long baselineNanos;
        long verifyNanos;
        long pieces;
        long totalBaseline;
        long totalVerify;

        @TearDown(Level.Iteration)
        public void iteration() {
            System.out.printf("  [paired] baseline %.0f MiB/s, verify %.0f MiB/s: %.0f%%%n",
                    rate(baselineNanos), rate(verifyNanos), 100.0 * baselineNanos / verifyNanos);
            totalBaseline += baselineNanos;
            totalVerify += verifyNanos;
            baselineNanos = 0;
            verifyNanos = 0;
            pieces = 0;
        }

        @TearDown(Level.Trial)
        public void trial() {
            System.out.printf("%n[paired] all iterations: verification at %.0f%% of the MessageDigest rate%n",
                    100.0 * totalBaseline / totalVerify);
        }

        private double rate(long nanos) {
            return pieces * 1e9 / nanos;
        }
    }

    /**
     * One piece hashed in memory by this thread, then one piece verified by the storage; the
     * paired output lines give the ratio per iteration (the score is the pair rate).
     */
    @Benchmark
    public boolean verifyPaired(Paired paired, Digest digest) throws Exception {
        long t0 = System.nanoTime();
        digest.hash();
        long t1 = System.nanoTime();
        boolean ok = storage.verify(next++ % pieces).get();
        long t2 = System.nanoTime();
        paired.baselineNanos += t1 - t0;
        paired.verifyNanos += t2 - t1;
        paired.pieces++;
        if (!ok) {
            throw new IllegalStateException("piece did not verify");
        }
        return ok;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int verifyBatch() throws Exception {
        CompletableFuture<?>[] all = new CompletableFuture<?>[BATCH];
        for (int i = 0; i < BATCH; i++) {
            all[i] = storage.verify(next++ % pieces);
        }
        CompletableFuture.allOf(all).get();
        for (CompletableFuture<?> one : all) {
            if (!Boolean.TRUE.equals(one.get())) {
                throw new IllegalStateException("piece did not verify");
            }
        }
        return all.length;
    }
}
