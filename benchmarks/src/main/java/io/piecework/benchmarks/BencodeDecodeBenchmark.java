package io.piecework.benchmarks;

import io.piecework.bencode.BValue;
import io.piecework.bencode.Bencode;
import io.piecework.bencode.BencodeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Decoding a torrent-shaped document of 1,000 files: strings stay views, so cost is per value. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class BencodeDecodeBenchmark {
    private byte[] document;

    @Setup
    public void setup() {
        List<Object> files = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            files.add(Map.of("length", 1000L + i, "path", List.of("dir" + (i % 10), "file-" + i + ".bin")));
        }
        document = Bencode.encodeObject(Map.of("announce", "http://127.0.0.1:6969/announce",
                "info", Map.of("name", "bench", "piece length", 262144L, "pieces", new byte[20 * 4000],
                        "files", files)));
    }

    @Benchmark
    public BValue decodeTorrent() throws BencodeException {
        return Bencode.decode(document);
    }
}
