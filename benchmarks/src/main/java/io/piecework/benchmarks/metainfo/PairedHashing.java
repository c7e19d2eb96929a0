package io.piecework.benchmarks.metainfo;

import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.metainfo.TorrentCreator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Hashing per thread, paired: on a shared, noisy machine a long run of one then a long run of
 * the other compares two different machines. This alternates a plain single-threaded
 * {@code MessageDigest} pass over an in-memory array with a one-thread torrent creation over
 * the same bytes in a (page-cached) file, 128 MiB each, and reports the median of the
 * per-pair ratios. Usage:
 * {@code java -cp benchmarks/target/benchmarks.jar io.piecework.benchmarks.metainfo.PairedHashing [pairs]}
 */
public final class PairedHashing {
    private PairedHashing() {
    }

    public static void main(String[] args) throws Exception {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        byte[] data = new byte[HashingBenchmark.SIZE];
        new Random(1).nextBytes(data);
        Path file = Files.createTempFile("piecework-hash", ".bin");
        try {
            Files.write(file, data);
            CreateRequest request = new CreateRequest(file, HashingBenchmark.PIECE, List.of(), List.of(), false,
                    null, 1);
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            for (int warm = 0; warm < 3; warm++) {
                plain(sha1, data);
                TorrentCreator.create(request, CreateProgress.NONE);
            }
            double[] ratios = new double[pairs];
            double[] plainRates = new double[pairs];
            double[] creatorRates = new double[pairs];
            for (int i = 0; i < pairs; i++) {
                long t0 = System.nanoTime();
                plain(sha1, data);
                long t1 = System.nanoTime();
                TorrentCreator.create(request, CreateProgress.NONE);
                long t2 = System.nanoTime();
                plainRates[i] = data.length / ((t1 - t0) / 1e9) / 1e6;
                creatorRates[i] = data.length / ((t2 - t1) / 1e9) / 1e6;
                ratios[i] = creatorRates[i] / plainRates[i];
            }
            System.out.printf("plain MessageDigest, 1 thread: median %.0f MB/s%n", median(plainRates));
            System.out.printf("torrent creation, 1 thread:    median %.0f MB/s%n", median(creatorRates));
            System.out.printf("per-thread ratio, median of %d pairs: %.0f%% (min %.0f%%, max %.0f%%)%n", pairs,
                    100 * median(ratios), 100 * Arrays.stream(ratios).min().orElse(0),
                    100 * Arrays.stream(ratios).max().orElse(0));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void plain(MessageDigest sha1, byte[] data) {
        for (int off = 0; off < data.length; off += HashingBenchmark.PIECE) {
            sha1.update(data, off, HashingBenchmark.PIECE);
            sha1.digest();
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
