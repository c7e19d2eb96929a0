package io.piecework.benchmarks.wire;

import io.piecework.wire.PeerDecoder;
import io.piecework.wire.PeerMessageListener;
import io.piecework.wire.WireEncoder;
import io.piecework.wire.WireException;
import io.piecework.wire.WireLimits;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Warmup;
import org.roaringbitmap.RoaringBitmap;

/**
 * Encode + decode through the sans-IO codec, one core. Piece messages: 16 KiB blocks
 * encoded into a direct wire buffer and decoded into the listener's destination (the block
 * is copied twice: into the wire buffer, out of it). The {@code bytes} counter is block bytes
 * per second. Small messages: batches of request/have/cancel/unchoke. Run with
 * {@code -prof gc}: gc.alloc.rate.norm is bytes allocated per message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class WireCodecBenchmark {
    private static final int BLOCK = 16 * 1024;
    private static final int SMALL_BATCH = 64;

    /** Block bytes moved, reported by JMH as a rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        public long bytes;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
        }
    }

    /** The blocks a piece benchmark cycles through. */
    @State(Scope.Thread)
    public static class Blocks {
        /**
         * Distinct blocks (and destinations): 1 keeps everything in cache; 1024 (16 MiB each
         * way) makes the copies go to memory, as blocks from a socket would.
         */
        @Param({"1", "1024"})
        public int count;
        ByteBuffer[] sources;
        ByteBuffer[] destinations;
        int next;

        @Setup
        public void setup() {
            sources = new ByteBuffer[count];
            destinations = new ByteBuffer[count];
            for (int b = 0; b < count; b++) {
                sources[b] = ByteBuffer.allocateDirect(BLOCK);
                destinations[b] = ByteBuffer.allocateDirect(BLOCK);
                for (int i = 0; i < BLOCK; i++) {
                    sources[b].put(i, (byte) (i + b));
                }
            }
        }
    }

    private ByteBuffer destination;
    private final ByteBuffer wire = ByteBuffer.allocateDirect(SMALL_BATCH * WireEncoder.BLOCK_REF_LENGTH + BLOCK + 64);
    private long sink;
    private PeerDecoder decoder;

    @Setup
    public void setup() {
        decoder = new PeerDecoder(new PeerMessageListener() {
            @Override
            public ByteBuffer pieceDestination(int piece, int begin, int length) {
                return destination.clear();
            }

            @Override
            public void onPiece(int piece, int begin, ByteBuffer b) {
                sink += b.get(b.limit() - 1) + piece;
            }

            @Override
            public void onRequest(int piece, int begin, int length) {
                sink += piece + begin + length;
            }

            @Override
            public void onCancel(int piece, int begin, int length) {
                sink -= piece;
            }

            @Override
            public void onHave(int piece) {
                sink += piece;
            }

            @Override
            public void onUnchoke() {
                sink++;
            }
        }, WireLimits.DEFAULT, RoaringBitmap::new, false);
        decoder.pieceCount(1 << 20);
    }

    @Benchmark
    public long pieceEncodeDecode(Blocks blocks, Bytes bytes) throws WireException {
        int b = blocks.next;
        blocks.next = b + 1 == blocks.count ? 0 : b + 1;
        destination = blocks.destinations[b];
        wire.clear();
        WireEncoder.piece(wire, 7, BLOCK, blocks.sources[b]);
        decoder.feed(wire.flip());
        bytes.bytes += BLOCK;
        return sink;
    }

    @Benchmark
    @OperationsPerInvocation(SMALL_BATCH)
    public long smallMessagesEncodeDecode() throws WireException {
        wire.clear();
        for (int i = 0; i < SMALL_BATCH; i += 4) {
            WireEncoder.request(wire, i, BLOCK, BLOCK);
            WireEncoder.have(wire, i);
            WireEncoder.cancel(wire, i, 0, BLOCK);
            WireEncoder.unchoke(wire);
        }
        decoder.feed(wire.flip());
        return sink;
    }
}
