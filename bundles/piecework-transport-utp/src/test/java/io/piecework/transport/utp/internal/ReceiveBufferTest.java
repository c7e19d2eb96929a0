package io.piecework.transport.utp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceiveBufferTest {
    private final List<Integer> delivered = new ArrayList<>();

    @Test
    void holdsEarlyPacketsAndReleasesThemInOrderAcrossTheWrap() {
        ReceiveBuffer buffer = new ReceiveBuffer(0xFFFE, 16, 1000);
        assertEquals(ReceiveBuffer.Result.BUFFERED, offer(buffer, 1, 3));
        assertEquals(ReceiveBuffer.Result.BUFFERED, offer(buffer, 0, 2));
        byte[] sack = buffer.selectiveAck();
        Packet state = new Packet(PacketType.STATE, 1, 0, 0, 0, 0, buffer.ackNr(), sack, null);
        assertTrue(state.selectivelyAcked(0) && state.selectivelyAcked(1));
        assertEquals(995, buffer.window());

        assertEquals(ReceiveBuffer.Result.DELIVERED, offer(buffer, 0xFFFF, 1));
        assertEquals(List.of(1, 2, 3), delivered);
        assertEquals(1, buffer.ackNr());
        assertEquals(1000, buffer.window());
        assertNull(buffer.selectiveAck());
    }

    @Test
    void refusesWhatItCannotHoldWithoutGrowing() {
        ReceiveBuffer buffer = new ReceiveBuffer(100, 16, 10);
        assertEquals(ReceiveBuffer.Result.DUPLICATE, offer(buffer, 100, 1));
        assertEquals(ReceiveBuffer.Result.DUPLICATE, offer(buffer, 90, 1));
        assertEquals(ReceiveBuffer.Result.DROPPED, offer(buffer, 116, 1), "past the ring");
        assertEquals(ReceiveBuffer.Result.DROPPED, offer(buffer, 100 + 32_000, 1), "far ahead");
        assertEquals(ReceiveBuffer.Result.BUFFERED, offer(buffer, 102, 8));
        assertEquals(ReceiveBuffer.Result.DUPLICATE, offer(buffer, 102, 8), "held already");
        assertEquals(ReceiveBuffer.Result.DROPPED, offer(buffer, 103, 8), "over the byte capacity");
        assertEquals(List.of(), delivered);
    }

    private ReceiveBuffer.Result offer(ReceiveBuffer buffer, int seq, int size) {
        return buffer.offer(seq, ByteBuffer.allocate(size), data -> delivered.add(data.remaining()));
    }
}
