package io.piecework.benchmarks.metainfo;

import io.piecework.api.metainfo.CreateProgress;
import io.piecework.api.metainfo.CreateRequest;
import io.piecework.api.metainfo.TorrentMetainfo;
import io.piecework.metainfo.TorrentCreator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Random;
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

/**
 * Torrent creation's hashing against the plainest SHA-1 loop, over the same bytes: the
 * baseline hashes an in-memory array; creation reads the same data from a (page-cached) file
 * through its thread pool. One op = {@link #SIZE} bytes, so ops/s ratios are byte-rate ratios.
 * {@link HashingComparison} runs both and prints MB/s per thread and the ratio.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class HashingBenchmark {
    static final int SIZE = 128 << 20;
    static final int PIECE = 256 << 10;

    @Param({"1", "2"})
    public int threads;

    private byte[] data;
    private Path file;
    private MessageDigest sha1;

    @Setup(Level.Trial)
    public void setup() throws IOException, NoSuchAlgorithmException {
        data = new byte[SIZE];
        new Random(1).nextBytes(data);
        file = Files.createTempFile("piecework-hash", ".bin");
        Files.write(file, data);
        sha1 = MessageDigest.getInstance("SHA-1");
    }

    @TearDown(Level.Trial)
    public void deleteFile() throws IOException {
        Files.deleteIfExists(file);
    }

    /** The reference: one thread, one digest, piece-sized updates over memory. */
    @Benchmark
    public int plainMessageDigest() {
        int acc = 0;
        for (int off = 0; off < SIZE; off += PIECE) {
            sha1.update(data, off, PIECE);
            acc += sha1.digest()[0];
        }
        return acc;
    }

    @Benchmark
    public TorrentMetainfo torrentCreator() throws IOException {
        return TorrentCreator.create(new CreateRequest(file, PIECE, List.of(), List.of(), false, null, threads),
                CreateProgress.NONE);
    }
}
