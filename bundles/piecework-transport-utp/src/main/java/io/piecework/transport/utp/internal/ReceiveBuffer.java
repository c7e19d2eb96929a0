package io.piecework.transport.utp.internal;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * The receiving half of a uTP connection: hands payloads to the application in sequence order,
 * holding packets that arrive early in a fixed ring. Both the ring (in packets) and the bytes
 * held in it are bounded, so a peer that sends far ahead or floods the gap costs dropped
 * packets, never memory; what is dropped is resent by the peer's loss handling.
 */
final class ReceiveBuffer {
    enum Result { DELIVERED, BUFFERED, DUPLICATE, DROPPED }

    private final ByteBuffer[] early;
    private final int capacityBytes;
    private int ackNr;
    private int heldBytes;
    private int heldPackets;

    /**
     * @param ackNr         the sequence number of the last packet taken in order (the SYN's, or
     *                      the STATE's that accepted ours)
     * @param ringPackets   how far past {@code ackNr} a packet may be held, a power of two
     */
    ReceiveBuffer(int ackNr, int ringPackets, int capacityBytes) {
        if (Integer.bitCount(ringPackets) != 1) {
            throw new IllegalArgumentException("ring of " + ringPackets + " packets is not a power of two");
        }
        this.ackNr = ackNr;
        this.early = new ByteBuffer[ringPackets];
        this.capacityBytes = capacityBytes;
    }

    /**
     * Takes one packet's payload. In order, it goes to {@code deliver} at once, followed by any
     * held packets it unblocks; early, it is copied and held. {@code deliver} may be handed an
     * empty buffer: a FIN takes a sequence number of its own.
     */
    Result offer(int seq, ByteBuffer payload, Consumer<ByteBuffer> deliver) {
        int distance = Seq.minus(seq, ackNr);
        if (distance <= 0) {
            return Result.DUPLICATE;
        }
        if (distance >= early.length) {
            return Result.DROPPED;
        }
        if (distance > 1) {
            int slot = seq & (early.length - 1);
            if (early[slot] != null) {
                return Result.DUPLICATE;
            }
            if (heldBytes + payload.remaining() > capacityBytes) {
                return Result.DROPPED;
            }
            ByteBuffer copy = ByteBuffer.allocate(payload.remaining());
            copy.put(payload.duplicate()).flip();
            early[slot] = copy;
            heldBytes += copy.remaining();
            heldPackets++;
            return Result.BUFFERED;
        }
        ackNr = seq;
        deliver.accept(payload);
        for (int next = Seq.plus(ackNr, 1); early[next & (early.length - 1)] != null; next = Seq.plus(ackNr, 1)) {
            ByteBuffer held = early[next & (early.length - 1)];
            early[next & (early.length - 1)] = null;
            heldBytes -= held.remaining();
            heldPackets--;
            ackNr = next;
            deliver.accept(held);
        }
        return Result.DELIVERED;
    }

    /** The last sequence number taken in order: what the next ACK says. */
    int ackNr() {
        return ackNr;
    }

    /** Whether packets past {@code ackNr + 1} are held (a selective ACK would say so). */
    boolean holdsEarly() {
        return heldPackets > 0;
    }

    /** The receive window to advertise: room left for early packets. */
    int window() {
        return capacityBytes - heldBytes;
    }

    /** The selective ACK for what is held past {@code ackNr + 1}, or null if nothing is. */
    byte[] selectiveAck() {
        if (heldPackets == 0) {
            return null;
        }
        return SelectiveAcks.of(ackNr, early.length - 2, seq -> early[seq & (early.length - 1)] != null);
    }
}
