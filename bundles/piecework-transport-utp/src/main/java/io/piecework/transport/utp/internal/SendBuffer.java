package io.piecework.transport.utp.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The sending half of a uTP connection: the packets in flight (sent, not yet acknowledged), in
 * sequence order, with what BEP 29's loss rules need. uTP acknowledges packets, not bytes, so a
 * lost packet is resent as it was.
 */
final class SendBuffer {
    /** A packet in flight. */
    static final class Sent {
        final PacketType type;
        final int seq;
        final ByteBuffer payload;
        long sentAtMicros;
        int transmissions;
        boolean acked;
        boolean resend;
        /** Resent once already for loss found by ACKs: only a timeout resends it again. */
        boolean fastResent;
        /** Counted in the bytes in flight; a timeout takes every packet out until it is resent. */
        boolean counted;

        Sent(PacketType type, int seq, ByteBuffer payload) {
            this.type = type;
            this.seq = seq;
            this.payload = payload;
        }

        int bytes() {
            return UtpCodec.HEADER + payload.remaining();
        }
    }

    private final ArrayDeque<Sent> flight = new ArrayDeque<>();
    /**
     * The packets marked for resending, oldest first: {@link #toResend} takes from here instead of
     * scanning the whole flight for each resend (quadratic under loss). Packets acked or resent
     * since they were queued stay until they reach the front and are skipped there.
     */
    private final ArrayDeque<Sent> resends = new ArrayDeque<>();
    private int flightBytes;
    private int duplicateAcks;
    private int lastAck = -1;
    private boolean lossFound;
    /** The newest packet in flight when the window was last cut: losses up to it are the same event. */
    private int recoverySeq = -1;

    void sent(Sent packet, long nowMicros) {
        packet.sentAtMicros = nowMicros;
        packet.transmissions = 1;
        packet.counted = true;
        flight.addLast(packet);
        flightBytes += packet.bytes();
    }

    int flightBytes() {
        return flightBytes;
    }

    boolean isEmpty() {
        return flight.isEmpty();
    }

    Sent oldest() {
        return flight.peekFirst();
    }

    /** The oldest packet waiting to be resent, or null. */
    Sent toResend() {
        for (Sent s = resends.peekFirst(); s != null; s = resends.peekFirst()) {
            if (s.resend) {
                return s;
            }
            resends.pollFirst();
        }
        return null;
    }

    /**
     * Applies a packet's ACK: everything up to {@code ack_nr}, and what its selective ACK marks.
     * Round-trip samples go to {@code rtt} from packets sent once (a resent packet's ACK could
     * be for either copy). Returns the bytes newly acknowledged; {@link #lossFound} tells whether
     * the oldest packet is now taken for lost.
     */
    int ack(Packet packet, long nowMicros, Rtt rtt) {
        int acked = 0;
        boolean advanced = false;
        while (!flight.isEmpty() && Seq.minus(flight.peekFirst().seq, packet.ackNr()) <= 0) {
            Sent s = flight.removeFirst();
            advanced = true;
            if (!s.acked) {
                acked += settle(s, nowMicros, rtt);
            }
        }
        int ackedPast = 0;
        if (packet.selectiveAck() != null) {
            for (Sent s : flight) {
                if (!s.acked && packet.selectivelyAcked(s.seq)) {
                    acked += settle(s, nowMicros, rtt);
                }
                ackedPast += s.acked ? 1 : 0;
            }
        }
        while (!flight.isEmpty() && flight.peekFirst().acked) {
            flight.removeFirst();
        }
        if (advanced) {
            duplicateAcks = 0;
        } else if (packet.type() == PacketType.STATE && packet.ackNr() == lastAck && !flight.isEmpty()) {
            duplicateAcks++;
        }
        lastAck = packet.ackNr();
        lossFound = false;
        Sent head = flight.peekFirst();
        if (head != null && !head.resend && !head.fastResent && (ackedPast >= 3 || duplicateAcks >= 3)) {
            head.resend = true;
            head.fastResent = true;
            resends.addFirst(head);
            duplicateAcks = 0;
            // One window cut per round of losses, as TCP's fast recovery: the packets sent before
            // this loss was seen may be lost by the same burst.
            if (recoverySeq < 0 || Seq.after(head.seq, recoverySeq)) {
                lossFound = true;
                recoverySeq = flight.peekLast().seq;
            }
        }
        return acked;
    }

    /**
     * Whether the last {@link #ack} found a new loss event: the oldest packet is taken for lost
     * (and marked for resending) and it was sent after the last window cut.
     */
    boolean lossFound() {
        return lossFound;
    }

    private int settle(Sent s, long nowMicros, Rtt rtt) {
        s.acked = true;
        // It arrived: a resend still queued for it would count its bytes in flight again, where
        // no ACK could ever take them out.
        s.resend = false;
        if (s.counted) {
            s.counted = false;
            flightBytes -= s.bytes();
        }
        if (s.transmissions == 1) {
            rtt.sample(nowMicros - s.sentAtMicros);
        }
        return s.bytes();
    }

    /**
     * Nothing came back in time: every packet in flight is taken for lost (as libtorrent does),
     * so a burst loss is resent as the window allows instead of one packet per timeout.
     */
    void timedOut() {
        resends.clear();
        for (Sent s : flight) {
            if (!s.acked) {
                s.resend = true;
                resends.addLast(s);
                if (s.counted) {
                    s.counted = false;
                    flightBytes -= s.bytes();
                }
            }
        }
    }

    /** Marks the packet resent now. */
    void resent(Sent s, long nowMicros) {
        if (!s.counted) {
            s.counted = true;
            flightBytes += s.bytes();
        }
        s.resend = false;
        s.transmissions++;
        s.sentAtMicros = nowMicros;
    }
}
