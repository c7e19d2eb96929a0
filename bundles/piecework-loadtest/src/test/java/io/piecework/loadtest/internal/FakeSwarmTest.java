package io.piecework.loadtest.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufUtil;
import io.piecework.api.metainfo.InfoHash;
import io.piecework.wire.Handshake;
import io.piecework.wire.PeerDecoder;
import io.piecework.wire.PeerId;
import io.piecework.wire.PeerMessageListener;
import io.piecework.wire.WireEncoder;
import io.piecework.wire.WireException;
import io.piecework.wire.WireLimits;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

class FakeSwarmTest {
    private static final InfoHash HASH = InfoHash.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20});
    private Payload payload;
    private FakeSwarm swarm;

    @BeforeEach
    void start() {
        payload = new Payload(4 * 32768, 32768, 3);
        swarm = new FakeSwarm(payload, 1);
    }

    @AfterEach
    void stop() throws InterruptedException {
        swarm.close();
        payload.release();
    }

    @Test
    void everyFakePeerHasItsOwnLoopbackAddressAndNoneIsTheEngines() {
        Set<InetAddress> seen = new HashSet<>();
        for (int k = 0; k < 20_000; k++) {
            InetAddress a = FakeSwarm.address(k);
            byte[] ip = a.getAddress();
            assertTrue(a.isLoopbackAddress(), a.toString());
            assertTrue((ip[1] & 0xff) >= 1, "never 127.0.x.x, where the engine is: " + a);
            assertTrue(ip[3] != 0 && ip[3] != (byte) 255, a.toString());
            assertTrue(seen.add(a), "twice: " + a);
        }
        assertEquals("127.1.0.1", FakeSwarm.address(0).getHostAddress());
        assertEquals("127.1.1.1", FakeSwarm.address(254).getHostAddress());
    }

    /** What a client saw, decoded with the project's codec. */
    static final class Seen implements PeerMessageListener {
        Handshake handshake;
        RoaringBitmap have;
        boolean unchoked;
        byte[] block;

        @Override
        public void onHandshake(Handshake h) {
            handshake = h;
        }

        @Override
        public void onBitfield(RoaringBitmap pieces) {
            have = pieces;
        }

        @Override
        public void onUnchoke() {
            unchoked = true;
        }

        @Override
        public void onPiece(int piece, int begin, ByteBuffer data) {
            block = new byte[data.remaining()];
            data.get(block);
        }
    }

    @Test
    void servesRequestedBlocksFromThePayloadAndLacksOnePiece() throws Exception {
        List<InetSocketAddress> peers = swarm.seed(HASH, 2);
        assertEquals(2, peers.size());
        assertFalse(peers.get(0).getAddress().equals(peers.get(1).getAddress()));
        try (Socket s = new Socket()) {
            s.setSoTimeout(10_000);
            s.connect(peers.get(0), 10_000);
            Seen seen = new Seen();
            PeerDecoder decoder = new PeerDecoder(seen, WireLimits.DEFAULT, RoaringBitmap::new, true);
            decoder.pieceCount(payload.pieceCount());
            decoder.fastExtension(false);
            send(s, b -> WireEncoder.handshake(b, new Handshake(new byte[8], HASH, PeerId.generate(new Random(1)))), 68);
            readUntil(s, decoder, () -> seen.unchoked);
            assertEquals(HASH, seen.handshake.infoHash());
            assertEquals(RoaringBitmap.bitmapOf(1, 2, 3), seen.have, "peer 0 lacks piece 0, so it is no seed");

            send(s, b -> WireEncoder.request(b, 2, 16384, 16384), WireEncoder.BLOCK_REF_LENGTH);
            readUntil(s, decoder, () -> seen.block != null);
            assertArrayEquals(ByteBufUtil.getBytes(payload.block(2, 16384, 16384)), seen.block);
            assertEquals(16384, swarm.servedBytes());
            assertNull(swarm.violation());

            send(s, b -> WireEncoder.request(b, 0, 0, 16384), WireEncoder.BLOCK_REF_LENGTH);
            assertEquals(-1, s.getInputStream().read(), "asked for the piece it lacks, it hangs up");
            assertNotNull(swarm.violation());
        }
    }

    private interface Writer {
        void write(ByteBuffer b);
    }

    private static void send(Socket s, Writer w, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        w.write(b);
        s.getOutputStream().write(b.array(), 0, b.position());
    }

    private static void readUntil(Socket s, PeerDecoder decoder, java.util.function.BooleanSupplier done)
            throws IOException, WireException {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        while (!done.getAsBoolean()) {
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException("closed early");
            }
            decoder.feed(ByteBuffer.wrap(buf, 0, n));
        }
    }
}
