package io.piecework.transport.utp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the sending side copies: an upload's block went through four copies on its way to the
 * socket (each with a zeroed allocation); the stream's own buffers are now sliced into packets.
 */
class UtpSocketSendTest {
    private final List<Packet> sent = new ArrayList<>();
    private final UtpSocket.Output out = new UtpSocket.Output() {
        @Override
        public void send(Packet packet) {
            sent.add(packet);
        }

        @Override
        public void received(ByteBuffer data) {
        }

        @Override
        public void closed(String reason) {
        }
    };

    private UtpSocket connected() {
        UtpSocket socket = UtpSocket.connect(10, 100, 0, out);
        Packet syn = sent.get(0);
        socket.receive(new Packet(PacketType.STATE, 10, 1, 0, 1 << 20, 500, syn.seqNr(), null, null), 1_000);
        assertEquals(UtpSocket.State.CONNECTED, socket.state());
        sent.clear();
        return socket;
    }

    private static ByteBuffer block(int bytes) {
        ByteBuffer b = ByteBuffer.allocate(bytes);
        while (b.hasRemaining()) {
            b.put((byte) 1);
        }
        return b.flip();
    }

    @Test
    void offeredBytesAreSentAsSlicesOfTheBufferNotCopies() {
        UtpSocket socket = connected();
        ByteBuffer block = block(4 * UtpSocket.MAX_PAYLOAD);
        assertEquals(block.capacity(), socket.offer(block));
        socket.sendQueued(2_000);
        assertEquals(UtpSocket.MAX_PAYLOAD, sent.get(0).payload().remaining());
        // Breaking the contract (the bytes were handed over) shows they are shared, not copied.
        block.put(0, (byte) 7);
        block.put(UtpSocket.MAX_PAYLOAD, (byte) 8);
        assertEquals(7, sent.get(0).payload().get(0));
        assertEquals(8, sent.get(1).payload().get(0));
    }

    @Test
    void writtenBytesAreCopiedAndAPacketSpanningTwoBuffersIsJoined() {
        UtpSocket socket = connected();
        ByteBuffer first = block(100);
        assertEquals(100, socket.write(first, 2_000)); // sent at once, alone: nothing in flight
        first.put(0, (byte) 7);
        assertEquals(1, sent.get(0).payload().get(0));
        sent.clear();
        ByteBuffer a = block(1000);
        ByteBuffer b = block(1000);
        socket.offer(a);
        socket.offer(b);
        socket.sendQueued(3_000);
        assertEquals(UtpSocket.MAX_PAYLOAD, sent.get(0).payload().remaining());
        assertEquals(2000 - UtpSocket.MAX_PAYLOAD, sent.get(1).payload().remaining());
    }
}
