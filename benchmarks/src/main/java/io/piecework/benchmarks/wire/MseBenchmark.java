package io.piecework.benchmarks.wire;

import io.piecework.api.metainfo.InfoHash;
import io.piecework.wire.WireException;
import io.piecework.wire.mse.DhKeys;
import io.piecework.wire.mse.MseHandshake;
import io.piecework.wire.mse.MsePolicy;
import io.piecework.wire.mse.Rc4;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * MSE's parts alone, one thread: RC4 over a 16 KiB block in a direct buffer (what the
 * transport's socket buffers are; the JDK copies through a heap array inside) and in a heap
 * array, and a whole handshake, both roles with fresh 768-bit DH keys.
 * {@code java -jar benchmarks/target/benchmarks.jar MseBenchmark -f 1 -wi 2 -i 3 -w 1s -r 2s}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MseBenchmark {
    private static final InfoHash HASH = InfoHash.parse("00112233445566778899aabbccddeeff00112233");
    private final SecureRandom random = new SecureRandom();
    private Rc4 rc4;
    private ByteBuffer direct;
    private byte[] heap;

    @Setup
    public void setUp() {
        rc4 = new Rc4(new byte[20]);
        direct = ByteBuffer.allocateDirect(16384);
        heap = new byte[16384];
    }

    @Benchmark
    public ByteBuffer rc4DirectBlock() {
        rc4.apply(direct);
        return direct;
    }

    @Benchmark
    public byte[] rc4HeapBlock() {
        rc4.apply(heap, 0, heap.length);
        return heap;
    }

    @Benchmark
    public boolean handshake() throws WireException {
        MseHandshake a = MseHandshake.initiator(DhKeys.generate(random), random, HASH, MsePolicy.FORCED, new byte[0]);
        MseHandshake b = MseHandshake.responder(DhKeys.generate(random), random,
                r -> Arrays.equals(r, MseHandshake.req2(HASH)) ? HASH : null, MsePolicy.FORCED);
        byte[] step3 = a.feed(ByteBuffer.wrap(b.feed(ByteBuffer.wrap(a.start()))));
        a.feed(ByteBuffer.wrap(b.feed(ByteBuffer.wrap(step3))));
        return a.done() && b.done();
    }
}
