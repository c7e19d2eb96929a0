package io.piecework.transport.utp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.piecework.api.udp.SharedUdpSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Fuzzing the split of the shared UDP port (docs/fuzzing.md; without JAZZER_FUZZ it replays
 * SharedSocketFuzzTestInputs/ as ordinary tests). Contract: a datagram starting with {@code d}
 * goes to the KRPC claimant, whatever it holds and even when the claimant throws (counted, not
 * passed on); every other datagram is uTP's, whose parser gives a packet or a FormatException.
 */
class SharedSocketFuzzTest {
    private static final InetSocketAddress FROM = new InetSocketAddress("127.0.0.1", 6881);

    @FuzzTest(maxDuration = "5m")
    void demux(byte[] datagram) {
        UdpShare share = new UdpShare(FROM);
        int[] claimed = new int[1];
        share.claim(SharedUdpSocket.KRPC, (d, from) -> {
            claimed[0]++;
            if ((d.remaining() & 1) == 1) {
                throw new IllegalArgumentException("a claimant that fails on half the input");
            }
        });
        ByteBuffer bytes = ByteBuffer.wrap(datagram);
        boolean krpc = datagram.length > 0 && datagram[0] == 'd';
        assertEquals(krpc, share.offer(bytes, FROM));
        assertEquals(krpc ? 1 : 0, claimed[0]);
        assertEquals(krpc && (datagram.length & 1) == 1 ? 1 : 0, share.dropped());
        if (!krpc) {
            try {
                Packet p = UtpCodec.decode(bytes);
                assertTrue(p.size() <= datagram.length);
            } catch (UtpCodec.FormatException e) {
                // dropped and counted by the endpoint
            }
        }
    }
}
