package io.piecework.transport.utp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class SendBufferTest {
    private final SendBuffer buffer = new SendBuffer();
    private final Rtt rtt = new Rtt();

    private SendBuffer.Sent send(int seq) {
        SendBuffer.Sent s = new SendBuffer.Sent(PacketType.DATA, seq, ByteBuffer.allocate(100));
        buffer.sent(s, 0);
        return s;
    }

    /** An ACK for everything up to {@code ackNr} and, selectively, the packets in {@code sacked}. */
    private static Packet ack(int ackNr, int... sacked) {
        byte[] mask = null;
        if (sacked.length > 0) {
            mask = new byte[4];
            for (int seq : sacked) {
                int bit = seq - ackNr - 2;
                mask[bit >>> 3] |= (byte) (1 << (bit & 7));
            }
        }
        return new Packet(PacketType.STATE, 1, 0, 0, 1 << 20, 9, ackNr, mask, null);
    }

    @Test
    void aPacketSelectivelyAckedWhileWaitingToBeResentIsNotResentNorCountedAgain() {
        // After a timeout every packet waits to be resent; the peer's selective ACK then says one
        // of them arrived. Resending it anyway counted its bytes in flight again, and as it was
        // already acked nothing ever took them out: the leak grew past the one-packet window a
        // timeout leaves, nothing could be sent again, and the connection timed out for good.
        SendBuffer.Sent first = send(10);
        send(11);
        SendBuffer.Sent third = send(12);
        buffer.timedOut();
        assertEquals(0, buffer.flightBytes());
        buffer.ack(ack(9, 11), 1000, rtt);

        assertSame(first, buffer.toResend());
        buffer.resent(first, 2000);
        assertSame(third, buffer.toResend(), "the acked packet is skipped");
        buffer.resent(third, 2000);
        assertNull(buffer.toResend());

        buffer.ack(ack(12), 3000, rtt);
        assertEquals(0, buffer.flightBytes(), "nothing is in flight once everything is acked");
        assertEquals(true, buffer.isEmpty());
    }

    @Test
    void resendsGoOldestFirstAndOnlyOnce() {
        for (int seq = 100; seq < 110; seq++) {
            send(seq);
        }
        buffer.timedOut();
        for (int seq = 100; seq < 110; seq++) {
            SendBuffer.Sent s = buffer.toResend();
            assertEquals(seq, s.seq);
            buffer.resent(s, 10);
        }
        assertNull(buffer.toResend());
        assertEquals(10 * (UtpCodec.HEADER + 100), buffer.flightBytes());
    }
}
